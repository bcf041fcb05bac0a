import type { Command } from 'commander';
import { loadConfig } from '../server/load-config.js';
import { openStorage, sqlitePathOf } from '../server/open-storage.js';
import { systemClock } from '../util/clock.js';
import { CliError, printJson, type GlobalOptions } from './cli-context.js';

/** Rows written to PostgreSQL per INSERT (a few thousand parameters: well under its 65 535). */
const ROWS_PER_INSERT = 200;

/** Tables other tables refer to, copied first (consents refer to clients). */
const FIRST = ['clients'];

/**
 * `latchkey copy-to <postgres-url>`: copies this SQLite database into a new PostgreSQL database —
 * the way past one machine. Both are brought to the latest schema first (the same tables and
 * columns on both: one query layer serves them), then every table but the migration log is copied
 * from one read transaction of SQLite (a consistent picture, even while the server writes) into
 * one PostgreSQL transaction: all or nothing. Refused unless every table there is empty. The
 * instances on PostgreSQL need this database's master secret (signing keys are encrypted under
 * it, pairwise subjects and rotated refresh tokens derived from it).
 */
export function registerCopyTo(program: Command): void {
  program
    .command('copy-to <postgres-url>')
    .description('copy this SQLite database into an empty PostgreSQL database (moving past one machine); give the instances there this database\'s LATCHKEY_SECRET')
    .action(async (url: string, _options: unknown, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const config = loadConfig(global.config === undefined ? {} : { configPath: global.config });
      const path = sqlitePathOf(config.databaseUrl);
      if (path === undefined) throw new CliError(`copy-to copies a SQLite database; LATCHKEY_DATABASE_URL is ${new URL(config.databaseUrl).protocol.replace(/:$/, '')}`);
      if (!/^postgres(?:ql)?:\/\//.test(url)) throw new CliError('the destination must be a postgres:// URL');
      // The source at the latest schema, as the destination will be.
      await (await openStorage(config, systemClock, { migrate: true })).close();
      const copied = await copySqliteToPostgres(path, url);
      printJson({ copied });
      process.stderr.write('latchkey: copied. Start the PostgreSQL instances with this database\'s LATCHKEY_SECRET (the file "secret" beside it when none was set).\n');
    });
}

/** Copies every table of the SQLite file at `path` into the PostgreSQL database at `url`; the rows copied per table. */
async function copySqliteToPostgres(path: string, url: string): Promise<Record<string, number>> {
  const [{ default: BetterSqlite3 }, { default: pg }, { migratePostgres }] = await Promise.all([import('better-sqlite3'), import('pg'), import('../storage/postgres/migrate.js')]);
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const source = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    await migratePostgres(pool);
    const client = await pool.connect();
    try {
      // One read transaction: every table as of one moment.
      source.exec('BEGIN');
      const tables = tablesOf(source);
      const destination = new Set((await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")).rows.map((row) => row.table_name));
      const missing = tables.filter((table) => !destination.has(table));
      if (missing.length > 0) throw new CliError(`the PostgreSQL database lacks ${missing.join(', ')}: not a latchkey schema of the same version`);
      await client.query('BEGIN');
      try {
        for (const table of tables) {
          if ((await client.query(`SELECT 1 FROM ${quote(table)} LIMIT 1`)).rowCount !== 0) throw new CliError(`the PostgreSQL database is not empty (${table} has rows): copy-to fills a new database only`);
        }
        const copied: Record<string, number> = {};
        for (const table of tables) copied[table] = await copyTable(source, client, table);
        await client.query('COMMIT');
        return copied;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    } finally {
      client.release();
      if (source.inTransaction) source.exec('COMMIT');
    }
  } finally {
    source.close();
    await pool.end();
  }
}

/** The SQLite file's tables but the migration log, those others refer to first. */
function tablesOf(source: import('better-sqlite3').Database): string[] {
  const names = (source.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations' ORDER BY name").all() as { name: string }[]).map((row) => row.name);
  return [...FIRST.filter((name) => names.includes(name)), ...names.filter((name) => !FIRST.includes(name))];
}

/**
 * Copies `table`'s rows, `ROWS_PER_INSERT` at a time; a column PostgreSQL generates (the audit
 * log's id) is copied as it is, and its sequence set past the largest.
 */
async function copyTable(source: import('better-sqlite3').Database, client: import('pg').PoolClient, table: string): Promise<number> {
  const columns = (source.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((row) => row.name);
  const identity = (await client.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND is_identity = 'YES'", [table])).rows.map((row) => row.column_name);
  const insert = (rows: unknown[][]) => {
    const values = rows.map((_, row) => `(${columns.map((__, column) => `$${row * columns.length + column + 1}`).join(', ')})`).join(', ');
    return client.query(`INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) ${identity.length > 0 ? 'OVERRIDING SYSTEM VALUE ' : ''}VALUES ${values}`, rows.flat());
  };
  let count = 0;
  let batch: unknown[][] = [];
  for (const row of source.prepare(`SELECT * FROM ${quote(table)}`).raw().iterate()) {
    batch.push(row as unknown[]);
    if (batch.length === ROWS_PER_INSERT) {
      await insert(batch);
      count += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) {
    await insert(batch);
    count += batch.length;
  }
  for (const column of identity) {
    await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), (SELECT COALESCE(MAX(${quote(column)}), 0) + 1 FROM ${quote(table)}), false)`, [table, column]);
  }
  return count;
}

/** A table or column name of latchkey's schema as an SQL identifier. */
function quote(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected identifier ${name}`);
  return `"${name}"`;
}
