import type { Kysely } from 'kysely';
import type { Database } from './store/schema';

/** What a receiver of signed requests asks (the port): has this signature been seen before? */
export interface SeenSignatures {
  /** True the first time a signature is seen, false for every repeat. */
  firstSight(signature: string, now?: Date): Promise<boolean>;
}

/**
 * Refuses a signed request seen before. A signature covers timestamp and body, so within the
 * signature's window a repeat can only be a replay. Kept in the store, not in memory, so every
 * replica refuses it. `windowSeconds` is the sender's window (Slack: five minutes, the adapter's
 * SLACK_SIGNATURE_WINDOW_SECONDS).
 */
export class ReplayGuard implements SeenSignatures {
  private lastPrune = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly windowSeconds: number,
  ) {}

  async firstSight(signature: string, now = new Date()): Promise<boolean> {
    await this.prune(now);
    const result = await this.db
      .insertInto('slack_seen_requests')
      .values({ signature, seen_at: now.toISOString() })
      .onConflict((oc) => oc.column('signature').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  private async prune(now: Date): Promise<void> {
    if (now.getTime() - this.lastPrune < 60_000) return;
    this.lastPrune = now.getTime();
    // How long a signature first seen at `seen_at` can still pass the timestamp check: its
    // timestamp may be up to the window ahead of the first sight, and stays valid until the
    // window after it, counted in whole seconds (verifySlackSignature floors the clock). So
    // 2 x window + 1 s after the first sight; forgetting it sooner (2 x window, as before)
    // accepted a replay in the last second of the window (test/security/replay.test.ts).
    const before = new Date(now.getTime() - (2 * this.windowSeconds + 1) * 1000).toISOString();
    await this.db.deleteFrom('slack_seen_requests').where('seen_at', '<', before).execute();
  }
}
