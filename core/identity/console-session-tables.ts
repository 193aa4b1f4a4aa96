import type { Kysely, Migration } from 'kysely';

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
