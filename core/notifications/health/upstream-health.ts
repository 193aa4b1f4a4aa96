import type { Kysely } from 'kysely';
import { isoNow, systemClock, type Clock } from '../../clock';
import type { Database } from '../../store/schema';
import type { SourceName } from '../source-event';

/** The state of a source's side of a subscription: its webhook or Graph subscription. */
export type UpstreamState =
  /** Registered and answering. */
  | 'ok'
  /** The board or drive is gone, or een-bridge may no longer see it (Trello 404/410, Graph 404). */
  | 'gone'
  /** The board is there, but no webhook of ours watches it any more (Trello deleted it). */
  | 'missing'
  /** Checking or renewing failed for another reason (network, 5xx, 403). */
  | 'failing';

export interface UpstreamHealth {
  source: SourceName;
  upstreamKey: string;
  state: UpstreamState;
  /** Failed checks or renewals in a row; 0 once one succeeds. */
  failures: number;
  detail: string | null;
  expiresAt: string | null;
  checkedAt: string;
}

/** The `notification_upstream_health` table: written by the Graph renewal and the Trello check. */
export class UpstreamHealthRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock = systemClock,
  ) {}

  async ok(source: SourceName, key: string, expiresAt: string | null = null): Promise<void> {
    await this.put(source, key, 'ok', () => 0, null, expiresAt);
  }

  /** A failed check or renewal; counts the failures in a row. */
  async failed(source: SourceName, key: string, state: Exclude<UpstreamState, 'ok'>, detail: string): Promise<void> {
    await this.put(source, key, state, (before) => before + 1, detail.slice(0, 300), undefined);
  }

  async all(): Promise<UpstreamHealth[]> {
    const rows = await this.db.selectFrom('notification_upstream_health').selectAll().execute();
    return rows.map((r) => ({
      source: r.source as SourceName,
      upstreamKey: r.upstream_key,
      state: r.state as UpstreamState,
      failures: r.failures,
      detail: r.detail,
      expiresAt: r.expires_at,
      checkedAt: r.checked_at,
    }));
  }

  private async put(source: SourceName, key: string, state: UpstreamState, failures: (before: number) => number, detail: string | null, expiresAt: string | null | undefined): Promise<void> {
    const now = isoNow(this.clock);
    await this.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('notification_upstream_health').selectAll().where('source', '=', source).where('upstream_key', '=', key).executeTakeFirst();
      const row = { state, failures: failures(before?.failures ?? 0), detail, expires_at: expiresAt === undefined ? (before?.expires_at ?? null) : expiresAt, checked_at: now };
      if (before) await trx.updateTable('notification_upstream_health').set(row).where('source', '=', source).where('upstream_key', '=', key).execute();
      else await trx.insertInto('notification_upstream_health').values({ source, upstream_key: key, ...row }).execute();
    });
  }
}
