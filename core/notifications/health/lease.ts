import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../clock';
import type { Database } from '../../store/schema';

/**
 * A lease row per periodic job: whoever holds an unexpired lease runs the job, so replicas on
 * one PostgreSQL store run it once per round between them (a lease row rather than an advisory
 * lock: a session lock would pin one pooled connection, and the row works on SQLite as well).
 * Taken with one conditional UPDATE (or an INSERT for the first ever), which both databases
 * apply atomically.
 */
export class Lease {
  private readonly holder = randomUUID();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly name: string,
    private readonly clock: Clock,
  ) {}

  /** True when this process holds the lease for the next `ms` (taken over once the last holder's ran out). */
  async take(ms: number): Promise<boolean> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + ms).toISOString();
    const updated = await this.db
      .updateTable('notification_leases')
      .set({ holder: this.holder, until })
      .where('name', '=', this.name)
      .where((eb) => eb.or([eb('holder', '=', this.holder), eb('until', '<=', now.toISOString())]))
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return true;
    const inserted = await this.db
      .insertInto('notification_leases')
      .values({ name: this.name, holder: this.holder, until })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
  }
}
