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
import { SqliteThread } from './sqlite-thread';

/** Kysely's SQLite dialect, with the connection on its own thread (see SqliteThread). */
export class SqliteThreadDialect implements Dialect {
  constructor(
    private readonly file: string,
    private readonly pragmas: string[],
  ) {}

  createDriver(): Driver {
    return new SqliteThreadDriver(this.file, this.pragmas);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

class SqliteThreadDriver implements Driver {
  private thread: SqliteThread | undefined;
  private connection: ThreadConnection | undefined;
  /** SQLite has one connection: whoever holds it (a transaction, say) holds it alone. */
  private held: Promise<void> | undefined;
  private release: (() => void) | undefined;

  constructor(
    private readonly file: string,
    private readonly pragmas: string[],
  ) {}

  async init(): Promise<void> {
    this.thread = new SqliteThread(this.file, this.pragmas);
    await this.thread.ready;
    this.connection = new ThreadConnection(this.thread);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    while (this.held) await this.held;
    this.held = new Promise((resolve) => (this.release = resolve));
    return this.connection!;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.release;
    this.held = undefined;
    this.release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    await this.thread?.close();
  }
}

class ThreadConnection implements DatabaseConnection {
  constructor(private readonly thread: SqliteThread) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.thread.run(compiledQuery.sql, compiledQuery.parameters);
    return {
      rows: result.rows as R[],
      ...(result.changes !== undefined ? { numAffectedRows: BigInt(result.changes) } : {}),
      ...(result.lastInsertRowid !== undefined ? { insertId: BigInt(result.lastInsertRowid) } : {}),
    };
  }

  // Kysely streams only when asked to (`.stream()`), which this service never does for SQLite;
  // a whole result in one message is what the thread can give.
  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const result = await this.executeQuery<R>(compiledQuery);
    for (const row of result.rows) yield { rows: [row] };
  }
}
