import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { Pool } from 'pg';
import type { DatabaseConfig } from '../config';
import { migrateToLatest, migrationStatus } from './migrations';
import type { Database } from './schema';
import { registerOneStepTransactions } from './one-transaction';
import { SqliteDdlInTransactionAdapter, SqliteThreadDialect } from './sqlite-thread-dialect';
import type { Dialect } from './dialect';
import { SQLITE_PRAGMAS, makeSqliteFilePrivate } from './sqlite-start';
import type { SqliteThread } from './sqlite-thread';

export type { Dialect } from './dialect';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Runs migrations; resolves with the names applied now (empty when already current). */
  migrate(): Promise<string[]>;
  /** Applied and pending migrations, applying none. */
  migrationStatus(): Promise<{ applied: string[]; pending: string[] }>;
  /** True when the database answers and migrations have run in this process. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** PostgreSQL only: put every table in this schema (created if missing). Tests use one per run. */
  schema?: string;
  /** PostgreSQL pool size per process. */
  poolSize?: number;
  /**
   * SQLite only: the connection runs on this thread instead of a thread of its own. For a
   * short-lived process that does nothing else while it waits for the store (a CLI command, not
   * `serve`): there a disk sync stopping the event loop stops nothing, and starting the store's
   * thread (a second V8 isolate that loads the driver) was about 40 % of
   * `een-bridge policy show`'s 350 ms (issue 17). The same pragmas, file modes and transactions.
   */
  sqliteOnThisThread?: boolean;
  /**
   * SQLite only: the store's thread, started already with startSqliteThread (sqlite-start.ts) for
   * this database file; `serve` starts it before it loads the service (issue 17). The store
   * closes it with itself.
   */
  sqliteThread?: SqliteThread;
}

const schemaName = /^[a-z_][a-z0-9_]{0,62}$/;

export function openStore(config: DatabaseConfig, options: OpenStoreOptions = {}): Store {
  return config.kind === 'sqlite' ? openSqlite(config.file, options) : openPostgres(config.url, options);
}

function openSqlite(file: string, options: OpenStoreOptions): Store {
  // SQLITE_PRAGMAS: WAL, synchronous=FULL, foreign keys, a busy timeout. On the store's thread a
  // commit's disk sync happens there, not on the event loop.
  if (options.sqliteOnThisThread) {
    makeSqliteFilePrivate(file);
    return storeOver(new Kysely<Database>({ dialect: sqliteOnThisThread(file, SQLITE_PRAGMAS) }), 'sqlite', async () => undefined);
  }
  // A thread started already made the file private before it opened it (startSqliteThread).
  if (!options.sqliteThread) makeSqliteFilePrivate(file);
  const dialect = new SqliteThreadDialect(file, [...SQLITE_PRAGMAS], options.sqliteThread);
  const db = new Kysely<Database>({ dialect });
  registerOneStepTransactions(db, (statements) => dialect.runTransaction(statements));
  return storeOver(db, 'sqlite', async () => undefined, () => dialect.closeUnusedThread());
}

/**
 * Kysely's own SQLite dialect over better-sqlite3 on this thread: one connection, held by one
 * query or transaction at a time (Kysely's SqliteDriver), so an interactive transaction is never
 * entered by another statement, as on the thread. Transactions known in advance
 * (executeInOneTransaction) and the batch helpers of one-transaction.ts run as ordinary
 * transactions here, statement by statement; an unsynced commit (commitUnsynced) is synced
 * like every other. The driver is loaded when the first query needs it.
 */
function sqliteOnThisThread(file: string, pragmas: readonly string[]): SqliteDialect {
  return new SqliteDialectOnThisThread({
    database: async () => {
      const { default: Driver } = await import('better-sqlite3');
      const db = new Driver(file);
      try {
        for (const pragma of pragmas) db.pragma(pragma);
      } catch (err) {
        db.close();
        throw err;
      }
      return db;
    },
  });
}

/** Migrations in one transaction here too (SqliteDdlInTransactionAdapter). */
class SqliteDialectOnThisThread extends SqliteDialect {
  override createAdapter(): SqliteDdlInTransactionAdapter {
    return new SqliteDdlInTransactionAdapter();
  }
}

function openPostgres(url: string, options: OpenStoreOptions): Store {
  const { schema } = options;
  if (schema !== undefined && !schemaName.test(schema)) throw new Error(`invalid schema name ${schema}`);
  // pg is loaded when the first connection is wanted, so a SQLite deployment never loads it
  // (issue 17); Kysely takes a pool factory for this (PostgresDialectConfig.pool).
  const pool = async (): Promise<Pool> => {
    const { Pool } = await import('pg');
    const created = new Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // A dropped idle connection (PostgreSQL restarted) must not crash the process; the pool
    // replaces it and /readyz reports the outage meanwhile.
    created.on('error', () => undefined);
    // The same for a connection checked out mid-transaction: the query in progress gets the error
    // and the pool drops the connection, but the client's own 'error' event would go unheard and
    // end the process.
    created.on('connect', (client) => client.on('error', () => undefined));
    return created;
  };
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const prepare = async (): Promise<string> => {
    if (schema) {
      await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
      return schema;
    }
    return currentSchema(db);
  };
  return storeOver(db, 'postgres', prepare);
}

/** `prepare` readies the database and names the PostgreSQL schema to migrate (none on SQLite). */
function storeOver(db: Kysely<Database>, dialect: Dialect, prepare: () => Promise<string | undefined>, afterClose: () => Promise<void> = async () => undefined): Store {
  let migrated = false;
  return {
    db,
    dialect,
    async migrate() {
      const schema = await prepare();
      const applied = await migrateToLatest(db as unknown as Kysely<unknown>, dialect, schema);
      migrated = true;
      return applied;
    },
    async migrationStatus() {
      // No prepare(): a read-only look must not create the schema it is asked about.
      const schema = dialect === 'postgres' ? await currentSchema(db) : undefined;
      return migrationStatus(db as unknown as Kysely<unknown>, dialect, schema);
    },
    async isReady() {
      if (!migrated) return false;
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await db.destroy();
      await afterClose();
    },
  };
}

async function currentSchema(db: Kysely<Database>): Promise<string> {
  const current = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return current.rows[0]?.schema ?? 'public';
}
