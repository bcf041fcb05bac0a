import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema.js';

/** Marks a parameter's place in a query compiled before its values are known. */
const SLOT = '\u0000latchkey-parameter\u0000';

/** Runs a compiled query outside any transaction and answers its result. */
export type CompiledQueryRunner = (query: CompiledQuery) => Promise<QueryResult<unknown>>;

/** Runs `guard` and, only if it changed exactly one row, `then`, all or nothing; whether `then` ran. */
export type GuardedQueriesRunner = (guard: CompiledQuery, then: readonly CompiledQuery[]) => Promise<boolean>;

const runners = new WeakMap<Kysely<Database>, { run: CompiledQueryRunner; runGuarded?: GuardedQueriesRunner }>();

/**
 * Lets the prepared queries of `db` run through `run` instead of `db.executeQuery`, and guarded
 * units (`runGuardedQueries`) through `runGuarded` instead of a transaction of their own: for a
 * backend whose driver can run a statement without Kysely's connection handling (the SQLite one,
 * whose one connection is shared; `acquireConnection`, the session and its release cost about
 * as much as SQLite's own work for a token's INSERT), and a unit within its group commit. Before
 * the first query runs.
 */
export function runPreparedQueriesWith(db: Kysely<Database>, runner: { run: CompiledQueryRunner; runGuarded?: GuardedQueriesRunner }): void {
  runners.set(db, runner);
}

/**
 * Runs `guard`, then `then` only if `guard` changed exactly one row, atomically: `then` is
 * committed with `guard`'s change or nothing is (a failure in `then` undoes `guard` too). Whether
 * `then` ran. Through the backend's own runner when it has one (SQLite: one unit of the group
 * commit), else in a transaction — or, `inTransaction` (`db` is the connection of a storage
 * transaction), in that one: a failure here fails it, and its rollback undoes the unit.
 */
export function runGuardedQueries(db: Kysely<Database>, guard: CompiledQuery, then: readonly CompiledQuery[], inTransaction: boolean): Promise<boolean> {
  const runIn = async (connection: Kysely<Database>) => {
    if ((await connection.executeQuery(guard)).numAffectedRows !== 1n) return false;
    for (const query of then) await connection.executeQuery(query);
    return true;
  };
  if (inTransaction) return runIn(db);
  const runGuarded = runners.get(db)?.runGuarded;
  return runGuarded ? runGuarded(guard, then) : db.transaction().execute(runIn);
}

/** Stands for the parameter `name` where the query is built; its value comes with each run. */
export type ParameterSlot<P> = (name: keyof P & string) => never;

/** A slot for every key of `values`: the values of an INSERT, all taken from each run's values. */
export function slotsFor<P extends Record<string, unknown>>(values: P, slot: ParameterSlot<P>): { [K in keyof P]: never } {
  return Object.fromEntries(Object.keys(values).map((name) => [name, slot(name)])) as { [K in keyof P]: never };
}

/**
 * A query of the hot paths, built and compiled once per connection and then run with new values:
 * building Kysely's query tree and compiling it to SQL costs more than SQLite's own work for the
 * small statements that every token request runs. `build` places each parameter with `slot(name)`
 * (it also gets the first run's values, to name an INSERT's columns: every run must then give the
 * same keys); the compiled SQL keeps a bound parameter there, whose value is taken from
 * `values[name]` at each run, `undefined` as NULL. Values that `build` writes literally stay as
 * they are. The SQL is the dialect's own, so one query layer still serves every SQL backend.
 */
export function prepareQuery<P extends Record<string, unknown>, R>(
  db: Kysely<Database>,
  build: (slot: ParameterSlot<P>, first: P) => Compilable<R>,
): PreparedQuery<P, R> {
  let compiled: ReturnType<Compilable<R>['compile']> | undefined;
  /** For each compiled parameter: the name whose value it takes, or undefined to keep the literal. */
  let names: (keyof P | undefined)[] = [];
  let run: CompiledQueryRunner;
  const bind = (values: P): CompiledQuery<R> => {
    if (compiled === undefined) {
      run = runners.get(db)?.run ?? ((query) => db.executeQuery(query));
      compiled = build(((name: string) => `${SLOT}${name}`) as ParameterSlot<P>, values).compile();
      names = compiled.parameters.map((value) => (typeof value === 'string' && value.startsWith(SLOT) ? (value.slice(SLOT.length) as keyof P) : undefined));
    }
    const literal = compiled.parameters;
    const parameters = names.map((name, index) => (name === undefined ? literal[index] : (values[name] ?? null)));
    return { ...compiled, parameters };
  };
  const query = (values: P) => {
    const bound = bind(values);
    return run(bound) as Promise<QueryResult<R>>;
  };
  return Object.assign(query, { bind });
}

/** A query of the hot paths (`prepareQuery`): run with values, or bound to them to run with others (`runGuardedQueries`). */
export interface PreparedQuery<P, R> {
  (values: P): Promise<QueryResult<R>>;
  /** The compiled statement with `values` in its parameters, not run. */
  bind(values: P): CompiledQuery<R>;
}
