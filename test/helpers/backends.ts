/**
 * The storage backends a protocol test can run on: memory and SQLite always, PostgreSQL and
 * SQLite + Redis when `LATCHKEY_TEST_POSTGRES_URL` / `LATCHKEY_TEST_REDIS_URL` name servers
 * (`.ci/run` sets both). Each `open` gives a fresh, empty store and a cleanup.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createMemoryStorage } from '../../src/storage/memory/index.js';
import { openPostgresStorage } from '../../src/storage/postgres/index.js';
import { connectRedis, withRedisArtifacts } from '../../src/storage/redis/index.js';
import { openSqliteStorage } from '../../src/storage/sqlite/index.js';
import type { Storage } from '../../src/storage/types.js';
import type { Clock } from '../../src/util/clock.js';

export interface TestBackend {
  name: string;
  open(clock: Clock): Promise<{ storage: Storage; cleanup(): Promise<void> }>;
}

function sqliteFile(): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-backend-'));
  return { path: join(dir, 'latchkey.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs one statement on the PostgreSQL server at `url`, on a connection of its own. */
export async function onPostgres(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The backends available here, by name. */
export function testBackends(): TestBackend[] {
  const backends: TestBackend[] = [
    { name: 'memory', open: async (clock) => ({ storage: createMemoryStorage({ clock }), cleanup: async () => {} }) },
    {
      name: 'sqlite',
      open: async (clock) => {
        const file = sqliteFile();
        return { storage: await openSqliteStorage({ path: file.path, clock }), cleanup: async () => file.remove() };
      },
    },
  ];
  const postgresUrl = process.env.LATCHKEY_TEST_POSTGRES_URL;
  if (postgresUrl !== undefined) {
    backends.push({
      name: 'postgres',
      open: async (clock) => {
        const schema = `latchkey_test_${randomBytes(6).toString('hex')}`;
        await onPostgres(postgresUrl, `CREATE SCHEMA ${schema}`);
        return { storage: await openPostgresStorage({ url: postgresUrl, clock, schema }), cleanup: () => onPostgres(postgresUrl, `DROP SCHEMA ${schema} CASCADE`) };
      },
    });
  }
  const redisUrl = process.env.LATCHKEY_TEST_REDIS_URL;
  if (redisUrl !== undefined) {
    backends.push({
      name: 'sqlite+redis',
      open: async (clock) => {
        const file = sqliteFile();
        const prefix = `latchkey-test:${randomBytes(6).toString('hex')}:`;
        const storage = await withRedisArtifacts(await openSqliteStorage({ path: file.path, clock }), { url: redisUrl, clock, prefix });
        return {
          storage,
          cleanup: async () => {
            const client = await connectRedis(redisUrl);
            for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) if (keys.length > 0) await client.del(keys);
            await client.quit();
            file.remove();
          },
        };
      },
    });
  }
  return backends;
}
