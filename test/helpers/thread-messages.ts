import type { CompiledQuery } from 'kysely';
import { Worker } from 'node:worker_threads';
import { SqliteThread } from '../../core/store/sqlite-thread';

/**
 * Counts messages posted to any worker thread (on SQLite, the store's: core/store/sqlite-thread.ts)
 * until restored: how many hops a transaction costs.
 */
export function countThreadMessages(): { readonly count: number; restore(): void } {
  const original = Worker.prototype.postMessage;
  const counter = { count: 0, restore: () => void (Worker.prototype.postMessage = original) };
  Worker.prototype.postMessage = function (this: Worker, ...args: Parameters<Worker['postMessage']>) {
    counter.count += 1;
    return original.apply(this, args);
  };
  return counter;
}

/**
 * Records every statement sent to the SQLite store's thread (core/store/sqlite-thread.ts) until
 * restored, with its parameters: what a transaction asks of SQLite, to read its query plans.
 */
export function captureThreadStatements(): { readonly seen: { sql: string; parameters: readonly unknown[] }[]; restore(): void } {
  const { run, batch } = SqliteThread.prototype;
  const seen: { sql: string; parameters: readonly unknown[] }[] = [];
  SqliteThread.prototype.run = function (this: SqliteThread, sql: string, parameters: readonly unknown[]) {
    seen.push({ sql, parameters });
    return run.call(this, sql, parameters);
  };
  SqliteThread.prototype.batch = function (this: SqliteThread, queries: readonly CompiledQuery[], ...rest: unknown[]) {
    for (const q of queries) seen.push({ sql: q.sql, parameters: q.parameters });
    return (batch as (...args: unknown[]) => ReturnType<SqliteThread['batch']>).call(this, queries, ...rest);
  };
  return {
    seen,
    restore: () => {
      SqliteThread.prototype.run = run;
      SqliteThread.prototype.batch = batch;
    },
  };
}
