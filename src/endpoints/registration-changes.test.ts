/**
 * Clients and resource servers are cached in process (core/registration-cache.ts): a change made
 * by an administrator bites at once in the process that made it, and within a second in another
 * process sharing the database (the CLI, another worker or instance).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { REGISTRATION_CACHE_MAX_AGE_MS } from '../core/registration-cache.js';
import { parseResourceServer } from '../core/resource-servers.js';
import { openSqliteStorage } from '../storage/sqlite/index.js';
import type { Storage } from '../storage/types.js';
import { assertOAuthError, basicAuth, postForm, SEED_SECRET, testProvider, type TestProvider } from '../../test/helpers/index.js';

const SERVICE = { client_id: 'service', client_secret: SEED_SECRET, grant_types: ['client_credentials'], scope: 'api:read', redirect_uris: [] };
const API = 'https://api.example';

/** A provider on a SQLite file, and a second storage on that file: another process's view. */
async function setup(): Promise<{ tp: TestProvider; elsewhere: Storage; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-changes-'));
  const path = join(dir, 'latchkey.db');
  const tp = await testProvider({ clients: [SERVICE], storage: (clock) => openSqliteStorage({ path, clock }) });
  const elsewhere = await openSqliteStorage({ path, clock: tp.clock });
  await elsewhere.resourceServers.create(parseResourceServer({ resource: API, scope: 'api:read', access_token_format: 'jwt' }, tp.clock));
  return {
    tp,
    elsewhere,
    async close() {
      await Promise.all([tp.provider.close(), elsewhere.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const grant = (tp: TestProvider, fields: Record<string, string> = {}) =>
  postForm(tp, '/token', { grant_type: 'client_credentials', ...fields }, { authorization: basicAuth('service', SEED_SECRET) });

/** Repeats `request` until `done(status)`; the milliseconds it took, or a failure past `ms`. */
async function until(ms: number, request: () => Promise<{ response: Response }>, done: (status: number) => boolean): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { response } = await request();
    if (done(response.status)) return performance.now() - started;
    if (performance.now() - started > ms) throw new Error(`still ${response.status} after ${ms} ms`);
    await sleep(20);
  }
}

const SECOND = REGISTRATION_CACHE_MAX_AGE_MS + 500;

describe('registration changes reach the endpoints', () => {
  test('token: a client disabled in this process (admin: storage.clients.update) → 401 invalid_client at the next request', async () => {
    const { tp, close } = await setup();
    try {
      assert.equal((await grant(tp)).response.status, 200);
      const { storage } = tp.provider.context;
      await storage.clients.update({ ...(await storage.clients.find('service'))!, disabled: true });
      const refused = await grant(tp);
      assertOAuthError(refused.response, refused.body, 401, 'invalid_client', 'client authentication failed');
    } finally {
      await close();
    }
  });

  test(`token: a client disabled, re-enabled, narrowed or deleted by another process → seen within ${SECOND} ms`, async () => {
    const { tp, elsewhere, close } = await setup();
    try {
      assert.equal((await grant(tp)).response.status, 200);
      const record = (await elsewhere.clients.find('service'))!;
      await elsewhere.clients.update({ ...record, disabled: true });
      await until(SECOND, () => grant(tp), (status) => status === 401);
      await elsewhere.clients.update({ ...record, disabled: false });
      await until(SECOND, () => grant(tp), (status) => status === 200);
      await elsewhere.clients.update({ ...record, grant_types: ['authorization_code'] });
      await until(SECOND, () => grant(tp), (status) => status === 400);
      const narrowed = await grant(tp);
      assertOAuthError(narrowed.response, narrowed.body, 400, 'unauthorized_client', 'client is not allowed to use grant_type client_credentials');
      await elsewhere.clients.delete('service');
      await until(SECOND, () => grant(tp), (status) => status === 401);
    } finally {
      await close();
    }
  });

  test(`token: a client's secret rotated by another process → the old secret is refused within ${SECOND} ms`, async () => {
    const { tp, elsewhere, close } = await setup();
    try {
      assert.equal((await grant(tp)).response.status, 200);
      await elsewhere.clients.update({ ...(await elsewhere.clients.find('service'))!, client_secret_digest: 'another-digest' });
      await until(SECOND, () => grant(tp), (status) => status === 401);
    } finally {
      await close();
    }
  });

  test(`token: a resource server deleted by another process → 400 invalid_target within ${SECOND} ms; in this process at once`, async () => {
    const { tp, elsewhere, close } = await setup();
    try {
      assert.equal((await grant(tp, { resource: API })).response.status, 200);
      await elsewhere.resourceServers.delete(API);
      await until(SECOND, () => grant(tp, { resource: API }), (status) => status === 400);
      const refused = await grant(tp, { resource: API });
      assertOAuthError(refused.response, refused.body, 400, 'invalid_target', 'resource is not a registered resource server');

      const { storage } = tp.provider.context;
      await storage.resourceServers.create(parseResourceServer({ resource: API, scope: 'api:read' }, tp.clock));
      assert.equal((await grant(tp, { resource: API })).response.status, 200, 'a new one is usable at once');
      await storage.resourceServers.delete(API);
      assert.equal((await grant(tp, { resource: API })).response.status, 400, 'deleted in this process: at once');
    } finally {
      await close();
    }
  });
});
