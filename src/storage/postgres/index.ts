import { Kysely, PostgresDialect, sql } from '../sql/kysely.js';
import pg from 'pg';
import type { Clock } from '../../util/clock.js';
import type { Database, SqlDialectCapabilities } from '../sql/schema.js';
import { createSqlStorage } from '../sql/storage.js';
import type { RegistrationChange, Storage } from '../types.js';
import { migratePostgres } from './migrate.js';

export { migratePostgres } from './migrate.js';

/** Key of the transaction-level advisory lock that serializes storage transactions. */
const TRANSACTION_LOCK = 7_160_002;

/** The NOTIFY channel of signing-key changes. */
const KEYS_CHANNEL = 'latchkey_keys';

/** The NOTIFY channel of client and resource server changes (payload: a `RegistrationChange` as JSON). */
const REGISTRATIONS_CHANNEL = 'latchkey_registrations';

/** How PostgreSQL differs from the other SQL dialect. */
const POSTGRES: SqlDialectCapabilities = {
  // Storage transactions read then write (the key set); the lock makes concurrent ones, on any
  // instance, run one after the other. They are rare, so the lock costs nothing in practice.
  beginTransaction: ['begin', `select pg_advisory_xact_lock(${TRANSACTION_LOCK})`],
  isUniqueViolation: (error) => (error as { code?: unknown } | null)?.code === '23505',
  // Transactional: listeners hear of a rotation when it commits, never of one rolled back.
  keysChangedStatement: `notify ${KEYS_CHANNEL}`,
  registrationsChannel: REGISTRATIONS_CHANNEL,
  jsonArrayHas: (column, value) => sql<boolean>`coalesce(${sql.ref(column)}::jsonb @> jsonb_build_array(${value}::text), false)`,
  groupMembers: sql<{ name: string; members: number }>`select g as name, count(*)::int as members from accounts, jsonb_array_elements_text(accounts.group_names::jsonb) as g group by g`,
  // Not lower(), which changes every letter the database's locale knows: emailKey changes ASCII ones only.
  emailKey: sql<string>`translate(email, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`,
};

/** BIGINT columns (epoch seconds, counters) come back as numbers: every value latchkey stores fits. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Connection pool limits. */
export interface PostgresPoolOptions {
  /** Most connections this process opens (default 10). */
  max?: number;
  /** How long a request waits for a free connection before failing, in ms (default 5000). */
  connectionTimeoutMillis?: number;
  /** Statements running longer are cancelled by the server, in ms (default 10000). */
  statementTimeoutMillis?: number;
}

/**
 * Opens the PostgreSQL database at `url` (`postgres://user:password@host:port/database`) through
 * a `pg` pool and returns the storage over it. Migrations run first unless `migrate` is false;
 * several instances starting at once apply them exactly once (an advisory lock).
 */
export async function openPostgresStorage(options: { url: string; clock: Clock; migrate?: boolean; pool?: PostgresPoolOptions; schema?: string }): Promise<Storage> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.pool?.max ?? 10,
    connectionTimeoutMillis: options.pool?.connectionTimeoutMillis ?? 5000,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.pool?.statementTimeoutMillis ?? 10_000,
    types,
    // A schema of its own (tests, or several latchkeys in one database).
    ...(options.schema === undefined ? {} : { options: `-c search_path=${quoteIdentifier(options.schema)}` }),
  });
  // An idle connection the server drops must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // Nor one that drops during a query: its client then emits 'error' while checked out, when the
  // pool no longer listens. The query fails with the same error, and the pool discards the client.
  pool.on('connect', (client) => client.on('error', () => {}));
  try {
    if (options.migrate ?? true) await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const close = async () => {
    await db.destroy();
    // Kysely ends the pool only if it ever used it; a storage opened just to migrate did not.
    if (!pool.ended) await pool.end();
  };
  return createSqlStorage({
    db,
    clock: options.clock,
    capabilities: POSTGRES,
    close,
    watchKeys: (listener) => listen(options.url, KEYS_CHANNEL, () => listener(), listener),
    watchRemoteRegistrations: (listener) => listen(options.url, REGISTRATIONS_CHANNEL, (payload) => listener(parseRegistrationChange(payload)), () => listener({ kind: 'all' })),
  });
}

/** A NOTIFY payload of the registrations channel; anything unexpected counts as "all may have changed". */
function parseRegistrationChange(payload: string | undefined): RegistrationChange {
  try {
    const change = JSON.parse(payload ?? '') as RegistrationChange;
    if ((change.kind === 'client' || change.kind === 'resource_server') && typeof change.id === 'string') return change;
  } catch {
    // fall through
  }
  return { kind: 'all' };
}

/**
 * LISTEN on `channel` on a connection of its own (a pooled one would be handed to queries): each
 * notification's payload goes to `onNotification`. When that connection breaks, `onLost` is
 * called once — changes may have been missed — and a new connection is tried every few seconds;
 * meanwhile the caches' own timers keep them current.
 */
async function listen(url: string, channel: string, onNotification: (payload: string | undefined) => void, onLost: () => void): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => onNotification(message.payload));
    next.on('error', () => {
      if (stopped || client !== next) return;
      client = undefined;
      onLost();
      next.end().catch(() => {});
      retry = setTimeout(() => void reconnect(), 3000);
      retry.unref();
    });
    await next.connect();
    await next.query(`LISTEN ${channel}`);
    client = next;
  };
  const reconnect = async () => {
    if (stopped) return;
    try {
      await connect();
    } catch {
      retry = setTimeout(() => void reconnect(), 3000);
      retry.unref();
    }
  };

  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}

function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new TypeError(`invalid schema name ${name}`);
  return name;
}
