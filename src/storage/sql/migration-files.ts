import { readdirSync, readFileSync } from 'node:fs';

/** A migration file: `0001-initial.sql` → version 1, name `initial`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The numbered, forward-only SQL migrations in `dir`, in order. */
export function readMigrationFiles(dir: URL): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}-[a-z0-9-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({ version: Number(file.slice(0, 4)), name: file.slice(5, -4), sql: readFileSync(new URL(file, dir), 'utf8') }));
}
