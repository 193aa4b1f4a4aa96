import path from 'node:path';
import { ensurePrivateDir, ensurePrivateFile } from '../private-files';
import { SqliteThread } from './sqlite-thread';

/**
 * The SQLite store's settings, on every connection. WAL lets readers run beside the writer; FULL
 * syncs the WAL on every commit, so a committed row survives a crash of the process and of the
 * machine alike (https://www.sqlite.org/pragma.html#pragma_synchronous).
 */
export const SQLITE_PRAGMAS: readonly string[] = ['journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON', 'busy_timeout = 5000'];

/** 0700 directory, 0600 store (and so 0600 -wal and -shm), whatever the umask; before SQLite opens it. */
export function makeSqliteFilePrivate(file: string): void {
  if (file === ':memory:') return;
  ensurePrivateDir(path.dirname(file));
  ensurePrivateFile(file);
}

/**
 * Starts the store's thread (SqliteThread: a second V8 isolate that loads the driver and opens
 * the file, 100 to 300 ms) before the store itself is opened; openStore takes it as
 * `sqliteThread`. A module light enough to load before Kysely and the rest of the service, so
 * `serve` starts the thread first and it starts while this thread loads the service (issue 17).
 */
export function startSqliteThread(file: string): SqliteThread {
  makeSqliteFilePrivate(file);
  return new SqliteThread(file, [...SQLITE_PRAGMAS]);
}
