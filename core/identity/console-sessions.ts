import type { Kysely, Migration } from 'kysely';
import type { Database } from '../store/schema';

/**
 * The console's sessions as the server knows them. The session itself travels in a sealed cookie
 * (console/session.ts); this ledger is what lets signing out, or an administrator, end it for
 * good: a copied cookie of an ended session no longer opens the console (OWASP Session Management
 * Cheat Sheet, "Session expiration": invalidate on the server side at log out).
 */
export interface ConsoleSessionTables {
  console_sessions: ConsoleSessionsTable;
}

export interface ConsoleSessionsTable {
  /** Random, from the sealed cookie. */
  sid: string;
  /** Entra object id and sign-in name of the person. */
  oid: string;
  username: string;
  started_at: string;
  expires_at: string;
  /** Set when signed out or ended by an administrator. */
  ended_at: string | null;
}

export function consoleSessionMigrations(): Record<string, Migration> {
  return {
    '0401_console_sessions': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('console_sessions')
          .addColumn('sid', 'text', (c) => c.primaryKey())
          .addColumn('oid', 'text', (c) => c.notNull())
          .addColumn('username', 'text', (c) => c.notNull())
          .addColumn('started_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('ended_at', 'text')
          .execute();
        await db.schema.createIndex('console_sessions_oid').on('console_sessions').column('oid').execute();
      },
    },
  };
}

export class ConsoleSessionLedger {
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
