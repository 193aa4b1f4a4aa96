import { Worker } from 'node:worker_threads';

/** What the SQLite thread answers for one statement. */
export interface StatementResult {
  rows: Record<string, unknown>[];
  changes?: number;
  lastInsertRowid?: number | bigint;
}

interface Reply extends Partial<StatementResult> {
  id: number;
  /** A batch's results, one per statement. */
  results?: StatementResult[];
  error?: { message: string; code?: string };
}

/**
 * The thread's own code, kept as a string so it runs alike under ts-jest and from dist/
 * (there is no compiled file whose path both could name). Prepared statements are cached:
 * the same few queries run thousands of times, and preparing costs more than running them.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const failure = (err) => ({ message: String((err && err.message) || err), code: err && err.code });
let db;
let openError;
try {
  db = new Database(workerData.file);
  for (const pragma of workerData.pragmas) db.pragma(pragma);
} catch (err) {
  openError = failure(err);
}
const statements = new Map();
let unsynced = false;
const decoder = new TextDecoder();
const encoder = new TextEncoder();
// A reply whose rows are plain JSON values goes back as UTF-8 bytes whose buffer is handed over
// (transferred), not copied by the structured clone, which costs the receiving event loop far
// more per byte (see SqliteThread.send). Rows holding anything else (a BLOB's Buffer, say) are cloned.
function plain(value) {
  if (value === null) return true;
  switch (typeof value) {
    case 'string': case 'boolean': return true;
    case 'number': return Number.isFinite(value) && !Object.is(value, -0);
    case 'object':
      if (Array.isArray(value)) return value.every(plain);
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) if (!plain(value[key])) return false;
      return true;
    default: return false;
  }
}
function reply(message) {
  if (message.error || !plain(message)) return parentPort.postMessage(message);
  const packed = encoder.encode(JSON.stringify(message));
  parentPort.postMessage({ id: message.id, packed }, [packed.buffer]);
}
function prepared(sql) {
  let statement = statements.get(sql);
  if (!statement) {
    if (statements.size >= 1000) statements.clear();
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}
parentPort.on('message', (message) => {
  const m = message.packed ? { id: message.id, ...JSON.parse(decoder.decode(message.packed)) } : message;
  if (openError) {
    parentPort.postMessage({ id: m.id, rows: [], ...(m.close ? {} : { error: openError }) });
    return;
  }
  if (m.close) {
    db.close();
    parentPort.postMessage({ id: m.id, rows: [] });
    return;
  }
  try {
    if (m.unsynced && !db.inTransaction) {
      db.pragma('synchronous = NORMAL');
      unsynced = true;
    }
    if (m.batch) runBatch(m);
    else {
      try {
        reply({ id: m.id, ...execute(m) });
      } catch (err) {
        parentPort.postMessage({ id: m.id, error: failure(err) });
      }
    }
  } finally {
    // An unsynced transaction (see SqliteThread.batch) ends here, committed or rolled back:
    // every later commit is synced again, without a message of its own.
    if (unsynced && !db.inTransaction) {
      db.pragma('synchronous = FULL');
      unsynced = false;
    }
    watchWal();
  }
});
// SQLite checkpoints the write-ahead log into the database on the commit that takes it past
// wal_autocheckpoint pages (1000 by default): that commit copies the pages and syncs the database
// file, tens of milliseconds every few thousand webhooks, while every caller waits. Once the log
// first grows past workerData.checkpointAfterBytes (a service under load, not one that only
// migrated), this asks for a checkpointer of its own (SqliteThread.startCheckpointer), and keeps
// an automatic checkpoint only as a far bound, should that one fall behind.
// https://www.sqlite.org/wal.html#automatic_checkpoint, https://www.sqlite.org/c3ref/wal_checkpoint_v2.html
const fs = require('node:fs');
let checkpointerAsked = workerData.checkpointAfterBytes === undefined;
let walLookedAt = 0;
function watchWal() {
  if (checkpointerAsked || openError || db.inTransaction) return;
  const now = Date.now();
  if (now - walLookedAt < 100) return;
  walLookedAt = now;
  let size;
  try {
    size = fs.statSync(workerData.file + '-wal').size;
  } catch {
    return;
  }
  if (size < workerData.checkpointAfterBytes) return;
  checkpointerAsked = true;
  db.pragma('wal_autocheckpoint = ' + workerData.fallbackCheckpointPages);
  parentPort.postMessage({ id: -1, wantsCheckpointer: true });
}
function execute(m) {
  const statement = prepared(m.sql);
  if (statement.reader) return { rows: statement.all(m.parameters) };
  const result = statement.run(m.parameters);
  return { rows: [], changes: result.changes, lastInsertRowid: result.lastInsertRowid };
}
// Statements run one after another in one message. With 'transaction' the batch is a whole
// transaction: begun and committed here, rolled back here when a statement fails. Without, it
// is a run of statements of a transaction the caller holds open (a deferred begin and the first
// statement after it): a failure leaves the transaction to the caller's rollback.
function runBatch(m) {
  const results = [];
  let begun = false;
  try {
    if (m.transaction) {
      prepared('begin').run();
      begun = true;
    }
    for (const s of m.batch) results.push(execute(s));
    if (m.transaction || (m.commit && db.inTransaction)) prepared('commit').run();
    reply({ id: m.id, rows: [], results });
  } catch (err) {
    if (begun && db.inTransaction) {
      try {
        prepared('rollback').run();
      } catch {
        // A failed rollback leaves nothing more to undo here; the statement's error is the one to report.
      }
    }
    parentPort.postMessage({ id: m.id, error: failure(err) });
  }
}
parentPort.postMessage({ id: 0, rows: [], ...(openError ? { error: openError } : {}) });
`;

/**
 * The checkpointer's thread: a second connection to the same database that copies the write-ahead
 * log into it when asked, PASSIVE so it never waits for or blocks the writer (WAL lets a
 * checkpoint run beside a write transaction: https://www.sqlite.org/wal.html#concurrency).
 */
const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
let db;
try {
  db = new Database(workerData.file);
  db.pragma('busy_timeout = 0');
} catch {
  db = undefined;
}
parentPort.on('message', (m) => {
  if (m.close) {
    db?.close();
    parentPort.postMessage({ closed: true });
    return;
  }
  try {
    const [r] = db ? db.pragma('wal_checkpoint(PASSIVE)') : [];
    parentPort.postMessage({ done: true, frames: r ? r.checkpointed : 0 });
  } catch (err) {
    parentPort.postMessage({ done: true, frames: 0, error: String((err && err.message) || err) });
  }
});
`;

/** Log size at which the writer asks for a checkpointer: SQLite's own default threshold, 1000 pages of 4 KiB. */
const CHECKPOINT_AFTER_BYTES = 1000 * 4096;
/** The writer's own automatic checkpoint once a checkpointer runs: only if that one falls far behind (64 MiB of log). */
const FALLBACK_CHECKPOINT_PAGES = 16_384;
/** How often the checkpointer is asked to copy what the writer committed since. */
const CHECKPOINT_EVERY_MS = 200;

/**
 * One SQLite connection on its own thread. better-sqlite3 is synchronous, so on the event loop
 * every commit would stop all request handling for the length of its disk sync (synchronous=FULL:
 * about a millisecond, far more on a busy disk). Here the loop only waits for a message; other
 * requests are parsed, verified and answered meanwhile, and the thread's commits stay durable.
 */
export class SqliteThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | undefined;
  private checkpointer: { worker: Worker; checkpoints: number; busy: boolean; timer: NodeJS.Timeout | undefined; exited: boolean } | undefined;
  private sentSinceCheckpoint = false;
  readonly ready: Promise<void>;

  constructor(
    private readonly file: string,
    pragmas: string[],
  ) {
    this.worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { file, pragmas, driverPath: require.resolve('better-sqlite3'), ...(file === ':memory:' ? {} : { checkpointAfterBytes: CHECKPOINT_AFTER_BYTES, fallbackCheckpointPages: FALLBACK_CHECKPOINT_PAGES }) },
    });
    this.ready = new Promise<void>((resolve, reject) => {
      this.pending.set(0, { resolve: () => resolve(), reject });
    });
    // A rejected `ready` nobody awaits yet must not crash the process; the next query reports it.
    this.ready.catch(() => undefined);
    this.worker.on('message', (reply: Reply | { id: number; packed: Uint8Array } | { id: -1; wantsCheckpointer: true }) => this.settle(reply));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`the SQLite thread stopped (exit code ${code})`)));
    // Idle, the thread must not keep the process alive; while a statement (or the opening of
    // the database) is in flight it must, or a process awaiting only the store would exit.
  }

  run(sql: string, parameters: readonly unknown[]): Promise<StatementResult> {
    return this.send({ sql, parameters }).then((reply) => resultOf(reply));
  }

  /**
   * Runs `statements` in order in one message to the thread, answering each one's result. Every
   * message is a hop from the main event loop to the thread and back, which under load waits its
   * turn behind the loop's other work; the statements of a transaction took one hop each (issue 17).
   * `transaction`: the batch is a whole transaction, begun, committed (or rolled back) in the thread.
   * `commit`: the statements end the transaction the caller holds open: committed in the same
   * message once they all ran (a failure leaves it open for the caller's rollback).
   * `unsynced`: the transaction begun in this batch commits without a disk sync of its own
   * (synchronous=NORMAL, https://www.sqlite.org/pragma.html#pragma_synchronous); the thread puts
   * FULL back as soon as no transaction is open, whichever message ended it.
   */
  async batch(statements: readonly { sql: string; parameters: readonly unknown[] }[], transaction: boolean, unsynced = false, commit = false): Promise<StatementResult[]> {
    const reply = await this.send({ batch: statements.map((s) => ({ sql: s.sql, parameters: s.parameters })), transaction, ...(unsynced ? { unsynced } : {}), ...(commit ? { commit } : {}) });
    return (reply.results ?? []).map((r) => resultOf(r));
  }

  async close(): Promise<void> {
    await this.stopCheckpointer();
    if (this.failure) return;
    await this.send({ close: true });
    await this.worker.terminate();
  }

  private async stopCheckpointer(): Promise<void> {
    const checkpointer = this.checkpointer;
    if (!checkpointer || checkpointer.exited) return;
    clearInterval(checkpointer.timer);
    // Kept alive until it has closed, so a process awaiting only close() does not end first.
    checkpointer.worker.ref();
    // Its connection is closed before the writer's, so the writer's close (the last connection)
    // checkpoints what is left and removes the log, as it did before there was a checkpointer.
    await new Promise<void>((resolve) => {
      checkpointer.worker.once('exit', () => resolve());
      checkpointer.worker.on('message', (m: { closed?: boolean }) => {
        if (m.closed) void checkpointer.worker.terminate();
      });
      checkpointer.worker.postMessage({ close: true });
    });
  }

  private send(message: Record<string, unknown>): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.sentSinceCheckpoint = true;
      // Statements whose parameters are plain JSON values go as UTF-8 bytes whose buffer is
      // transferred: the structured clone of a message holding webhook payloads cost the event
      // loop about 100-250 µs a message here, encoding and handing over its buffer a tenth of that
      // (issue 17, measured in the ingest benchmark's CPU profiles). Anything else (a Buffer
      // parameter, a bigint) is cloned as before.
      const packed = plainJson(message) ? encoder.encode(JSON.stringify(message)) : undefined;
      if (packed) this.worker.postMessage({ id, packed }, [packed.buffer]);
      else this.worker.postMessage({ id, ...message });
    });
  }

  /** Checkpoints the checkpointer ran that found log frames to copy (tests). */
  get checkpoints(): number {
    return this.checkpointer?.checkpoints ?? 0;
  }

  /**
   * Starts the checkpointer the writer asked for (see THREAD_SOURCE's watchWal): every
   * CHECKPOINT_EVERY_MS while statements are sent, one PASSIVE checkpoint on its own connection
   * and thread. It never keeps the process alive, and stops with close().
   */
  private startCheckpointer(): void {
    if (this.checkpointer || this.failure) return;
    const worker = new Worker(CHECKPOINTER_SOURCE, { eval: true, workerData: { file: this.file, driverPath: require.resolve('better-sqlite3') } });
    worker.unref();
    const state = { worker, checkpoints: 0, busy: false, timer: undefined as NodeJS.Timeout | undefined, exited: false };
    this.checkpointer = state;
    worker.once('exit', () => {
      state.exited = true;
      clearInterval(state.timer);
    });
    // A checkpointer that failed leaves the writer's own automatic checkpoint to bound the log.
    worker.on('error', () => clearInterval(state.timer));
    worker.on('message', (m: { done?: boolean; frames?: number }) => {
      if (!m.done) return;
      state.busy = false;
      if ((m.frames ?? 0) > 0) state.checkpoints += 1;
    });
    state.timer = setInterval(() => {
      if (state.busy || !this.sentSinceCheckpoint) return;
      this.sentSinceCheckpoint = false;
      state.busy = true;
      worker.postMessage({ checkpoint: true });
    }, CHECKPOINT_EVERY_MS);
    state.timer.unref();
  }

  private settle(message: Reply | { id: number; packed: Uint8Array } | { id: -1; wantsCheckpointer: true }): void {
    if ('wantsCheckpointer' in message) return this.startCheckpointer();
    const reply: Reply = 'packed' in message ? { id: message.id, ...(JSON.parse(decoder.decode(message.packed)) as Omit<Reply, 'id'>) } : message;
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.error) waiting.reject(Object.assign(new Error(reply.error.message), reply.error.code ? { code: reply.error.code } : {}));
    else waiting.resolve(reply);
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const waiting of this.pending.values()) waiting.reject(this.failure);
    this.pending.clear();
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** True when `value` survives JSON unchanged: null, strings, booleans, finite numbers, and arrays and plain objects of them. */
export function plainJson(value: unknown): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (Array.isArray(value)) return value.every(plainJson);
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) if (!plainJson((value as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false;
  }
}

function resultOf(reply: Partial<StatementResult>): StatementResult {
  return { rows: reply.rows ?? [], ...(reply.changes !== undefined ? { changes: reply.changes } : {}), ...(reply.lastInsertRowid !== undefined ? { lastInsertRowid: reply.lastInsertRowid } : {}) };
}
