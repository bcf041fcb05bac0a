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
 * - a guarded unit (`runGuarded`: a statement, and those that may only be kept if it changed
 *   exactly one row) runs whole or not at all: should one fail half-way, the batch is rolled back
 *   and run again with each unit in a savepoint of its own;
 * - order: writes run in the order they were issued; a read runs at once and sees what is
 *   committed, as if it had come before the writes still waiting;
 * - explicit transactions (`storage.transaction`, `BEGIN …`): pending writes are committed first,
 *   then the transaction runs alone, and every other statement waits for its COMMIT or ROLLBACK;
 * - while writes are held (`holdWrites`: the checkpointer restarting the WAL), writes wait in the
 *   queue and transactions wait to begin; reads go on.
 *
 * With `otherWriters` (the workers of `--workers N`), while another process holds the write lock,
 * the batch waits for it in the queue, tried again within milliseconds, and the event loop goes
 * on meanwhile — SQLite's busy handler would sleep on it, holding every request of the process
 * (counted with two workers under load: some 70 sleeps of 1–5 ms a second per worker, a twelfth
 * of its time). Writes that wait longer than the connection's busy timeout fail with SQLITE_BUSY,
 * as in SQLite's own wait.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { DatabaseConnection, Driver, QueryResult, TransactionSettings } from 'kysely';
import { atTurnEnd } from '../../util/turn-end.js';
import { CompiledQuery, SqliteDialect } from '../sql/kysely.js';

/** Most statements kept prepared: the query layer has a few dozen distinct ones. */
const MAX_STATEMENTS = 512;

/** A statement ready to run: prepared, with its values. */
interface Bound {
  statement: BetterSqlite3.Statement;
  parameters: readonly unknown[];
}

/** A write waiting for the group commit: one statement, or a guarded unit (`runGuarded`). */
type Pending = Bound & { then?: undefined; resolve(result: QueryResult<unknown>): void; reject(error: unknown): void }
  | Bound & { then: readonly Bound[]; resolve(kept: boolean): void; reject(error: unknown): void };

const TRANSACTION_START = /^\s*(begin|savepoint)\b/i;
const TRANSACTION_END = /^\s*(commit|end|rollback)\b(?!\s+to\b)/i;

/** The savepoint a guarded unit runs in, inside the batch's transaction. */
const UNIT_SAVEPOINT = 'latchkey_guarded_unit';

/** Thrown by a guarded unit that failed half-way outside a savepoint: the batch is run again, in savepoints. */
const REDO_IN_SAVEPOINTS = Symbol('redo in savepoints');

/** How the group commit shares its file. */
export interface GroupCommitOptions {
  /**
   * Other processes write to the file all the time (the other workers of `latchkey start
   * --workers N`): while one of them holds the write lock, this process's writes wait for it in
   * the queue, tried again within milliseconds, while the event loop goes on. Otherwise they wait
   * in SQLite's busy handler, which sleeps on the event loop — rare when only the CLI writes
   * beside the server.
   */
  otherWriters?: boolean;
}

/** A write that did not run: another process holds the write lock. */
const LOCKED = Symbol('locked by another process');

/** The waits between tries of the write lock while another process holds it, in ms; the last repeats. */
const LOCK_RETRY_MS = [1, 1, 2, 2, 5, 5, 10, 20, 50];

/** A promise and what ends it. */
function withEnd(): { ended: Promise<void>; end: () => void } {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  return { ended, end };
}

/** What became of one write of a batch: its result (a guarded unit's: whether it was kept), or its error. */
type Outcome = { result: QueryResult<unknown> | boolean } | { error: unknown };

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
  /**
   * While another process holds the write lock: since when the queued writes have waited for it,
   * how many tries, the next one, and the promise of their end (a transaction begins after it).
   */
  #lockWait: { since: number; tries: number; retry: NodeJS.Timeout | undefined; ended: Promise<void>; end: () => void } | undefined;

  /** The connection's busy timeout, in ms: how long writes wait for another process's lock. */
  readonly #busyTimeoutMs: number;
  /**
   * With `GroupCommitOptions.otherWriters`, the pragmas that set the busy timeout to 0 and back
   * around a write's first statement: writes then wait for another process's lock in the event
   * loop. Run through `pragma()`, never kept prepared: SQLite applies a pragma's setting when it
   * prepares the statement, so a kept statement's first run would apply nothing.
   */
  readonly #busyTimeout: { off: string; on: string } | undefined;

  constructor(database: BetterSqlite3.Database, options: GroupCommitOptions) {
    this.#database = database;
    this.#busyTimeoutMs = Number(database.pragma('busy_timeout', { simple: true }));
    this.#busyTimeout = options.otherWriters
      ? { off: 'busy_timeout = 0', on: `busy_timeout = ${this.#busyTimeoutMs}` }
      : undefined;
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
    this.#flush(true);
    this.#database.close();
  }

  /**
   * Holds this connection's writes until the returned function is called (each holder calls its
   * own; the writes go on once every holder has): writes outside a transaction wait in the queue,
   * a transaction waits to begin. A transaction already running goes on. Reads are not held.
   */
  holdWrites(): () => void {
    if (this.#hold === undefined) {
      const { ended: released, end: release } = withEnd();
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
      const waiting = this.#lockWait;
      if (waiting !== undefined) return waiting.ended.then(() => this.execute(session, compiled));
      const result = run(this.prepare(sql), parameters);
      this.#transaction = { owner: session, ...withEnd() };
      return Promise.resolve(result);
    }
    const statement = this.prepare(sql);
    if (this.#transaction?.owner === session) {
      const result = run(statement, parameters);
      if (TRANSACTION_END.test(sql) && !this.#database.inTransaction) this.#endTransaction();
      return Promise.resolve(result);
    }
    if (statement.readonly) return Promise.resolve(run(statement, parameters));
    return new Promise((resolve, reject) => this.#enqueue({ statement, parameters, resolve, reject }));
  }

  /**
   * Queues `guard` and `then` for the group commit as one unit, outside any transaction (waiting
   * for another session's to end): `then` runs only if `guard` changed exactly one row, and all of
   * it is undone if one of `then` fails. Resolves with whether `then` ran and was committed. The
   * statements write and return no rows (UPDATE, INSERT, DELETE without RETURNING).
   */
  runGuarded(session: Session, guard: CompiledQuery, then: readonly CompiledQuery[]): Promise<boolean> {
    const transaction = this.#transaction;
    if (transaction !== undefined && transaction.owner !== session) return transaction.ended.then(() => this.runGuarded(session, guard, then));
    try {
      const bind = ({ sql, parameters }: CompiledQuery): Bound => ({ statement: this.prepare(sql), parameters });
      const unit = { ...bind(guard), then: then.map(bind) };
      return new Promise((resolve, reject) => this.#enqueue({ ...unit, resolve, reject }));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #enqueue(pending: Pending): void {
    this.#queue.push(pending);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      // At the end of this turn (util/turn-end.ts): the writes of every request its callbacks started.
      atTurnEnd(() => {
        this.#flushScheduled = false;
        if (this.#transaction === undefined) this.#flush();
      });
    }
  }

  #endTransaction(): void {
    const transaction = this.#transaction;
    this.#transaction = undefined;
    transaction?.end();
    // Writes that arrived during the transaction waited for it.
    this.#flush();
  }

  /**
   * Commits the waiting writes in one transaction (alone: without BEGIN), then answers their
   * callers; while writes are held, nothing. While another process holds the write lock, the
   * writes wait for it without holding the event loop (`#waitForLock`); `blocking` (at close)
   * waits in SQLite's busy handler instead.
   */
  #flush(blocking = false): void {
    const batch = this.#queue;
    if (batch.length === 0 || this.#hold !== undefined) return;
    // Waiting for another process's lock: the next try is set already (each costs a failed lock).
    if (!blocking && this.#lockWait?.retry !== undefined) return;
    this.#queue = [];
    const [first] = batch as [Pending];
    if (batch.length === 1 && first.then === undefined) {
      try {
        const result = this.#withoutWaiting(blocking, () => run(first.statement, first.parameters));
        if (result === LOCKED) return this.#waitForLock(batch);
        first.resolve(result);
      } catch (error) {
        first.reject(error);
      }
      return this.#lockWaitOver();
    }
    // Guarded units run without savepoints of their own: one that fails half-way has the whole
    // batch rolled back and run again, each unit in a savepoint (a savepoint copies every page its
    // statements first touch; a unit fails only on a constraint or I/O error).
    let outcomes = this.#commit(batch, false, blocking);
    if (outcomes === LOCKED) return this.#waitForLock(batch);
    if (outcomes === REDO_IN_SAVEPOINTS) outcomes = this.#commit(batch, true, true);
    this.#lockWaitOver();
    if (outcomes === REDO_IN_SAVEPOINTS || outcomes === undefined || outcomes === LOCKED) return;
    batch.forEach((pending, index) => {
      const outcome = outcomes[index]!;
      if ('result' in outcome) (pending.resolve as (result: QueryResult<unknown> | boolean) => void)(outcome.result);
      else pending.reject(outcome.error);
    });
  }

  /**
   * Runs `write` — the first statement of a write: it takes the write lock — failing at once
   * rather than waiting when another process holds that lock (SQLITE_BUSY): `LOCKED`, and nothing
   * was changed. With `blocking`, or without `otherWriters`, waits in SQLite's busy handler as
   * any statement does (switching the busy timeout around it is two statements a commit).
   */
  #withoutWaiting<T>(blocking: boolean, write: () => T): T | typeof LOCKED {
    const busyTimeout = this.#busyTimeout;
    if (blocking || busyTimeout === undefined) return write();
    this.#database.pragma(busyTimeout.off);
    try {
      return write();
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_BUSY' && !this.#database.inTransaction) return LOCKED;
      throw error;
    } finally {
      this.#database.pragma(busyTimeout.on);
    }
  }

  /**
   * Another process holds the write lock: `batch` goes back to the head of the queue, and is
   * tried again after a short wait, growing from 1 to 50 ms, while the event loop goes on —
   * reads, parsing, signing; SQLite's own busy handler would sleep on it. Writes queued
   * meanwhile join it. Past the busy timeout, the writes fail as SQLite's would.
   */
  #waitForLock(batch: Pending[]): void {
    this.#queue = batch.concat(this.#queue);
    const now = performance.now();
    const wait = (this.#lockWait ??= { since: now, tries: 0, retry: undefined, ...withEnd() });
    if (wait.retry !== undefined) return;
    if (now - wait.since >= this.#busyTimeoutMs) {
      const queued = this.#queue;
      this.#queue = [];
      const error = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      for (const pending of queued) pending.reject(error);
      return this.#lockWaitOver();
    }
    const delay = LOCK_RETRY_MS[Math.min(wait.tries, LOCK_RETRY_MS.length - 1)]!;
    wait.tries += 1;
    wait.retry = setTimeout(() => {
      wait.retry = undefined;
      if (this.#transaction === undefined) this.#flush();
    }, delay);
  }

  /** The writes that waited for another process's lock are done: whoever waited behind them goes on. */
  #lockWaitOver(): void {
    const wait = this.#lockWait;
    if (wait === undefined) return;
    this.#lockWait = undefined;
    clearTimeout(wait.retry);
    wait.end();
  }

  /**
   * Runs `batch` in one transaction and commits it: the outcome of each write. Undefined when the
   * transaction failed as a whole (every caller is then rejected); `REDO_IN_SAVEPOINTS`, rolled
   * back, when a guarded unit run without a savepoint failed after it had changed something;
   * `LOCKED` when another process holds the write lock (nothing was run).
   */
  #commit(batch: readonly Pending[], inSavepoints: boolean, blocking: boolean): Outcome[] | typeof REDO_IN_SAVEPOINTS | typeof LOCKED | undefined {
    const database = this.#database;
    const outcomes: Outcome[] = [];
    try {
      if (this.#withoutWaiting(blocking, () => database.exec('begin immediate')) === LOCKED) return LOCKED;
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return undefined;
    }
    for (const pending of batch) {
      try {
        outcomes.push({ result: pending.then === undefined ? run(pending.statement, pending.parameters) : this.#runUnit(pending, pending.then, inSavepoints) });
      } catch (error) {
        if (error === REDO_IN_SAVEPOINTS) {
          database.exec('rollback');
          return REDO_IN_SAVEPOINTS;
        }
        outcomes.push({ error });
        if (!database.inTransaction) {
          // The error rolled back the whole transaction: no write of the batch was kept.
          for (const other of batch) other.reject(error);
          return undefined;
        }
      }
    }
    try {
      database.exec('commit');
    } catch (error) {
      if (database.inTransaction) database.exec('rollback');
      for (const pending of batch) pending.reject(error);
      return undefined;
    }
    return outcomes;
  }

  /**
   * Runs a guarded unit inside the batch's transaction: `guard`, then — if it changed exactly one
   * row — `then`; whether `then` ran. A failing `guard` changed nothing and fails as a statement
   * would. Should one of `then` fail: `inSavepoint`, the unit's savepoint is rolled back and the
   * error thrown; else `REDO_IN_SAVEPOINTS` is thrown (the batch must be run again, in savepoints).
   */
  #runUnit(guard: Bound, then: readonly Bound[], inSavepoint: boolean): boolean {
    const database = this.#database;
    if (inSavepoint) this.prepare(`savepoint ${UNIT_SAVEPOINT}`).run();
    try {
      const kept = Number(guard.statement.run(...(guard.parameters as unknown[])).changes) === 1;
      if (kept) {
        try {
          for (const { statement, parameters } of then) statement.run(...(parameters as unknown[]));
        } catch (error) {
          if (!inSavepoint && database.inTransaction) throw REDO_IN_SAVEPOINTS;
          throw error;
        }
      }
      if (inSavepoint) this.prepare(`release ${UNIT_SAVEPOINT}`).run();
      return kept;
    } catch (error) {
      // Unless the error ended the whole transaction (then every write of the batch fails with it).
      if (inSavepoint && database.inTransaction) database.exec(`rollback to ${UNIT_SAVEPOINT}; release ${UNIT_SAVEPOINT}`);
      throw error;
    }
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

  constructor(database: BetterSqlite3.Database, options: GroupCommitOptions = {}) {
    super({ database });
    this.#driver = new GroupCommitDriver(database, options);
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

  /**
   * Runs `guard` and `then` as one unit of the group commit (`GroupCommitDriver.runGuarded`): `then`
   * only if `guard` changed exactly one row, all or nothing; whether `then` was committed.
   */
  runGuarded(guard: CompiledQuery, then: readonly CompiledQuery[]): Promise<boolean> {
    return this.#driver.runGuarded(this.#statements, guard, then);
  }
}
