/**
 * The storage conformance suite on a real PostgreSQL server (`LATCHKEY_TEST_POSTGRES_URL`, which
 * `.ci/run` sets). Each test gets a schema of its own, dropped afterwards.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { fixedClock } from '../../util/clock.js';
import { runStorageConformance } from '../conformance.js';
import { openPostgresStorage } from './index.js';

const url = process.env.LATCHKEY_TEST_POSTGRES_URL;

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function freshSchema(): Promise<string> {
  const schema = `latchkey_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE SCHEMA ${schema}`));
  return schema;
}

async function dropSchema(schema: string): Promise<void> {
  await withAdmin((client) => client.query(`DROP SCHEMA ${schema} CASCADE`));
}

if (url === undefined) {
  test('postgres: storage conformance', { skip: 'LATCHKEY_TEST_POSTGRES_URL is not set (CI sets it)' }, () => {});
} else {
  const schemas = new WeakMap<object, string>();

  runStorageConformance(
    'postgres',
    async () => {
      const schema = await freshSchema();
      const clock = fixedClock(0);
      const storage = await openPostgresStorage({ url, clock, schema });
      schemas.set(storage, schema);
      return { storage, clock, cleanup: () => dropSchema(schema) };
    },
    { openSecondConnection: ({ storage, clock }) => openPostgresStorage({ url, clock, schema: schemas.get(storage)! }) },
  );

  test('postgres: three instances migrating one fresh schema at once apply each migration once, and all work', async () => {
    const schema = await freshSchema();
    try {
      const clock = fixedClock(0);
      const instances = await Promise.all([1, 2, 3].map(() => openPostgresStorage({ url, clock, schema })));
      await instances[0]!.artifacts.increment('x', 60);
      assert.equal(await instances[2]!.artifacts.readCounter('x'), 1);
      await Promise.all(instances.map((storage) => storage.close()));
      const rows = await withAdmin(async (client) => (await client.query(`SELECT version, name FROM ${schema}.schema_migrations`)).rows);
      assert.deepEqual(rows, [{ version: 1, name: 'initial' }]);
    } finally {
      await dropSchema(schema);
    }
  });
}
