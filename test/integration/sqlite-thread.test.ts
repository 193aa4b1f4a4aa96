import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { AuditLog, commitUnsynced, executeAll, executeInOneTransaction, openStore, type Store } from '../../core/internal';
import { executeAllAndCommit } from '../../core/store/one-transaction';
import { SqliteThread } from '../../core/store/sqlite-thread';
import { countThreadMessages } from '../helpers/thread-messages';

/**
 * SQLite runs on its own thread so a commit's disk sync never stops the event loop. These
 * check what that must not change: results, errors, transactions, durability across reopen.
 */
describe('the SQLite store on its own thread', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'een-thread-'));
    store = openStore({ kind: 'sqlite', file: path.join(dir, 'een.db') });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns inserted ids, changed-row counts and rows', async () => {
    const inserted = await store.db.insertInto('audit_log').values({ at: 'x', actor: 'a', action: 'b', outcome: 'allowed', detail: '{}' }).executeTakeFirst();
    expect(Number(inserted.insertId)).toBeGreaterThan(0);
    const updated = await store.db.updateTable('audit_log').set({ actor: 'c' }).where('actor', '=', 'a').executeTakeFirst();
    expect(Number(updated.numUpdatedRows)).toBe(1);
    expect(await store.db.selectFrom('audit_log').select(['actor', 'outcome']).execute()).toEqual([{ actor: 'c', outcome: 'allowed' }]);
  });

  it('hands plain statements and rows over as transferred bytes, exact to the character, and clones the rest', async () => {
    const original = Worker.prototype.postMessage;
    const transferred: number[] = [];
    Worker.prototype.postMessage = function (this: Worker, value: unknown, transfer?: Parameters<Worker["postMessage"]>[1]) {
      transferred.push(Array.isArray(transfer) ? transfer.length : 0);
      return original.call(this, value, transfer);
    };
    try {
      // Astral characters, quotes, control characters, a lone surrogate-free mix of scripts: what a webhook may carry.
      const detail = JSON.stringify({ summary: 'Zoë’s "bug" \\ 🚀 \u0000 \n ünïcødé 中文' }) + '\t\u2028';
      await store.db.insertInto('audit_log').values({ at: '2026-12-01T00:00:00.000Z', actor: 'a', action: 'b', outcome: 'allowed', detail }).execute();
      expect(transferred.at(-1)).toBe(1);
      const rows = await store.db.selectFrom('audit_log').select(['detail', 'id']).execute();
      expect(rows).toEqual([{ detail, id: expect.any(Number) as unknown }]);
      // A BLOB parameter (not plain JSON) goes by structured clone, and comes back as bytes.
      transferred.length = 0;
      const { rows: blob } = await sql<{ b: Uint8Array; n: number }>`select ${Buffer.from([0, 1, 254, 255])} as b, ${-0} as n`.execute(store.db);
      expect(transferred).toEqual([0]);
      expect(blob[0]!.b).toBeInstanceOf(Uint8Array);
      expect(Object.is(blob[0]!.n, 0) || Object.is(blob[0]!.n, -0)).toBe(true);
      expect([...blob[0]!.b]).toEqual([0, 1, 254, 255]);
    } finally {
      Worker.prototype.postMessage = original;
    }
  });

  it('reports a constraint violation with SQLite’s message and code, and stays usable', async () => {
    await store.db.insertInto('users').values(userRow('u1', 'a@example.nl')).execute();
    await expect(store.db.insertInto('users').values(userRow('u2', 'a@example.nl')).execute()).rejects.toMatchObject({
      message: expect.stringMatching(/UNIQUE constraint failed/) as unknown,
      code: 'SQLITE_CONSTRAINT_UNIQUE',
    });
    await expect(sql`select nonsense from nowhere`.execute(store.db)).rejects.toMatchObject({ message: expect.stringMatching(/no such table/) as unknown });
    expect(await store.db.selectFrom('users').select('id').execute()).toEqual([{ id: 'u1' }]);
  });

  it('rolls a failed transaction back whole, and runs concurrent transactions one after another', async () => {
    await expect(
      store.db.transaction().execute(async (trx) => {
        await trx.insertInto('users').values(userRow('u1', 'a@example.nl')).execute();
        await trx.insertInto('users').values(userRow('u2', 'a@example.nl')).execute();
      }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(await store.db.selectFrom('users').select('id').execute()).toEqual([]);

    // Each reads then writes; interleaved on one connection they would read stale counts.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.db.transaction().execute(async (trx) => {
          const { n } = await trx.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
          await trx.insertInto('users').values(userRow(`u${i}`, `n${Number(n)}@example.nl`)).execute();
        }),
      ),
    );
    expect(await store.db.selectFrom('users').select('id').execute()).toHaveLength(20);
  });

  it('runs a transaction known in advance as one message to the thread, whole or not at all', async () => {
    const messages = countThreadMessages();
    try {
      const insert = (id: string, email: string) => store.db.insertInto('users').values(userRow(id, email)).compile();
      const results = await executeInOneTransaction(store.db, () => [insert('u1', 'a@example.nl'), insert('u2', 'b@example.nl'), sql`select count(*) as n from users`.compile(store.db)]);
      expect(results.map((r) => Number(r.numAffectedRows ?? 0))).toEqual([1, 1, 0]);
      expect(results[2]!.rows).toEqual([{ n: 2 }]);
      expect(messages.count).toBe(1);

      // The second statement fails: the first is rolled back with it, in the thread.
      await expect(executeInOneTransaction(store.db, () => [insert('u3', 'c@example.nl'), insert('u4', 'a@example.nl')])).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
      expect(await store.db.selectFrom('users').select('id').orderBy('id').execute()).toEqual([{ id: 'u1' }, { id: 'u2' }]);
    } finally {
      messages.restore();
    }
  });

  it('does not run a one-message transaction inside another transaction on the connection', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const begun = new Promise<void>((resolve) => (inside = resolve));
    const kysely = store.db.transaction().execute(async (trx) => {
      await trx.insertInto('users').values(userRow('k1', 'k1@example.nl')).execute();
      inside();
      await held;
      throw new Error('rolled back on purpose');
    });
    await begun;
    const oneStep = executeInOneTransaction(store.db, () => [store.db.insertInto('users').values(userRow('o1', 'o1@example.nl')).compile()]);
    release();
    await expect(kysely).rejects.toThrow('rolled back on purpose');
    await oneStep;
    // Had it run inside, the rollback would have taken its row too.
    expect(await store.db.selectFrom('users').select('id').execute()).toEqual([{ id: 'o1' }]);
  });

  it('sends a transaction’s begin with its first statement, and commits or rolls back an empty one', async () => {
    const messages = countThreadMessages();
    try {
      await store.db.transaction().execute(async (trx) => {
        await trx.insertInto('users').values(userRow('u1', 'a@example.nl')).execute();
        await trx.insertInto('users').values(userRow('u2', 'b@example.nl')).execute();
      });
      // begin + first insert, second insert, commit.
      expect(messages.count).toBe(3);
      await store.db.transaction().execute(async () => undefined);
      await expect(
        store.db.transaction().execute(async () => {
          throw new Error('nothing ran');
        }),
      ).rejects.toThrow('nothing ran');
      expect(messages.count).toBe(3);
      // A transaction whose first statement fails is rolled back, and the connection goes on.
      await expect(store.db.transaction().execute((trx) => trx.insertInto('users').values(userRow('u3', 'a@example.nl')).execute())).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
      await store.db.transaction().execute((trx) => trx.insertInto('users').values(userRow('u4', 'd@example.nl')).execute());
      expect(await store.db.selectFrom('users').select('id').orderBy('id').execute()).toEqual([{ id: 'u1' }, { id: 'u2' }, { id: 'u4' }]);
    } finally {
      messages.restore();
    }
  });

  it('runs statements given together in one message inside a transaction, and an unsynced commit leaves every later one synced', async () => {
    const synchronous = async () => (await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db)).rows[0]!.synchronous;
    const FULL = 2;
    expect(await synchronous()).toBe(FULL);
    const messages = countThreadMessages();
    try {
      await store.db.transaction().execute(async (trx) => {
        await commitUnsynced(trx);
        // NORMAL (1) inside, so the commit does not sync on its own.
        expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(trx)).rows[0]!.synchronous).toBe(1);
        const results = await executeAll(trx, [trx.insertInto('users').values(userRow('u1', 'a@example.nl')).compile(), sql`select count(*) as n from users`.compile(trx)]);
        expect(results[1]!.rows).toEqual([{ n: 1 }]);
      });
      // begin + pragma read, the two statements, commit.
      expect(messages.count).toBe(3);
    } finally {
      messages.restore();
    }
    expect(await synchronous()).toBe(FULL);
    // Rolled back, the same.
    await expect(
      store.db.transaction().execute(async (trx) => {
        await commitUnsynced(trx);
        await executeAll(trx, [trx.insertInto('users').values(userRow('u2', 'b@example.nl')).compile(), trx.insertInto('users').values(userRow('u3', 'a@example.nl')).compile()]);
      }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(await synchronous()).toBe(FULL);
    expect(await store.db.selectFrom('users').select('id').execute()).toEqual([{ id: 'u1' }]);
  });

  it('commits with a transaction’s last statements in their own message, refuses anything after, and rolls back whole when one fails', async () => {
    const messages = countThreadMessages();
    try {
      await store.db.transaction().execute(async (trx) => {
        await commitUnsynced(trx);
        const [count] = await executeAll(trx, [sql`select count(*) as n from users`.compile(trx)]);
        expect(count!.rows).toEqual([{ n: 0 }]);
        await executeAllAndCommit(trx, [trx.insertInto('users').values(userRow('u1', 'a@example.nl')).compile()]);
        await expect(trx.selectFrom('users').select('id').execute()).rejects.toThrow(/committed/);
      });
      // begin with the read; the insert with the commit. Kysely's own commit sends nothing.
      expect(messages.count).toBe(2);
    } finally {
      messages.restore();
    }
    expect(await store.db.selectFrom('users').select('id').execute()).toEqual([{ id: 'u1' }]);
    await expect(
      store.db.transaction().execute(async (trx) => {
        await executeAll(trx, [trx.insertInto('users').values(userRow('u2', 'b@example.nl')).compile()]);
        await executeAllAndCommit(trx, [trx.insertInto('users').values(userRow('u3', 'a@example.nl')).compile()]);
      }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(await store.db.selectFrom('users').select('id').execute()).toEqual([{ id: 'u1' }]);
    // The connection is free and synced again for the next transaction.
    expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db)).rows[0]!.synchronous).toBe(2);
  });

  it('sends statements and whole transactions behind one another without waiting for each answer, but nothing into an open transaction', async () => {
    const log: string[] = [];
    const post = Worker.prototype.postMessage;
    const emit = Worker.prototype.emit;
    Worker.prototype.postMessage = function (this: Worker, ...args: Parameters<Worker['postMessage']>) {
      log.push('send');
      return post.apply(this, args);
    };
    Worker.prototype.emit = function (this: Worker, event: string | symbol, ...args: unknown[]) {
      if (event === 'message') log.push('answer');
      return emit.call(this, event, ...args);
    };
    try {
      // A statement that keeps the thread busy a while, then a write and a read queued behind it.
      const slow = sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 300000) select count(*) as c from n`.execute(store.db);
      const write = executeInOneTransaction(store.db, () => [store.db.insertInto('users').values(userRow('u1', 'a@example.nl')).compile()]);
      const read = store.db.selectFrom('users').select('id').execute();
      await Promise.all([slow, write, read]);
      expect(log.slice(0, 3)).toEqual(['send', 'send', 'send']);
      expect(await read).toEqual([{ id: 'u1' }]);
      // An open transaction has the connection alone: a statement from outside waits for its end.
      log.length = 0;
      let outside: Promise<unknown> | undefined;
      await store.db.transaction().execute(async (trx) => {
        await trx.insertInto('users').values(userRow('u2', 'b@example.nl')).execute();
        outside = store.db.selectFrom('users').select('id').orderBy('id').execute();
        await new Promise((r) => setTimeout(r, 50));
        await trx.insertInto('users').values(userRow('u3', 'c@example.nl')).execute();
      });
      expect(await outside).toEqual([{ id: 'u1' }, { id: 'u2' }, { id: 'u3' }]);
      // begin with the first insert, the second, the commit; only then the read from outside.
      expect(log).toEqual(['send', 'answer', 'send', 'answer', 'send', 'answer', 'send', 'answer']);
    } finally {
      Worker.prototype.postMessage = post;
      Worker.prototype.emit = emit;
    }
  });

  it('keeps what was committed when the database is opened again', async () => {
    await new AuditLog(store.db).record({ actor: 'a', action: 'kept', outcome: 'succeeded' });
    await store.close();
    store = openStore({ kind: 'sqlite', file: path.join(dir, 'een.db') });
    expect(await new AuditLog(store.db).recent(5)).toMatchObject([{ action: 'kept' }]);
  });

  it('names the problem when the file cannot be opened', async () => {
    // A directory where the database file should be.
    const broken = openStore({ kind: 'sqlite', file: dir });
    await expect(broken.migrate()).rejects.toMatchObject({ message: expect.stringMatching(/unable to open|directory/i) as unknown });
    await broken.close();
  });

  it('reads the outbox queue through its partial index, not by grouping the whole table', async () => {
    const plan = await sql<{ detail: string }>`explain query plan
      select min(q.id) from notification_deliveries q indexed by notification_deliveries_queue
      where q.status in ('pending', 'sending') and q.space_id = 'x'`.execute(store.db);
    expect(plan.rows.map((r) => r.detail).join('\n')).toMatch(/notification_deliveries_queue \(space_id=\?\)/);
  });
});

function userRow(id: string, email: string) {
  const now = new Date().toISOString();
  const none = { display_name: null, teams_aad_object_id: null, slack_team_id: null, slack_user_id: null, webex_person_id: null, broadworks_user_id: null, een_number: null };
  return { id, email, ...none, created_at: now, updated_at: now };
}

describe('the audit log’s group commit', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'een-audit-'));
    store = openStore({ kind: 'sqlite', file: path.join(dir, 'een.db') });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits a burst of entries in few writes, each caller answered once its entry is stored', async () => {
    const audit = new AuditLog(store.db);
    let statements = 0;
    const counting = store.db.withPlugin({
      transformQuery: (args) => ((statements += 1), args.node),
      transformResult: async (args) => args.result,
    });
    const counted = new AuditLog(counting);
    await Promise.all(Array.from({ length: 300 }, (_, i) => counted.record({ actor: `u${i}`, action: 'burst', outcome: 'allowed' })));
    expect(statements).toBeLessThan(10);
    expect(await audit.recent(500)).toHaveLength(300);
  });

  it('fails every entry of a write that failed, and tells recordBehind’s listener', async () => {
    const lost: string[] = [];
    const audit = new AuditLog(store.db, undefined, (_err, entry) => lost.push(entry.action));
    await store.close();
    audit.recordBehind({ actor: 'u', action: 'behind', outcome: 'succeeded' });
    await expect(audit.record({ actor: 'u', action: 'waited', outcome: 'succeeded' })).rejects.toMatchObject({ message: expect.any(String) as unknown });
    await new Promise((r) => setImmediate(r));
    expect(lost).toEqual(['behind']);
    store = openStore({ kind: 'sqlite', file: path.join(dir, 'een.db') });
  });
});

describe('the SQLite store’s checkpointer', () => {
  it('copies the log into the database on a connection of its own once the log has grown, and leaves no log behind at close', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'een-checkpoint-'));
    const file = path.join(dir, 'een.db');
    const thread = new SqliteThread(file, ['journal_mode = WAL', 'synchronous = FULL']);
    try {
      await thread.ready;
      await thread.run('create table t (id integer primary key, body text not null)', []);
      await thread.run('insert into t (body) values (?)', ['small']);
      // A store that only migrated and wrote a little has no checkpointer (and no second thread's memory).
      await new Promise((r) => setTimeout(r, 400));
      expect(thread.checkpoints).toBe(0);
      // Past 4 MiB of log (SQLite's own threshold) in transactions the writer commits on its own thread.
      const body = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 8; i += 1) {
        await thread.batch(Array.from({ length: 10 }, () => ({ sql: 'insert into t (body) values (?)', parameters: [body] })), true);
        await new Promise((r) => setTimeout(r, 110));
      }
      await thread.run('insert into t (body) values (?)', ['after']);
      const deadline = Date.now() + 5_000;
      while (thread.checkpoints === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(thread.checkpoints).toBeGreaterThan(0);
    } finally {
      await thread.close();
    }
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = new SqliteThread(file, ['journal_mode = WAL']);
    try {
      await reopened.ready;
      expect((await reopened.run('select count(*) as n from t', [])).rows).toEqual([{ n: 82 }]);
    } finally {
      await reopened.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
