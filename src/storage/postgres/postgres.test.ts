/**
 * The storage conformance suite on a real PostgreSQL server (`LATCHKEY_TEST_POSTGRES_URL`, which
 * `.ci/run` sets). Each test gets a schema of its own, dropped afterwards.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { fixedClock } from '../../util/clock.js';
import { runStorageConformance } from '../conformance.js';
import type { KeyRecord } from '../types.js';
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
      assert.deepEqual(rows, [{ version: 1, name: 'initial' }, { version: 2, name: 'token-acr' }, { version: 3, name: 'administration' }, { version: 4, name: 'metrics' }]);
    } finally {
      await dropSchema(schema);
    }
  });

  test('postgres: a key change committed by one instance is heard by another at once; a rolled-back one is not', async () => {
    const schema = await freshSchema();
    const clock = fixedClock(0);
    const [listening, writing] = await Promise.all([openPostgresStorage({ url, clock, schema }), openPostgresStorage({ url, clock, schema })]);
    try {
      let heard = 0;
      const stop = await listening.watchKeys!(() => heard++);
      const key = (kid: string): KeyRecord => ({
        kid, alg: 'ES256', state: 'next', public_jwk: { kty: 'EC', kid }, private_jwk_encrypted: 'a.b.c.d.e', created_at: 0, updated_at: 0,
      });

      await assert.rejects(writing.transaction(async (tx) => {
        await tx.keys.insert(key('rolled-back'));
        throw new Error('abort');
      }), /abort/);
      await sleep(300);
      assert.equal(heard, 0, 'nothing announced for a rollback');

      await writing.transaction(async (tx) => {
        await tx.keys.insert(key('k1'));
        await tx.keys.setState('k1', 'current', 1);
      });
      for (let i = 0; i < 50 && heard === 0; i++) await sleep(20);
      assert.ok(heard >= 1, 'the committed change is announced');

      await stop();
      const before = heard;
      await writing.keys.setState('k1', 'previous', 2);
      await sleep(300);
      assert.equal(heard, before, 'nothing after stop()');
    } finally {
      await Promise.all([listening.close(), writing.close()]);
      await dropSchema(schema);
    }
  });
}
