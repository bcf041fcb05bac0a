/** The in-process cache of clients and resource servers: what it serves, and every way it is dropped. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createMemoryStorage } from '../storage/memory/index.js';
import { openSqliteStorage } from '../storage/sqlite/index.js';
import type { ClientRecord, RegistrationChange, ResourceServerRecord, Storage } from '../storage/types.js';
import { fixedClock } from '../util/clock.js';
import { cacheRegistrations, REGISTRATION_CACHE_MAX_AGE_MS } from './registration-cache.js';

const clock = fixedClock('2030-01-01T00:00:00Z');

function client(client_id: string, extra: Partial<ClientRecord> = {}): ClientRecord {
  return {
    client_id,
    client_id_issued_at: clock.now(),
    client_secret_digest: 'digest',
    client_secret_expires_at: 0,
    updated_at: clock.now(),
    redirect_uris: ['https://rp.example/cb'],
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    response_types: [],
    application_type: 'web',
    subject_type: 'public',
    id_token_signed_response_alg: 'RS256',
    ...extra,
  };
}

const api: ResourceServerRecord = { resource: 'https://api.example', scope: 'read', access_token_format: 'opaque', created_at: 0, updated_at: 0 };

/** Two storages on one SQLite file: this process, and "another process" (its own connection). */
async function twoConnections(): Promise<{ here: Storage; elsewhere: Storage; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-cache-'));
  const path = join(dir, 'latchkey.db');
  const here = await openSqliteStorage({ path, clock });
  const elsewhere = await openSqliteStorage({ path, clock });
  return {
    here,
    elsewhere,
    async close() {
      await Promise.all([here.close(), elsewhere.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it holds; resolves with the milliseconds it took. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await sleep(20);
  }
  return performance.now() - started;
}

describe('registration cache', () => {
  test('cache: a backend that cannot tell of changes (no watchRegistrations) is not cached at all', async () => {
    const storage = createMemoryStorage({ clock });
    const cached = await cacheRegistrations(storage);
    assert.equal(cached.storage, storage);
    await cached.stop();
  });

  test('cache: a client is read once and served frozen; unknown ids are never cached', async () => {
    const { here, elsewhere, close } = await twoConnections();
    const { storage, stop } = await cacheRegistrations(here);
    try {
      await here.clients.create(client('app'));
      const first = await storage.clients.find('app');
      assert.equal(await storage.clients.find('app'), first, 'the same object: served from the cache');
      assert.ok(Object.isFrozen(first) && Object.isFrozen(first!.grant_types));
      assert.throws(() => first!.grant_types.push('authorization_code'), TypeError);

      assert.equal(await storage.clients.find('later'), undefined);
      await elsewhere.clients.create(client('later'));
      assert.equal((await storage.clients.find('later'))?.client_id, 'later', 'created by another process: usable by the next request');
    } finally {
      await stop();
      await close();
    }
  });

  test('cache: a client disabled, updated or deleted through this storage is seen at once', async () => {
    const { here, close } = await twoConnections();
    const { storage, stop } = await cacheRegistrations(here);
    try {
      await storage.clients.create(client('app'));
      await storage.clients.find('app');
      await here.clients.update(client('app', { disabled: true }));
      assert.equal((await storage.clients.find('app'))?.disabled, true, 'through the raw storage object');
      await storage.clients.update(client('app', { grant_types: ['authorization_code'] }));
      assert.deepEqual((await storage.clients.find('app'))?.grant_types, ['authorization_code'], 'through the cached view');
      await here.transaction(async (tx) => {
        await tx.clients.update(client('app', { client_name: 'In a transaction' }));
      });
      assert.equal((await storage.clients.find('app'))?.client_name, 'In a transaction');
      await storage.clients.delete('app');
      assert.equal(await storage.clients.find('app'), undefined);
    } finally {
      await stop();
      await close();
    }
  });

  test(`cache: a client disabled, updated or deleted by another process is seen within ${REGISTRATION_CACHE_MAX_AGE_MS} ms`, async () => {
    const { here, elsewhere, close } = await twoConnections();
    const { storage, stop } = await cacheRegistrations(here);
    const bound = REGISTRATION_CACHE_MAX_AGE_MS + 500;
    try {
      await elsewhere.clients.create(client('app'));
      await storage.clients.find('app');
      await elsewhere.clients.update(client('app', { disabled: true }));
      await within(bound, async () => (await storage.clients.find('app'))?.disabled === true);
      await elsewhere.clients.update(client('app', { client_name: 'Renamed' }));
      await within(bound, async () => (await storage.clients.find('app'))?.client_name === 'Renamed');
      await elsewhere.clients.delete('app');
      await within(bound, async () => (await storage.clients.find('app')) === undefined);
    } finally {
      await stop();
      await close();
    }
  });

  test('cache: resource servers are cached and dropped alike', async () => {
    const { here, elsewhere, close } = await twoConnections();
    const { storage, stop } = await cacheRegistrations(here);
    try {
      await here.resourceServers.create(api);
      const first = await storage.resourceServers.find(api.resource);
      assert.equal(await storage.resourceServers.find(api.resource), first);
      await here.resourceServers.update({ ...api, access_token_format: 'jwt' });
      assert.equal((await storage.resourceServers.find(api.resource))?.access_token_format, 'jwt', 'at once in this process');
      await elsewhere.resourceServers.delete(api.resource);
      await within(REGISTRATION_CACHE_MAX_AGE_MS + 500, async () => (await storage.resourceServers.find(api.resource)) === undefined);
    } finally {
      await stop();
      await close();
    }
  });

  test('cache: a read that began before a change is not kept; `all` drops everything; stop() stops listening', async () => {
    const records = new Map([['app', client('app')]]);
    let listener: ((change: RegistrationChange) => void) | undefined;
    let release: (() => void) | undefined;
    let reads = 0;
    const storage = {
      ...createMemoryStorage({ clock }),
      clients: {
        ...createMemoryStorage({ clock }).clients,
        async find(id: string) {
          reads += 1;
          const value = structuredClone(records.get(id));
          if (release === undefined) await new Promise<void>((resolve) => (release = resolve));
          return value;
        },
      },
      async watchRegistrations(heard: (change: RegistrationChange) => void) {
        listener = heard;
        return async () => {
          listener = undefined;
        };
      },
    } as Storage;
    const cached = await cacheRegistrations(storage, { maxAgeMs: 60_000 });

    const slow = cached.storage.clients.find('app'); // reads the old row, slowly
    records.set('app', client('app', { disabled: true }));
    listener!({ kind: 'client', id: 'app' }); // the change lands while that read is in flight
    release!();
    assert.equal((await slow)?.disabled, undefined);
    assert.equal((await cached.storage.clients.find('app'))?.disabled, true, 'the stale read was not kept');
    assert.equal(reads, 2);
    await cached.storage.clients.find('app');
    assert.equal(reads, 2, 'now cached');

    listener!({ kind: 'all' });
    await cached.storage.clients.find('app');
    assert.equal(reads, 3);

    await cached.stop();
    assert.equal(listener, undefined);
  });
});
