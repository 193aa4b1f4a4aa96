import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openStore } from '../../core/internal';
import { dropSchema, freshSchemaName, postgresUrl } from '../helpers/postgres';
import { countThreadMessages } from '../helpers/thread-messages';

describe.each([
  ['on its own thread (serve)', false],
  ['on this thread (a CLI command)', true],
])('migrations of a new SQLite store %s', (_name, sqliteOnThisThread) => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'een-migrate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('apply all or none: one that fails leaves the store as it was', async () => {
    const file = path.join(dir, 'een.db');
    const store = openStore({ kind: 'sqlite', file }, { sqliteOnThisThread });
    try {
      // A table a later migration (0331_notification_threads) creates, there already: that migration fails.
      await sql`create table notification_threads (x text)`.execute(store.db);
      await expect(store.migrate()).rejects.toThrow(/notification_threads/);
      const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(store.db);
      // Kysely's bookkeeping tables are made before its transaction; no migration's table stayed.
      expect(tables.rows.map((t) => t.name)).toEqual(['kysely_migration', 'kysely_migration_lock', 'notification_threads']);
      expect((await sql`select name from kysely_migration`.execute(store.db)).rows).toEqual([]);

      await sql`drop table notification_threads`.execute(store.db);
      expect(await store.migrate()).toContain('0001_identity_and_audit');
      expect(await store.isReady()).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('migrations on a store already migrated', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'een-migrated-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are found current with one read, and a migration this build does not know is refused as before', async () => {
    const file = path.join(dir, 'een.db');
    const first = openStore({ kind: 'sqlite', file });
    expect(await first.migrate()).toContain('0001_identity_and_audit');
    await first.close();

    const again = openStore({ kind: 'sqlite', file });
    try {
      await sql`select 1`.execute(again.db);
      const messages = countThreadMessages();
      try {
        expect(await again.migrate()).toEqual([]);
        // Kysely's Migrator alone took six statements to find nothing to do (issue 17).
        expect(messages.count).toBe(1);
      } finally {
        messages.restore();
      }
      expect(await again.isReady()).toBe(true);
      // Applied by a newer een-bridge: not current for this build, so the Migrator decides (and refuses).
      await sql`insert into kysely_migration (name, timestamp) values ('9999_from_a_newer_build', 'x')`.execute(again.db);
      await expect(again.migrate()).rejects.toThrow(/9999_from_a_newer_build/);
    } finally {
      await again.close();
    }
  });
});

describe('migrations on PostgreSQL', () => {
  it('apply once when several replicas start at the same moment', async () => {
    const schema = freshSchemaName('mig');
    // The schema exists before the replicas start, as a real database does.
    const first = openStore({ kind: 'postgres', url: postgresUrl }, { schema });
    const replicas = [first, ...Array.from({ length: 3 }, () => openStore({ kind: 'postgres', url: postgresUrl }, { schema }))];
    try {
      await sql`create schema if not exists ${sql.id(schema)}`.execute(first.db);
      const applied = await Promise.all(replicas.map((r) => r.migrate()));
      expect(applied.flat().filter((name) => name === '0001_identity_and_audit')).toHaveLength(1);
      for (const r of replicas) expect(await r.isReady()).toBe(true);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
      await dropSchema(schema);
    }
  });

  it('apply while other schemas of the database are being dropped (parallel test workers, other tenants)', async () => {
    // Kysely reads every schema by name while looking for its migration table; one dropped
    // meanwhile used to fail the migration with 'schema "…" does not exist'.
    const churn = openStore({ kind: 'postgres', url: postgresUrl });
    let churning = true;
    const others = (async () => {
      for (let n = 0; churning; n += 1) {
        const other = freshSchemaName('churn');
        await sql`create schema ${sql.id(other)}`.execute(churn.db);
        await sql`create table ${sql.id(other)}.t (id serial primary key, a text, b text, c text)`.execute(churn.db);
        await sql`drop schema ${sql.id(other)} cascade`.execute(churn.db);
        // A drop every few tens of milliseconds: busier than any real database, not a wall of them.
        await new Promise((r) => setTimeout(r, 30));
      }
    })();
    const schemas = Array.from({ length: 12 }, () => freshSchemaName('mig'));
    try {
      for (const schema of schemas) {
        const store = openStore({ kind: 'postgres', url: postgresUrl }, { schema });
        try {
          expect(await store.migrate()).toContain('0001_identity_and_audit');
        } finally {
          await store.close();
        }
      }
    } finally {
      churning = false;
      await others;
      await churn.close();
      for (const schema of schemas) await dropSchema(schema);
    }
    // Twelve full migration runs (over forty migrations each) on a shared PostgreSQL.
  }, 120_000);
});
