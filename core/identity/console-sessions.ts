import type { Kysely } from 'kysely';
import type { Database } from '../store/schema';

/** What the console asks of its session ledger (the port; the ledger and its table stay in the core). */
export interface ConsoleSessions {
  start(session: { sid: string; oid: string; username: string; exp: number }): Promise<void>;
  /** Whether the session was started here, has not ended and has not expired. */
  isLive(sid: string): Promise<boolean>;
  /** Ends every live session of the person; how many were ended. */
  endAllOf(oid: string): Promise<number>;
  live(): Promise<{ oid: string; username: string; startedAt: string; expiresAt: string }[]>;
}

/** The console's session ledger (tables: console-session-tables.ts). */
export class ConsoleSessionLedger implements ConsoleSessions {
  constructor(private readonly db: Kysely<Database>, private readonly now: () => Date = () => new Date()) {}

  async start(session: { sid: string; oid: string; username: string; exp: number }): Promise<void> {
    const started = this.now().toISOString();
    // Ended and expired sessions are of no use to anyone: dropped as new ones start.
    await this.db.deleteFrom('console_sessions').where((eb) => eb.or([eb('expires_at', '<', started), eb('ended_at', 'is not', null)])).execute();
    await this.db
      .insertInto('console_sessions')
      .values({ sid: session.sid, oid: session.oid, username: session.username, started_at: started, expires_at: new Date(session.exp * 1000).toISOString(), ended_at: null })
      .execute();
  }

  /** Whether the session was started here, has not ended and has not expired. */
  async isLive(sid: string): Promise<boolean> {
    const row = await this.db.selectFrom('console_sessions').select(['expires_at', 'ended_at']).where('sid', '=', sid).executeTakeFirst();
    return row !== undefined && row.ended_at === null && row.expires_at > this.now().toISOString();
  }

  /** Ends every live session of the person (signing out ends them on every browser). */
  async endAllOf(oid: string): Promise<number> {
    const result = await this.db.updateTable('console_sessions').set({ ended_at: this.now().toISOString() }).where('oid', '=', oid).where('ended_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async live(): Promise<{ oid: string; username: string; startedAt: string; expiresAt: string }[]> {
    const rows = await this.db
      .selectFrom('console_sessions')
      .select(['oid', 'username', 'started_at', 'expires_at'])
      .where('ended_at', 'is', null)
      .where('expires_at', '>', this.now().toISOString())
      .orderBy('started_at', 'desc')
      .execute();
    return rows.map((r) => ({ oid: r.oid, username: r.username, startedAt: r.started_at, expiresAt: r.expires_at }));
  }
}
