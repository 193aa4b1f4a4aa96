import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { runCli } from '../../app/cli';
import { AuditLog, commitUnsynced, executeAll, executeInOneTransaction, openStore, type Store } from '../../core/internal';
import { executeAllAndCommit } from '../../core/store/one-transaction';
import { startSqliteThread } from '../../core/store/sqlite-start';
import { SqliteThread } from '../../core/store/sqlite-thread';
import { countThreadMessages } from '../helpers/thread-messages';

/**
 * A one-shot CLI command opens SQLite on its own (main) thread instead of starting the store's
 * thread (issue 17: that start was the largest part of `een-bridge policy show`). What the
 * service's threaded store guarantees must hold there too: the same pragmas and file modes, the
 * same refusals, transactions whole or not at all, and both reading each other's commits.
 */
const opened = {
  'on its own thread (serve)': (file: string) => openStore({ kind: 'sqlite', file }),
  'on this thread (a CLI command)': (file: string) => openStore({ kind: 'sqlite', file }, { sqliteOnThisThread: true }),
};

describe.each(Object.entries(opened))('the SQLite store %s', (_name, open) => {
  let dir: string;
  let file: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'een-this-thread-'));
    file = path.join(dir, 'data', 'een.db');
    store = open(file);
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs with WAL, synchronous FULL, foreign keys and a busy timeout, in a private directory and file', async () => {
    const pragma = async (name: string) => Object.values((await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(store.db)).rows[0]!)[0];
    expect({
      journal: await pragma('journal_mode'),
      synchronous: await pragma('synchronous'),
      foreignKeys: await pragma('foreign_keys'),
      busyTimeout: await pragma('busy_timeout'),
    }).toEqual({ journal: 'wal', synchronous: 2, foreignKeys: 1, busyTimeout: 5000 });
    expect((statSync(path.dirname(file)).mode & 0o777).toString(8)).toBe('700');
    expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
  });

  it('refuses a missing foreign key and a duplicate with SQLite’s message and code, and stays usable', async () => {
    await expect(
      store.db.insertInto('webex_oauth_states').values({ state_hash: 'h', user_id: 'nobody', expires_at: 'x', created_at: 'x' } as never).execute(),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY', message: expect.stringMatching(/FOREIGN KEY constraint failed/) as unknown });
    await store.db.insertInto('users').values(userRow('u1', 'a@example.nl')).execute();
    await expect(store.db.insertInto('users').values(userRow('u2', 'a@example.nl')).execute()).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    const inserted = await store.db.insertInto('audit_log').values({ at: 'x', actor: 'a', action: 'b', outcome: 'allowed', detail: '{}' }).executeTakeFirst();
    expect(Number(inserted.insertId)).toBeGreaterThan(0);
    expect(await store.db.selectFrom('users').select('id').execute()).toEqual([{ id: 'u1' }]);
  });

  it('runs transactions whole or not at all: interactive, known in advance, and batched with their commit', async () => {
    const insert = (id: string, email: string) => store.db.insertInto('users').values(userRow(id, email)).compile();
    await expect(
      store.db.transaction().execute(async (trx) => {
        await trx.insertInto('users').values(userRow('t1', 't@example.nl')).execute();
        await trx.insertInto('users').values(userRow('t2', 't@example.nl')).execute();
      }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    const results = await executeInOneTransaction(store.db, () => [insert('u1', 'a@example.nl'), insert('u2', 'b@example.nl'), sql`select count(*) as n from users`.compile(store.db)]);
    expect(results[2]!.rows).toEqual([{ n: 2 }]);
    await expect(executeInOneTransaction(store.db, () => [insert('u3', 'c@example.nl'), insert('u4', 'a@example.nl')])).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    await store.db.transaction().execute(async (trx) => {
      await commitUnsynced(trx);
      await executeAll(trx, [insert('u5', 'e@example.nl')]);
      await executeAllAndCommit(trx, [insert('u6', 'f@example.nl')]);
    });
    expect(await store.db.selectFrom('users').select('id').orderBy('id').execute()).toEqual([{ id: 'u1' }, { id: 'u2' }, { id: 'u5' }, { id: 'u6' }]);
    // Every later commit is synced again.
    expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db)).rows).toEqual([{ synchronous: 2 }]);
  });

  it('reads what the other kind of store committed on the same file, and keeps it after reopening', async () => {
    const other = (open === opened['on its own thread (serve)'] ? opened['on this thread (a CLI command)'] : opened['on its own thread (serve)'])(file);
    try {
      await new AuditLog(other.db).record({ actor: 'cli', action: 'written.elsewhere', outcome: 'succeeded' });
      expect(await new AuditLog(store.db).recent(5)).toMatchObject([{ action: 'written.elsewhere' }]);
      await new AuditLog(store.db).record({ actor: 'cli', action: 'written.here', outcome: 'succeeded' });
      expect((await new AuditLog(other.db).recent(5)).map((e) => e.action).sort()).toEqual(['written.elsewhere', 'written.here']);
    } finally {
      await other.close();
    }
    await store.close();
    store = open(file);
    expect(await new AuditLog(store.db).recent(5)).toHaveLength(2);
  });

  it('names the problem when the file cannot be opened', async () => {
    const broken = open(dir);
    await expect(broken.migrate()).rejects.toMatchObject({ message: expect.stringMatching(/unable to open|directory/i) as unknown });
    await broken.close();
  });
});

describe('a one-shot CLI command', () => {
  it('opens its SQLite store on this thread: no message goes to a store thread', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-this-thread-cli-'));
    const messages = countThreadMessages();
    try {
      const out: string[] = [];
      const run = (...argv: string[]) => runCli(argv, { env: { EEN_DATA_DIR: dataDir }, cwd: dataDir, out: (l) => out.push(l), err: (l) => out.push(l) });
      expect(await run('policy', 'set', '--tenant', 't1', '--calls-per-minute', '4')).toBe(0);
      expect(await run('policy', 'show', '--tenant', 't1', '--json')).toBe(0);
      expect(await run('subscriptions', 'list')).toBe(0);
      expect(out.join('\n')).toMatch(/"callsPerMinute": 4/);
      expect(messages.count).toBe(0);
    } finally {
      messages.restore();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a store thread started before the store (serve)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'een-started-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes the file private before opening it, is the one the store uses, and closes with the store', async () => {
    const file = path.join(dir, 'data', 'een.db');
    const thread = startSqliteThread(file);
    expect((statSync(path.dirname(file)).mode & 0o777).toString(8)).toBe('700');
    expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
    const run = jest.spyOn(thread, 'run');
    const store = openStore({ kind: 'sqlite', file }, { sqliteThread: thread });
    const batches = jest.spyOn(SqliteThread.prototype, 'batch');
    try {
      await store.migrate();
      expect(await store.isReady()).toBe(true);
      expect(run).toHaveBeenCalled();
      // Every statement went to the thread given: the migration's batches are its own.
      expect(batches.mock.contexts.every((c) => c === thread)).toBe(true);
      expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db)).rows).toEqual([{ synchronous: 2 }]);
    } finally {
      batches.mockRestore();
      await store.close();
    }
    await expect(thread.run('select 1', [])).rejects.toThrow(/SQLite thread stopped/);
  });

  it('is closed by the store even when no query ever ran', async () => {
    const thread = startSqliteThread(path.join(dir, 'een.db'));
    await thread.ready;
    await openStore({ kind: 'sqlite', file: path.join(dir, 'een.db') }, { sqliteThread: thread }).close();
    await expect(thread.run('select 1', [])).rejects.toThrow(/SQLite thread stopped/);
  });
});

function userRow(id: string, email: string) {
  const now = new Date().toISOString();
  const none = { display_name: null, teams_aad_object_id: null, slack_team_id: null, slack_user_id: null, webex_person_id: null, broadworks_user_id: null, een_number: null };
  return { id, email, ...none, created_at: now, updated_at: now };
}
