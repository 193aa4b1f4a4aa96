import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './processes';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of its own for a test that restarts or stops the database. The machine's
 * cluster on 5432 is shared by the test files running in parallel, so it must never be touched.
 * initdb refuses to run as root, so the cluster belongs to the `postgres` user when we are root.
 */
export interface PrivatePostgres {
  /** postgres://… to the `postgres` database, trust auth over loopback TCP. */
  url: string;
  port: number;
  dataDir: string;
  /** Fast shutdown (open connections are cut), then start again; resolves once it accepts connections. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster and removes its files. */
  dispose(): Promise<void>;
}

const binDir = (): string => {
  const root = '/usr/lib/postgresql';
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const newest = versions[0];
  if (newest === undefined) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (set PG_BIN_DIR)');
  return path.join(root, newest, 'bin');
};

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const base = mkdtempSync(path.join(os.tmpdir(), 'een-private-pg-'));
  // mkdtemp makes the dir 0700 for root; the postgres user must be able to enter and write it.
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(base, Number(stdout.trim()), Number(gid.trim()));
  }
  chmodSync(base, 0o700);
  const dataDir = path.join(base, 'data');
  const logFile = path.join(base, 'server.log');
  const port = await freePort();
  const as = (cmd: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', cmd, ...args], { cwd: base }) : run(cmd, args, { cwd: base });

  await as(path.join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const options = `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=100`;
  const pgCtl = path.join(bin, 'pg_ctl');
  const start = async () => {
    // -w waits until the server accepts connections.
    await as(pgCtl, ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
  };
  const stop = async () => {
    await as(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  };
  await start();
  let disposed = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    start,
    stop,
    async restart() {
      await stop();
      await start();
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await stop().catch(() => undefined);
      rmSync(base, { recursive: true, force: true });
    },
  };
}
