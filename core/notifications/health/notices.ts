import type { Kysely } from 'kysely';
import { isoNow, systemClock, type Clock } from '../../clock';
import type { Database } from '../../store/schema';
import type { HealthProblem } from './assess';

/** The "told once" flags (`notification_health_notices`): one row per broken subscription whose space was told. */
export class HealthNotices {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock = systemClock,
  ) {}

  async all(): Promise<Map<number, HealthProblem>> {
    const rows = await this.db.selectFrom('notification_health_notices').select(['subscription_id', 'problem']).execute();
    return new Map(rows.map((r) => [Number(r.subscription_id), r.problem as HealthProblem]));
  }

  /** Claims the notice before it is sent: true for the one caller that is to send it. */
  async claim(subscriptionId: number, problem: HealthProblem): Promise<boolean> {
    const result = await this.db
      .insertInto('notification_health_notices')
      .values({ subscription_id: subscriptionId, problem, noticed_at: isoNow(this.clock) })
      .onConflict((oc) => oc.column('subscription_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** Healthy again (or the notice could not be sent): the next breakage is told. */
  async clear(subscriptionId: number): Promise<void> {
    await this.db.deleteFrom('notification_health_notices').where('subscription_id', '=', subscriptionId).execute();
  }
}
