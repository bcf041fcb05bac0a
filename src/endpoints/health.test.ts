/** `/health/live` and `/health/ready`: readiness follows the storage — the database, and Redis when configured. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { onPostgres, testBackends } from '../../test/helpers/backends.js';
import { ISSUER, testProvider, type TestProvider } from '../../test/helpers/index.js';
import { startTcpProxy } from '../../test/helpers/tcp-proxy.js';
import { createMemoryStorage } from '../storage/memory/index.js';
import { openPostgresStorage } from '../storage/postgres/index.js';
import { withRedisArtifacts } from '../storage/redis/index.js';
import { openSqliteStorage } from '../storage/sqlite/index.js';
import type { Storage } from '../storage/types.js';

async function check(tp: TestProvider, path: string): Promise<{ status: number; body: unknown; cacheControl: string | null }> {
  const response = await tp.provider.fetch(new Request(`${ISSUER}${path}`));
  return { status: response.status, body: await response.json(), cacheControl: response.headers.get('cache-control') };
}

const OK = { status: 200, body: { status: 'ok' }, cacheControl: 'no-store' };
const UNAVAILABLE = { status: 503, body: { status: 'unavailable' }, cacheControl: 'no-store' };

describe('health checks', () => {
  test('health: live → 200 ok, even while the storage is down', async () => {
    const storage = createMemoryStorage({ clock: { now: () => 0 } });
    const tp = await testProvider({ storage: async () => ({ ...storage, ping: () => Promise.reject(new Error('down')) }) });
    assert.deepEqual(await check(tp, '/health/live'), OK);
    assert.deepEqual(await check(tp, '/health/ready'), UNAVAILABLE);
  });

  test('health: ready → 503 when the storage answers too slowly (2 s), not after the probe gave up', async () => {
    const storage = createMemoryStorage({ clock: { now: () => 0 } });
    const tp = await testProvider({ storage: async () => ({ ...storage, ping: () => new Promise<void>(() => {}) }) });
    const started = Date.now();
    assert.deepEqual(await check(tp, '/health/ready'), UNAVAILABLE);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 1900 && elapsed < 4000, `answered after ${elapsed} ms`);
  });

  for (const backend of testBackends().filter((b) => b.name !== 'memory')) {
    test(`health: ${backend.name} → ready 200; once its storage is closed → 503`, async () => {
      let opened: { storage: Storage; cleanup(): Promise<void> } | undefined;
      const tp = await testProvider({ storage: async (clock) => (opened = await backend.open(clock)).storage });
      try {
        assert.deepEqual(await check(tp, '/health/ready'), OK);
        await opened!.storage.close();
        assert.deepEqual(await check(tp, '/health/ready'), UNAVAILABLE);
      } finally {
        await tp.provider.close();
        await opened!.cleanup();
      }
    });
  }

  const postgresUrl = process.env.LATCHKEY_TEST_POSTGRES_URL;
  test('health: PostgreSQL becomes unreachable → ready 503 within the timeout; reachable again → 200', { skip: postgresUrl === undefined ? 'LATCHKEY_TEST_POSTGRES_URL is not set (CI sets it)' : false }, async () => {
    const url = new URL(postgresUrl!);
    const schema = `latchkey_test_${randomBytes(6).toString('hex')}`;
    await onPostgres(postgresUrl!, `CREATE SCHEMA ${schema}`);
    const proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    const tp = await testProvider({ storage: (clock) => openPostgresStorage({ url: proxied.href, clock, schema, pool: { connectionTimeoutMillis: 1000 } }) });
    try {
      assert.deepEqual(await check(tp, '/health/ready'), OK);
      await proxy.cut();
      const started = Date.now();
      assert.deepEqual(await check(tp, '/health/ready'), UNAVAILABLE);
      assert.ok(Date.now() - started < 3000);
      await proxy.restore();
      assert.deepEqual(await check(tp, '/health/ready'), OK);
    } finally {
      await proxy.cut();
      await tp.provider.close();
      await onPostgres(postgresUrl!, `DROP SCHEMA ${schema} CASCADE`);
    }
  });

  const redisUrl = process.env.LATCHKEY_TEST_REDIS_URL;
  test('health: Redis becomes unreachable while SQLite is fine → ready 503 at once; reachable again → 200 once the client reconnects', { skip: redisUrl === undefined ? 'LATCHKEY_TEST_REDIS_URL is not set (CI sets it)' : false }, async () => {
    const url = new URL(redisUrl!);
    const proxy = await startTcpProxy(url.hostname, Number(url.port || 6379));
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-health-'));
    const prefix = `latchkey-test:${randomBytes(6).toString('hex')}:`;
    const tp = await testProvider({ storage: async (clock) => withRedisArtifacts(await openSqliteStorage({ path: join(dir, 'latchkey.db'), clock }), { url: proxied.href, clock, prefix }) });
    try {
      assert.deepEqual(await check(tp, '/health/ready'), OK);
      await proxy.cut();
      await new Promise((resolve) => setTimeout(resolve, 100)); // the client sees its socket close
      const started = Date.now();
      assert.deepEqual(await check(tp, '/health/ready'), UNAVAILABLE);
      assert.ok(Date.now() - started < 500, 'no wait in the offline queue');
      assert.deepEqual(await check(tp, '/health/live'), OK);
      await proxy.restore();
      const deadline = Date.now() + 10_000;
      while ((await check(tp, '/health/ready')).status !== 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(await check(tp, '/health/ready'), OK);
    } finally {
      await proxy.cut();
      await tp.provider.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
