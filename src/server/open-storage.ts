import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, type Config } from '../core/config.js';
import { openSqliteStorage } from '../storage/sqlite/index.js';
import type { Storage } from '../storage/types.js';
import type { Clock } from '../util/clock.js';
import { randomToken } from '../util/random.js';

/** The SQLite file path of a `sqlite:PATH` database URL, resolved from the working directory. */
export function sqlitePathOf(databaseUrl: string): string | undefined {
  return databaseUrl.startsWith('sqlite:') ? resolve(databaseUrl.slice('sqlite:'.length)) : undefined;
}

/**
 * Opens the configured durable storage, SQLite (`sqlite:PATH`) or PostgreSQL (`postgres://…`),
 * and runs its migrations; with `LATCHKEY_REDIS_URL`, short-lived artifacts live in Redis.
 * `checkpointInBackground`: SQLite's WAL checkpoints in a worker thread (a server, not the CLI).
 * `otherWriters`: other server processes write to the same SQLite file (the workers of `--workers N`).
 * @throws ConfigError when Redis cannot be reached.
 */
export async function openStorage(config: Config, clock: Clock, options: { migrate?: boolean; checkpointInBackground?: boolean; otherWriters?: boolean } = {}): Promise<Storage> {
  const sqlitePath = sqlitePathOf(config.databaseUrl);
  const migrate = options.migrate ?? true;
  // PostgreSQL's and Redis's drivers are loaded only when configured: they are most of the
  // start-up time and memory of a process that does not use them.
  const durable = sqlitePath === undefined
    ? await (await import('../storage/postgres/index.js')).openPostgresStorage({ url: config.databaseUrl, clock, migrate, pool: { max: config.databasePoolSize } })
    : await openSqliteStorage({ path: sqlitePath, clock, migrate, checkpointInBackground: options.checkpointInBackground ?? false, otherWriters: options.otherWriters ?? false });
  if (config.redisUrl === undefined) return durable;
  try {
    const { withRedisArtifacts } = await import('../storage/redis/index.js');
    return await withRedisArtifacts(durable, { url: config.redisUrl, clock, prefix: config.redisPrefix });
  } catch (error) {
    await durable.close();
    throw new ConfigError([`redisUrl (LATCHKEY_REDIS_URL): cannot connect: ${(error as Error).message}`]);
  }
}

/**
 * The master secret: `LATCHKEY_SECRET` when set. With SQLite and no secret, the one in the file
 * `secret` beside the database, generated (256 bits, mode 0600) on first start, so that
 * `npm start` needs no set-up. Any other backend must be given the secret.
 * @throws ConfigError
 */
export function resolveSecret(config: Config): string {
  if (config.secret !== undefined) return config.secret;
  const sqlitePath = sqlitePathOf(config.databaseUrl);
  if (sqlitePath === undefined) throw new ConfigError(['secret (LATCHKEY_SECRET): required unless the database is SQLite']);
  const file = join(dirname(sqlitePath), 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  // Written whole under a name of this process's own, then linked into place: the file appears
  // with its contents or not at all. (Written in place, another process starting at the same
  // moment — a second worker, a CLI command — could read it empty, and fail on a secret too short.)
  const draft = `${file}.${randomToken(8)}.tmp`;
  writeFileSync(draft, `${randomToken(32)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, file);
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim();
}
