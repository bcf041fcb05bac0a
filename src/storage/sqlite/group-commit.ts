/**
 * Kysely's SQLite dialect with group commit: the writes that concurrent requests make outside an
 * explicit transaction are committed together, one SQLite transaction per turn of the event loop,
 * instead of one transaction each.
 *
 * Why: in WAL mode a commit writes every page the statement touched to the log, and a token row
 * touches several (the table and each index); most of the cost of an INSERT is that commit. Under
 * load many requests reach their write in the same turn: one commit then carries all of them.
 *
 * What does not change:
 * - durability: a write's promise resolves only after the transaction holding it commits, so a
 *   response is never sent for a write that is not on disk (as durable as before: WAL,
 *   `synchronous = NORMAL`);
 * - atomicity: each statement still runs whole and alone (better-sqlite3 is synchronous, the batch
 *   runs in one synchronous block); a statement that fails is undone alone and fails its caller
 *   alone; an error that aborts the transaction fails every caller of the batch;
 * - order: writes run in the order they were issued; a read runs at once and sees what is
 *   committed, as if it had come before the writes still waiting;
 * - explicit transactions (`storage.transaction`, `BEGIN …`): pending writes are committed first,
 *   then the transaction runs alone, and every other statement waits for its COMMIT or ROLLBACK;
 * - while writes are held (`holdWrites`: the checkpointer restarting the WAL), writes wait in the
 *   queue and transactions wait to begin; reads go on.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { DatabaseConnection, Driver, QueryResult, TransactionSettings } from 'kysely';
import { atTurnEnd } from '../../util/turn-end.js';
import { CompiledQuery, SqliteDialect } from '../sql/kysely.js';

/** Most statements kept prepared: the query layer has a few dozen distinct ones. */
const MAX_STATEMENTS = 512;

interface Pending {
  statement: BetterSqlite3.Statement;
  parameters: readonly unknown[];
  resolve(result: QueryResult<unknown>): void;
  reject(error: unknown): void;
}

const TRANSACTION_START = /^\s*(begin|savepoint)\b/i;
const TRANSACTION_END = /^\s*(commit|end|rollback)\b(?!\s+to\b)/i;

/** Runs one prepared statement now, with Kysely's result shape. */
function run(statement: BetterSqlite3.Statement, parameters: readonly unknown[]): QueryResult<unknown> {
  if (statement.reader) return { rows: statement.all(...(parameters as unknown[])) };
  const { changes, lastInsertRowid } = statement.run(...(parameters as unknown[]));
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

/** The one SQLite connection, shared by every Kysely "connection" (a session over it). */
class GroupCommitDriver implements Driver {
  readonly #database: BetterSqlite3.Database;
  readonly #statements = new Map<string, BetterSqlite3.Statement>();
  #queue: Pending[] = [];
  #flushScheduled = false;
  /** The session running an explicit transaction, and the promise of its end. */
  #transaction: { owner: DatabaseConnection; ended: Promise<void>; end: () => void } | undefined;
  /** While writes are held: how many holders, and the promise of the last release. */
  #hold: { holders: number; released: Promise<void>; release: () => void } | undefined;

  constructor(database: BetterSqlite3.Database) {
    this.#database = database;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new Session(this);
  }

  async beginTransaction(connection: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    // A session released inside its transaction (a caller's bug) must not lock everyone out.
    if (this.#transaction?.owner === connection) {
      if (this.#database.inTransaction) this.#database.exec('rollback');
      this.#endTransaction();
    }
  }

  async destroy(): Promise<void> {
    while (this.#transaction) await this.#transaction.ended;
    this.#endHold();
    this.#flush();
    this.#database.close();
  }

  /**
   * Holds this connection's writes until the returned function is called (each holder calls its
   * own; the writes go on once every holder has): writes outside a transaction wait in the queue,
   * a transaction waits to begin. A transaction already running goes on. Reads are not held.
   */
  holdWrites(): () => void {
    if (this.#hold === undefined) {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      this.#hold = { holders: 0, released, release };
    }
    const hold = this.#hold;
    hold.holders += 1;
    let done = false;
    return () => {
      if (done || this.#hold !== hold) return;
      done = true;
      if ((hold.holders -= 1) === 0) this.#endHold();
    };
  }

  #endHold(): void {
    const hold = this.#hold;
    if (hold === undefined) return;
    this.#hold = undefined;
    hold.release();
    if (this.#transaction === undefined) this.#flush();
  }

  prepare(sql: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      // Past the bound (an unexpected variety of SQL texts), start over rather than grow.
      if (this.#statements.size >= MAX_STATEMENTS) this.#statements.clear();
      statement = this.#database.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs or queues `compiled` for `session`; while another session's transaction runs, waits for its end. */
  execute(session: Session, compiled: CompiledQuery): Promise<QueryResult<unknown>> {
    const transaction = this.#transaction;
    if (transaction !== undefined && transaction.owner !== session) return transaction.ended.then(() => this.execute(session, compiled));
    try {
      return this.#execute(session, compiled);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #execute(session: Session, compiled: CompiledQuery): Promise<QueryResult<unknown>> {
    const { sql, parameters } = compiled;
    if (this.#transaction === undefined && TRANSACTION_START.test(sql)) {
      const hold = this.#hold;
      if (hold !== undefined) return hold.released.then(() => this.execute(session, compiled));
      // The waiting writes commit first: they were issued before this transaction began.
      this.#flush();
      const result = run(this.prepare(sql), parameters);
      let end!: () => void;
      const ended = new Promise<void>((resolve) => (end = resolve));
      this.#transaction = { owner: session, ended, end };
      return Promise.resolve(result);
    }
    const statement = this.prepare(sql);
    if (this.#transaction?.owner === session) {
      const result = run(statement, parameters);
      if (TRANSACTION_END.test(sql) && !this.#database.inTransaction) this.#endTransaction();
      return Promise.resolve(result);
    }
    if (statement.readonly) return Promise.resolve(run(statement, parameters));
    return new Promise((resolve, reject) => {
      this.#queue.push({ statement, parameters, resolve, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        // At the end of this turn (util/turn-end.ts): the writes of every request its callbacks started.
        atTurnEnd(() => {
          this.#flushScheduled = false;
          if (this.#transaction === undefined) this.#flush();
        });
      }
    });
  }

  #endTransaction(): void {
    const transaction = this.#transaction;
    this.#transaction = undefined;
    transaction?.end();
    // Writes that arrived during the transaction waited for it.
    this.#flush();
  }

  /** Commits the waiting writes in one transaction (alone: without BEGIN), then answers their callers; while writes are held, nothing. */
  #flush(): void {
    const batch = this.#queue;
    if (batch.length === 0 || this.#hold !== undefined) return;
    this.#queue = [];
    if (batch.length === 1) {
      const [only] = batch as [Pending];
      try {
        only.resolve(run(only.statement, only.parameters));
      } catch (error) {
        only.reject(error);
      }
      return;
    }
    const outcomes: ({ result: QueryResult<unknown> } | { error: unknown })[] = [];
    try {
      this.#database.exec('begin immediate');
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (const pending of batch) {
      try {
        outcomes.push({ result: run(pending.statement, pending.parameters) });
      } catch (error) {
        outcomes.push({ error });
        if (!this.#database.inTransaction) {
          // The error rolled back the whole transaction: no write of the batch was kept.
          for (const other of batch) other.reject(error);
          return;
        }
      }
    }
    try {
      this.#database.exec('commit');
    } catch (error) {
      if (this.#database.inTransaction) this.#database.exec('rollback');
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, index) => {
      const outcome = outcomes[index]!;
      if ('result' in outcome) pending.resolve(outcome.result);
      else pending.reject(outcome.error);
    });
  }
}

/** What Kysely holds as a connection: a session over the one SQLite connection. */
class Session implements DatabaseConnection {
  readonly #driver: GroupCommitDriver;

  constructor(driver: GroupCommitDriver) {
    this.#driver = driver;
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return this.#driver.execute(this, compiledQuery) as Promise<QueryResult<R>>;
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the SQLite storage does not stream queries');
  }
}

/**
 * Kysely's SQLite dialect over `database` with group commit and prepared statements reused by SQL
 * text (SQLite re-prepares a reused statement by itself when the schema changes).
 */
export class GroupCommitSqliteDialect extends SqliteDialect {
  readonly #driver: GroupCommitDriver;
  /** The session of statements run by `runStatement`: never in a transaction of its own. */
  readonly #statements: Session;

  constructor(database: BetterSqlite3.Database) {
    super({ database });
    this.#driver = new GroupCommitDriver(database);
    this.#statements = new Session(this.#driver);
  }

  override createDriver(): Driver {
    return this.#driver;
  }

  /** Holds the connection's writes until the returned function is called (`GroupCommitDriver.holdWrites`). */
  holdWrites(): () => void {
    return this.#driver.holdWrites();
  }

  /**
   * Runs one statement as Kysely would outside a transaction (queued for the group commit when it
   * writes, waiting for another session's transaction to end), without Kysely's connection
   * handling around it: for the prepared queries of the hot paths (`runPreparedQueriesWith`).
   */
  runStatement(query: CompiledQuery): Promise<QueryResult<unknown>> {
    return this.#driver.execute(this.#statements, query);
  }
}
