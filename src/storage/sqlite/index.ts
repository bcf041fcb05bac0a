import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from '../sql/kysely.js';
import type { Clock } from '../../util/clock.js';
import type { Database, SqlDialectCapabilities } from '../sql/schema.js';
import { runPreparedQueriesWith } from '../sql/prepared-query.js';
import { createSqlStorage } from '../sql/storage.js';
import type { Storage } from '../types.js';
import { migrateSqlite } from './migrate.js';
import { type CheckpointerOptions, startCheckpointer } from './checkpointer.js';
import { GroupCommitSqliteDialect } from './group-commit.js';

export { migrateSqlite } from './migrate.js';

/** How SQLite differs from the other SQL dialect. */
const SQLITE: SqlDialectCapabilities = {
  // Takes the write lock at BEGIN: a read-then-write transaction cannot fail half-way with SQLITE_BUSY_SNAPSHOT.
  beginTransaction: ['begin immediate'],
  isUniqueViolation: (error) => {
    const code = (error as { code?: unknown } | null)?.code;
    return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
  },
  jsonArrayHas: (column, value) => sql<boolean>`exists (select 1 from json_each(${sql.ref(column)}) where json_each.value = ${value})`,
  groupMembers: sql<{ name: string; members: number }>`select g.value as name, count(*) as members from accounts, json_each(accounts.group_names) as g group by g.value`,
  // SQLite's lower() changes ASCII letters only (without the ICU extension), as emailKey does.
  emailKey: sql<string>`lower(email)`,
};

/**
 * Opens (creating when missing) the SQLite database at `path` and returns the storage over it.
 *
 * - WAL journal: readers never block the writer, and the CLI can write while the server runs;
 * - `synchronous = NORMAL`: durable across process crashes; in WAL mode, a power loss can lose
 *   only the last transactions, never corrupt the file;
 * - `busy_timeout = 5000`: a writer waits up to 5 s for another process's write lock instead of
 *   failing at once (with `otherWriters`, the group commit's writes without holding the event loop);
 * - foreign keys on;
 * - group commit (group-commit.ts): the writes of concurrent requests share one commit, each
 *   answered only once it is committed; statements are prepared once and reused;
 * - with `checkpointInBackground` (the server), WAL checkpoints run in a worker thread instead of
 *   in the commit of a request, the worker started under write load only, and the WAL restarted
 *   when it grows past 32 MiB (checkpointer.ts).
 * Migrations run first unless `migrate` is false.
 */
export async function openSqliteStorage(options: {
  path: string;
  clock: Clock;
  migrate?: boolean;
  checkpointInBackground?: boolean | Omit<CheckpointerOptions, 'holdWrites'>;
  /** Other processes write to the file all the time (`--workers N`): see `GroupCommitOptions.otherWriters`. */
  otherWriters?: boolean;
}): Promise<Storage> {
  mkdirSync(dirname(options.path), { recursive: true });
  const database = new BetterSqlite3(options.path);
  // First, so that even switching the journal mode waits for another process's lock.
  database.pragma('busy_timeout = 5000');
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  try {
    if (options.migrate ?? true) migrateSqlite(database);
  } catch (error) {
    database.close();
    throw error;
  }
  const dialect = new GroupCommitSqliteDialect(database, { otherWriters: options.otherWriters ?? false });
  const background = options.checkpointInBackground;
  const checkpointer = background ? startCheckpointer(database, options.path, { ...(background === true ? {} : background), holdWrites: () => dialect.holdWrites() }) : undefined;
  const db = new Kysely<Database>({ dialect });
  runPreparedQueriesWith(db, { run: (query) => dialect.runStatement(query), runGuarded: (guard, then) => dialect.runGuarded(guard, then) });
  const close = async () => {
    await checkpointer?.stop();
    await db.destroy();
  };
  return createSqlStorage({ db, clock: options.clock, capabilities: SQLITE, close });
}
