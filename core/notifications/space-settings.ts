import type { Kysely } from 'kysely';
import { isoNow, systemClock, type Clock } from '../clock';
import { UserError } from '../errors';
import type { Database } from '../store/schema';

/** Longest digest window a space may ask for: a lone change is held at most this long. */
export const MAX_DIGEST_WINDOW_MS = 5 * 60_000;

export interface SpaceSettings {
  spaceId: string;
  digestWindowMs: number;
  updatedBy: string | null;
  updatedAt: string;
}

/** The `notification_space_settings` table: what a space set for itself, over the service's defaults. */
export class SpaceSettingsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Sets how long a change to this space waits for others to go out with it as one digest
   * (0: every change at once, alone); `null` returns the space to the service's default.
   */
  async setDigestWindow(spaceId: string, windowMs: number | null, updatedBy: string): Promise<void> {
    if (windowMs === null) {
      await this.db.deleteFrom('notification_space_settings').where('space_id', '=', spaceId).execute();
      return;
    }
    if (!Number.isInteger(windowMs) || windowMs < 0 || windowMs > MAX_DIGEST_WINDOW_MS) {
      throw new UserError('notify.digestWindowRange', { max: MAX_DIGEST_WINDOW_MS / 1000 });
    }
    const values = { digest_window_ms: windowMs, updated_by: updatedBy, updated_at: isoNow(this.clock) };
    await this.db
      .insertInto('notification_space_settings')
      .values({ space_id: spaceId, ...values })
      .onConflict((oc) => oc.column('space_id').doUpdateSet(values))
      .execute();
  }

  async all(): Promise<SpaceSettings[]> {
    const rows = await this.db.selectFrom('notification_space_settings').selectAll().orderBy('space_id').execute();
    return rows.map((r) => ({ spaceId: r.space_id, digestWindowMs: r.digest_window_ms, updatedBy: r.updated_by, updatedAt: r.updated_at }));
  }
}
