import { sql, type Transaction } from 'kysely';
import type { Database } from './schema';

/**
 * PostgreSQL only: makes transactions that name the same `key` run one after another, across
 * every process on the database, until the holder commits or rolls back; for count-then-insert
 * rules such as a rate limit. A transaction-scoped advisory lock on a 64-bit hash of the key.
 * (SQLite needs none: one process writes, and it can take its own turns in memory.)
 */
export async function lockForTransaction(trx: Transaction<Database>, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}
