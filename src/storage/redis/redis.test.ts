/**
 * The storage conformance suite with artifacts in a real Redis (`LATCHKEY_TEST_REDIS_URL`, which
 * `.ci/run` sets) over SQLite for the durable data. Each test gets a key prefix of its own,
 * deleted afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixedClock } from '../../util/clock.js';
import { runStorageConformance } from '../conformance.js';
import { openSqliteStorage } from '../sqlite/index.js';
import type { Storage } from '../types.js';
import { connectRedis, withRedisArtifacts } from './index.js';

const url = process.env.LATCHKEY_TEST_REDIS_URL;

async function deleteKeys(prefix: string): Promise<void> {
  const client = await connectRedis(url!);
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length > 0) await client.del(keys);
    }
  } finally {
    await client.quit();
  }
}

if (url === undefined) {
  test('redis: storage conformance', { skip: 'LATCHKEY_TEST_REDIS_URL is not set (CI sets it)' }, () => {});
} else {
  const where = new WeakMap<Storage, { path: string; prefix: string }>();

  runStorageConformance(
    'sqlite+redis',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'latchkey-redis-'));
      const path = join(dir, 'latchkey.db');
      const prefix = `latchkey-test:${randomBytes(6).toString('hex')}:`;
      const clock = fixedClock(0);
      const storage = await withRedisArtifacts(await openSqliteStorage({ path, clock }), { url, clock, prefix });
      where.set(storage, { path, prefix });
      return {
        storage,
        clock,
        cleanup: async () => {
          await deleteKeys(prefix);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
    {
      openSecondConnection: async ({ storage, clock }) => {
        const { path, prefix } = where.get(storage)!;
        return withRedisArtifacts(await openSqliteStorage({ path, clock }), { url, clock, prefix });
      },
      artifactsExpireNatively: true,
    },
  );
}
