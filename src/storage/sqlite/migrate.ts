import type BetterSqlite3 from 'better-sqlite3';
import { readMigrationFiles } from '../sql/migration-files.js';

/** The SQLite migrations: numbered, forward-only SQL files beside this module. */
const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/**
 * Applies the migrations this database lacks, in order, each with its `schema_migrations` record
 * in one transaction. `BEGIN IMMEDIATE` takes the write lock first, so two processes starting
 * on a fresh file at once apply each migration exactly once: the second waits, then finds it
 * applied. Returns the versions applied.
 */
export function migrateSqlite(db: BetterSqlite3.Database): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied: number[] = [];
  for (const migration of readMigrationFiles(MIGRATIONS_DIR)) {
    db.exec('BEGIN IMMEDIATE');
    try {
      const done = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version);
      if (!done) {
        db.exec(migration.sql);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, Math.floor(Date.now() / 1000));
        applied.push(migration.version);
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
  return applied;
}
