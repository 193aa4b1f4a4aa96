import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { Client } from 'pg';
import { openStore, type Store } from '../core/internal';
import { newDataDir } from './lib';

/** The machine's PostgreSQL, as the tests use it; BENCH_DATABASE_URL overrides. */
export const benchPostgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A store for one benchmark run: a fresh SQLite file, or a fresh schema on PostgreSQL. */
export interface BenchStore {
  kind: 'sqlite' | 'postgres';
  dataDir: string;
  /** What the service process needs to open the same store (DATABASE_URL or nothing). */
  env: Record<string, string>;
  /** Opens the store from this process (seeding before the run, counting after it). */
  open(): Store;
  dispose(): Promise<void>;
}

export async function benchStore(kind: 'sqlite' | 'postgres'): Promise<BenchStore> {
  const dataDir = newDataDir();
  if (kind === 'sqlite') {
    const file = path.join(dataDir, 'een-bridge.db');
    return {
      kind,
      dataDir,
      env: {},
      open: () => openStore({ kind: 'sqlite', file }),
      dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const schema = `bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: benchPostgresUrl });
  await client.connect();
  try {
    // Created here, so the service's current_schema() names it and it migrates into it.
    await client.query(`create schema "${schema}"`);
  } finally {
    await client.end();
  }
  // The service takes no schema setting: libpq's `options` puts it first on the search_path.
  const url = new URL(benchPostgresUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    kind,
    dataDir,
    env: { DATABASE_URL: url.toString() },
    open: () => openStore({ kind: 'postgres', url: benchPostgresUrl }, { schema }),
    dispose: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      const c = new Client({ connectionString: benchPostgresUrl });
      await c.connect();
      try {
        await c.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Rows in a table, the same way on both databases. */
export async function countRows(store: Store, table: 'notification_events' | 'notification_deliveries' | 'notification_unrouted'): Promise<number> {
  const result = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(table)}`.execute(store.db);
  return Number(result.rows[0]?.n ?? 0);
}
