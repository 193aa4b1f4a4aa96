import { sql, type Transaction } from 'kysely';
import type { Database } from './schema';
import type { Dialect } from './store';

/**
 * Makes transactions that name the same `key` run one after another, across every process on
 * the database, until the holder commits or rolls back: for count-then-insert rules such as a
 * rate limit. PostgreSQL: a transaction-scoped advisory lock on a 64-bit hash of the key.
 * SQLite: nothing to do, its writers already take turns (one connection, one process).
 */
export async function lockForTransaction(trx: Transaction<Database>, dialect: Dialect, key: string): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}
