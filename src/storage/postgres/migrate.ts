import type pg from 'pg';
import { readMigrationFiles } from '../sql/migration-files.js';

/** The PostgreSQL migrations: numbered, forward-only SQL files beside this module. */
const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/**
 * Key of the session-level advisory lock migrations run under. Any number of instances may start
 * on one database at once: the first applies what is missing, the others wait, then find it done.
 */
const MIGRATION_LOCK = 7_160_001;

/**
 * Applies the migrations the database lacks, in order, each with its `schema_migrations` record
 * in one transaction (PostgreSQL DDL is transactional), under an advisory lock held for the
 * whole run. Returns the versions applied.
 */
export async function migratePostgres(pool: pg.Pool): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => Number(row.version)));
      for (const migration of readMigrationFiles(MIGRATIONS_DIR)) {
        if (done.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, Math.floor(Date.now() / 1000)]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        applied.push(migration.version);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
  return applied;
}
