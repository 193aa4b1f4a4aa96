import { PostgresAdapter, type CompiledQuery, type Kysely, type QueryResult, type Transaction } from 'kysely';
import type { Dialect } from './dialect';
import { SqliteThreadAdapter, batchQuery, unsyncedQuery } from './sqlite-thread-dialect';

/** Makes the statements once the connection is held (so what they stamp, such as a time, is taken then). */
type Statements = () => readonly CompiledQuery[];
type RunTransaction = (statements: Statements) => Promise<QueryResult<unknown>[]>;

/** The stores whose dialect runs a whole transaction in one step (SQLite: SqliteThreadDialect). */
const runners = new WeakMap<Kysely<never>, RunTransaction>();

/** Called by the store that opened `db` (core/store/store.ts). */
export function registerOneStepTransactions<DB>(db: Kysely<DB>, run: RunTransaction): void {
  runners.set(db as unknown as Kysely<never>, run);
}

/**
 * Runs the statements `statements()` makes, in order in one transaction, and answers each one's
 * result (`statements` is called once the store's connection is held); for a transaction
 * whose statements are all known before it begins (none needs an earlier one's answer). On
 * SQLite the whole transaction is one message to the store's thread instead of one per
 * statement plus begin and commit (issue 17); elsewhere it is an ordinary transaction.
 */
export async function executeInOneTransaction<DB>(db: Kysely<DB>, statements: Statements): Promise<QueryResult<unknown>[]> {
  const run = runners.get(db as unknown as Kysely<never>);
  if (run) return run(statements);
  return db.transaction().execute(async (trx) => {
    const results: QueryResult<unknown>[] = [];
    for (const query of statements()) results.push(await trx.executeQuery(query));
    return results;
  });
}

/** Which database `db` runs on, from its dialect's adapter (for code handed only the Kysely instance). */
export function dialectOf<DB>(db: Kysely<DB>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * Runs `queries` one after another in the transaction `trx` and answers each one's result; for
 * statements that do not need each other's answers. On SQLite they go to the store's thread in
 * one message (issue 17); elsewhere one by one.
 */
export async function executeAll<DB>(trx: Transaction<DB>, queries: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]> {
  if (runsOnThread(trx)) {
    const { rows } = await trx.executeQuery(batchQuery(queries));
    return rows as QueryResult<unknown>[];
  }
  const results: QueryResult<unknown>[] = [];
  for (const query of queries) results.push(await trx.executeQuery(query));
  return results;
}

/**
 * Runs `queries` in the transaction `trx` as executeAll does, as the transaction's last work:
 * on SQLite the commit goes in the same message as the statements (issue 17: a hop less per
 * transaction, and the connection, which the webhooks' commits wait for, is given back a hop
 * sooner), so nothing may run in `trx` afterwards (it throws). Elsewhere the statements run one by
 * one and the transaction commits as usual when its callback returns.
 */
export async function executeAllAndCommit<DB>(trx: Transaction<DB>, queries: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]> {
  if (runsOnThread(trx)) {
    const { rows } = await trx.executeQuery(batchQuery(queries, true));
    return rows as QueryResult<unknown>[];
  }
  return executeAll(trx, queries);
}

/**
 * Asks that the transaction `trx` commit without a disk sync of its own, before its first
 * statement; SQLite only (synchronous=NORMAL for that commit, FULL again right after it, both
 * done in the store's thread without a message of their own). Elsewhere nothing changes.
 */
export async function commitUnsynced<DB>(trx: Transaction<DB>): Promise<void> {
  if (runsOnThread(trx)) await trx.executeQuery(unsyncedQuery());
}

function runsOnThread<DB>(db: Kysely<DB>): boolean {
  return db.getExecutor().adapter instanceof SqliteThreadAdapter;
}
