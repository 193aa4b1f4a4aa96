import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import { SqliteThread, type StatementResult } from './sqlite-thread';

/** Kysely's SQLite dialect, with the connection on its own thread (see SqliteThread). */
export class SqliteThreadDialect implements Dialect {
  private driver: SqliteThreadDriver | undefined;

  /** `started`: the thread, started already for `file` (startSqliteThread); else it starts with the first query. */
  constructor(
    private readonly file: string,
    private readonly pragmas: string[],
    private readonly started?: SqliteThread,
  ) {}

  createDriver(): Driver {
    this.driver = new SqliteThreadDriver(this.file, this.pragmas, this.started);
    return this.driver;
  }

  /**
   * Runs the statements `statements()` makes (once the connection is held) as one transaction in one message to the store's thread (see
   * SqliteThread.batch), taking the connection as a Kysely transaction would, so it never runs
   * inside another's. For a transaction whose statements do not depend on each other's results.
   */
  async runTransaction(statements: () => readonly CompiledQuery[]): Promise<QueryResult<unknown>[]> {
    if (!this.driver) throw new Error('the SQLite store is not open');
    return this.driver.runTransaction(statements);
  }

  /**
   * Closes the thread given started when no query ever used it: Kysely closes a driver only
   * once it ran something (its RuntimeDriver.destroy), so store.close() would leave it open.
   */
  async closeUnusedThread(): Promise<void> {
    if (this.started && !this.driver?.opened) await this.started.close();
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteThreadAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/**
 * SQLite's adapter, saying that SQLite runs schema changes inside a transaction (it does:
 * https://www.sqlite.org/lang_transaction.html; Kysely's SqliteAdapter answers no), so Kysely's
 * Migrator applies the pending migrations in one transaction: all or none of them, and one
 * synced commit instead of one per statement (about 90 for a new store, 40 to 250 ms of
 * synchronous=FULL disk syncs before the service is ready, issue 17).
 */
export class SqliteDdlInTransactionAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** SQLite's adapter, by its class telling code that has only a Kysely instance that the store runs on the thread (one-transaction.ts). */
export class SqliteThreadAdapter extends SqliteDdlInTransactionAdapter {}

/**
 * SQLite has one connection, on its own thread, which runs the messages it is sent one after
 * another. Only a transaction that spans several messages (Kysely's interactive transactions)
 * needs it alone, from its begin to its commit: while one is open, everything else waits its turn.
 * Anything else (a statement, or a transaction sent whole in one message) is sent at once, behind
 * whatever the thread is running: it used to wait until the event loop had taken the previous
 * message's answer, which under load is a turn of a busy loop each (issue 17).
 */
class SqliteThreadDriver implements Driver {
  private thread: SqliteThread | undefined;
  /** The connection whose transaction is open, and its end. */
  private transaction: { owner: ThreadConnection; ended: Promise<void>; end: () => void } | undefined;

  constructor(
    private readonly file: string,
    private readonly pragmas: string[],
    private readonly started?: SqliteThread,
  ) {}

  private opening: Promise<void> | undefined;

  /** True once a query (or runTransaction) has begun using the thread; destroy() closes it from then on. */
  get opened(): boolean {
    return this.opening !== undefined;
  }

  /** Kysely calls this once before its first query; runTransaction may come first. */
  init(): Promise<void> {
    this.opening ??= (async () => {
      this.thread = this.started ?? new SqliteThread(this.file, this.pragmas);
      await this.thread.ready;
    })();
    return this.opening;
  }

  /**
   * The end of another's open transaction to wait for before `connection` may send, or undefined
   * when it may send now. Callers wait in a loop and send right after the check that answered
   * undefined, with nothing awaited in between, so nothing lands inside another's transaction.
   */
  blockedBy(connection?: ThreadConnection): Promise<void> | undefined {
    return this.transaction && this.transaction.owner !== connection ? this.transaction.ended : undefined;
  }

  async runTransaction(statements: () => readonly CompiledQuery[]): Promise<QueryResult<unknown>[]> {
    await this.init();
    for (let blocked = this.blockedBy(); blocked; blocked = this.blockedBy()) await blocked;
    const results = await this.thread!.batch(statements(), true);
    return results.map((r) => queryResult(r));
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.init();
    return new ThreadConnection(this.thread!, this);
  }

  /** Sent with the transaction's first statement, not on its own (ThreadConnection.deferBegin). */
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const owner = connection as ThreadConnection;
    for (let blocked = this.blockedBy(owner); blocked; blocked = this.blockedBy(owner)) await blocked;
    let end = (): void => undefined;
    const ended = new Promise<void>((resolve) => (end = resolve));
    this.transaction = { owner, ended, end };
    owner.deferBegin();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.finishTransaction(connection as ThreadConnection, 'commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.finishTransaction(connection as ThreadConnection, 'rollback');
  }

  /**
   * Sends the transaction's commit or rollback, unless there is nothing to end: its last batch
   * committed it already (executeAllAndCommit), or it ran no statement (its begin was never
   * sent). Either way the connection is free for others afterwards.
   */
  private async finishTransaction(owner: ThreadConnection, end: 'commit' | 'rollback'): Promise<void> {
    try {
      if (owner.endCommittedBatch() || owner.dropDeferredBegin()) return;
      await owner.executeQuery(CompiledQuery.raw(end));
    } finally {
      this.endTransaction(owner);
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.endTransaction(connection as ThreadConnection);
  }

  private endTransaction(owner: ThreadConnection): void {
    const transaction = this.transaction;
    if (transaction?.owner !== owner) return;
    this.transaction = undefined;
    transaction.end();
  }

  async destroy(): Promise<void> {
    await this.thread?.close();
  }
}

/** Marks a CompiledQuery that is an instruction to ThreadConnection rather than a statement. */
const THREAD_INSTRUCTION = Symbol('een-bridge sqlite thread instruction');

type ThreadInstruction = { kind: 'batch'; queries: readonly CompiledQuery[]; commit: boolean } | { kind: 'unsynced' };

function instruction(what: ThreadInstruction): CompiledQuery {
  return { ...CompiledQuery.raw(`-- ${what.kind}`), [THREAD_INSTRUCTION]: what } as CompiledQuery;
}

/**
 * In a transaction on the SQLite thread store: runs `queries` one after another in one message
 * to the thread, and answers their results (as the rows of the result). Through Kysely's own
 * executeQuery, so it runs on the transaction's connection like any statement. See
 * executeAll in one-transaction.ts.
 */
export function batchQuery(queries: readonly CompiledQuery[], commit = false): CompiledQuery {
  return instruction({ kind: 'batch', queries, commit });
}

/** In a transaction not yet begun on the SQLite thread store: its commit goes without a disk sync of its own. */
export function unsyncedQuery(): CompiledQuery {
  return instruction({ kind: 'unsynced' });
}

class ThreadConnection implements DatabaseConnection {
  private beginDeferred = false;
  private unsyncedNext = false;
  /** The transaction was committed by its last batch (executeAllAndCommit); Kysely's commit has nothing left to do. */
  private committedInBatch = false;

  /** True once, after a batch committed the transaction: the commit (or rollback) Kysely sends next is skipped. */
  endCommittedBatch(): boolean {
    const committed = this.committedInBatch;
    this.committedInBatch = false;
    return committed;
  }

  constructor(
    private readonly thread: SqliteThread,
    private readonly driver: SqliteThreadDriver,
  ) {}

  /**
   * A transaction's `begin` goes in one message with its first statement: a message to the
   * thread and back is what a statement costs here (issue 17), and `begin` alone answers nothing.
   */
  deferBegin(): void {
    this.beginDeferred = true;
  }

  /** True when the transaction ran no statement, so there is nothing to commit or roll back. */
  dropDeferredBegin(): boolean {
    const deferred = this.beginDeferred;
    this.beginDeferred = false;
    this.unsyncedNext = false;
    return deferred;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    if (this.committedInBatch) throw new Error('this transaction was committed with its last statements (executeAllAndCommit); nothing more can run in it');
    // After the last check, nothing awaits until the message is sent (see blockedBy).
    for (let blocked = this.driver.blockedBy(this); blocked; blocked = this.driver.blockedBy(this)) await blocked;
    const what = (compiledQuery as { [THREAD_INSTRUCTION]?: ThreadInstruction })[THREAD_INSTRUCTION];
    if (what?.kind === 'unsynced') {
      // Only before the transaction's first statement: the setting cannot change inside one.
      if (!this.beginDeferred) throw new Error('an unsynced commit must be asked for before the transaction’s first statement');
      this.unsyncedNext = true;
      return { rows: [] };
    }
    const queries = what?.kind === 'batch' ? what.queries : [compiledQuery];
    const commit = what?.kind === 'batch' && what.commit;
    if (queries.length === 0 && !commit) return { rows: [] };
    let results: StatementResult[];
    if (this.beginDeferred) {
      const unsynced = this.unsyncedNext;
      this.beginDeferred = false;
      this.unsyncedNext = false;
      // Not a whole transaction: should a statement fail, the transaction stays open for the
      // rollback Kysely sends. Should `begin` itself fail, nothing was begun to roll back.
      results = (await this.thread.batch([CompiledQuery.raw('begin'), ...queries], false, unsynced, commit)).slice(1);
    } else if (commit) {
      results = await this.thread.batch(queries, false, false, true);
    } else if (queries.length === 1) {
      results = [await this.thread.run(queries[0]!.sql, queries[0]!.parameters)];
    } else {
      results = await this.thread.batch(queries, false);
    }
    if (commit) this.committedInBatch = true;
    if (what?.kind === 'batch') return { rows: results.map((r) => queryResult(r)) as R[] };
    return queryResult<R>(results[0]!);
  }

  // Kysely streams only when asked to (`.stream()`), which this service never does for SQLite;
  // a whole result in one message is what the thread can give.
  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const result = await this.executeQuery<R>(compiledQuery);
    for (const row of result.rows) yield { rows: [row] };
  }
}

function queryResult<R>(result: StatementResult): QueryResult<R> {
  return {
    rows: result.rows as R[],
    ...(result.changes !== undefined ? { numAffectedRows: BigInt(result.changes) } : {}),
    ...(result.lastInsertRowid !== undefined ? { insertId: BigInt(result.lastInsertRowid) } : {}),
  };
}
