import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The data directory holds the SQLite store (sealed tokens, identities, the audit log) and in
 * sandbox mode the vault key: only the service's own user may read it. Modes given to mkdir and
 * open are cut by the umask, so each is set again with chmod, which the umask does not touch
 * (https://nodejs.org/api/fs.html#fschmodpath-mode-callback; POSIX chmod(2)).
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** What een-bridge keeps in its data directory: SQLite stores with their -wal/-shm/-journal, and the sandbox vault key. */
export function isDataDirFile(name: string): boolean {
  return name === 'secret.key' || /\.db(-wal|-shm|-journal)?$/.test(name);
}

/**
 * Creates the directory 0700 if missing, and makes een-bridge's files in it 0600, so what an
 * earlier version or another umask left readable is tightened on start. An existing directory
 * is made 0700 only when it holds nothing but een-bridge's files: EEN_DATA_DIR pointed at a
 * shared directory (/tmp, a home directory; the service may run as root) must not lock others out.
 */
export function ensurePrivateDir(dir: string): void {
  const existed = existsSync(dir);
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const names = readdirSync(dir);
  for (const name of names) {
    const file = path.join(dir, name);
    if (isDataDirFile(name) && statSync(file).isFile()) tighten(file, PRIVATE_FILE_MODE);
  }
  if (!existed || names.every(isDataDirFile)) tighten(dir, PRIVATE_DIR_MODE);
}

/**
 * Creates the file empty with 0600 if it does not exist yet (an empty file is a new SQLite
 * database). SQLite gives its -wal, -shm and -journal files the mode of the database file,
 * whatever the umask (sqlite.org/src/file/src/os_unix.c, findCreateFileMode and robust_open,
 * which fchmods a new file to the mode asked for), so they are 0600 too.
 */
export function ensurePrivateFile(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  tighten(file, PRIVATE_FILE_MODE);
}

function tighten(p: string, mode: number): void {
  if ((statSync(p).mode & 0o777) !== mode) chmodSync(p, mode);
}
