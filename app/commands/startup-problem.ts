import type { Config } from '../../core/config';

/** Node's system errors (https://nodejs.org/api/errors.html#class-systemerror) and pg's server errors carry these. */
interface SystemErrorLike {
  code?: string;
  syscall?: string;
  path?: string;
  address?: string;
  port?: number;
  message?: string;
}

/** Codes of a database that cannot be reached or refuses us (Node's net errors; PostgreSQL SQLSTATE 28xxx, 3D000). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', '28P01', '28000', '3D000']);
/** Codes of a file system that will not let us create or write the data directory. */
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'ENOSPC']);

/** The database URL without its password, to name it on a terminal. */
function databaseName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/**
 * The start-up failures an operator causes and fixes themselves (a port in use, a database
 * that does not answer, a data directory that cannot be written) as one line saying what to
 * do; undefined for anything else, which keeps its stack in the log. Issue 16.
 */
export function startupProblem(err: unknown, config: Config): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as SystemErrorLike;
  const code = e.code ?? '';
  if (e.syscall === 'listen') {
    const where = `${e.address ?? config.host}:${e.port ?? config.port}`;
    if (code === 'EADDRINUSE') return `port ${where} is already in use (another een-bridge?): stop that process, or set EEN_PORT to a free port`;
    if (code === 'EACCES') return `may not listen on ${where} (ports below 1024 need privileges): set EEN_PORT to 1024 or higher`;
    if (code === 'EADDRNOTAVAIL') return `${e.address ?? config.host} is not an address of this machine: set EEN_HOST to one of its addresses, or 0.0.0.0`;
    return undefined;
  }
  if (config.database.kind === 'postgres' && (UNREACHABLE.has(code) || /timeout exceeded when trying to connect|Connection terminated/i.test(e.message ?? ''))) {
    return `cannot reach the database ${databaseName(config.database.url)} (${code || (e.message ?? '').slice(0, 60)}): check DATABASE_URL and that PostgreSQL runs and accepts this user`;
  }
  if (UNWRITABLE.has(code) && typeof e.path === 'string') {
    return `cannot write the data directory ${config.dataDir} (${code} on ${e.path}): set EEN_DATA_DIR to a directory this user may create and write`;
  }
  if (config.database.kind === 'sqlite' && /SQLITE_CANTOPEN|SQLITE_READONLY|unable to open database|readonly database/i.test(`${code} ${e.message ?? ''}`)) {
    return `cannot write the store ${config.database.file} (${code || 'SQLite refused'}): set EEN_DATA_DIR to a directory this user may create and write`;
  }
  return undefined;
}
