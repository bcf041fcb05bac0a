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
import { assertGrantsOfDisabledAccountsRevoked, assertGrantsOfEarlierTokens, DISABLED_ACCOUNTS_BEFORE_0009_SQL, runStorageConformance, TOKENS_BEFORE_GRANTS_SQL } from '../conformance.js';
import { readMigrationFiles } from '../sql/migration-files.js';
import { cacheRegistrations } from '../../core/registration-cache.js';
import type { ClientRecord, KeyRecord, RegistrationChange, Storage } from '../types.js';
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
      assert.deepEqual(rows, [{ version: 1, name: 'initial' }, { version: 2, name: 'token-acr' }, { version: 3, name: 'administration' }, { version: 4, name: 'metrics' }, { version: 5, name: 'partial-token-indexes' }, { version: 6, name: 'no-token-grant-index' }, { version: 7, name: 'revoked-grants-by-time' }, { version: 8, name: 'grants' }, { version: 9, name: 'disabled-accounts-grants' }, { version: 10, name: 'token-dpop-binding' }, { version: 11, name: 'token-authorization-details' }, { version: 12, name: 'account-totp' }, { version: 13, name: 'account-passkeys' }, { version: 14, name: 'account-groups' }, { version: 15, name: 'upstream-providers' }, { version: 16, name: 'accounts-by-email' }, { version: 17, name: 'token-actor' }]);
    } finally {
      await dropSchema(schema);
    }
  });

  /** A storage opened on a schema migrated up to `version` and then given `rows`: the later migrations run on them. */
  const migratedFrom = async (version: number, rows: string, check: (storage: Storage) => Promise<void>): Promise<void> => {
    const schema = await freshSchema();
    try {
      await withAdmin(async (client) => {
        await client.query(`SET search_path TO ${schema}`);
        await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
        for (const migration of readMigrationFiles(new URL('./migrations/', import.meta.url)).filter((m) => m.version <= version)) {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations VALUES ($1, $2, 0)', [migration.version, migration.name]);
        }
        await client.query(rows);
      });
      const storage = await openPostgresStorage({ url, clock: fixedClock(0), schema });
      await check(storage);
      await storage.close();
    } finally {
      await dropSchema(schema);
    }
  };

  test('postgres: migration 0008 gives the tokens stored before it their grants: logout and a withdrawn consent still find them', async () => {
    await migratedFrom(7, TOKENS_BEFORE_GRANTS_SQL, assertGrantsOfEarlierTokens);
  });

  test('postgres: migration 0009 revokes the grants of the accounts disabled before it, and no other', async () => {
    await migratedFrom(8, DISABLED_ACCOUNTS_BEFORE_0009_SQL, assertGrantsOfDisabledAccountsRevoked);
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

  test('postgres: a client or resource server changed by one instance is heard by another at once; its cache drops it without waiting out its age', async () => {
    const schema = await freshSchema();
    const clock = fixedClock(0);
    const [listening, writing] = await Promise.all([openPostgresStorage({ url, clock, schema }), openPostgresStorage({ url, clock, schema })]);
    // Entries would live a minute: only the notification can explain a change seen sooner.
    const cached = await cacheRegistrations(listening, { maxAgeMs: 60_000 });
    const heard: RegistrationChange[] = [];
    const stop = await listening.watchRegistrations!((change) => heard.push(change));
    try {
      const client: ClientRecord = {
        client_id: 'app', client_id_issued_at: 0, client_secret_digest: 'd', client_secret_expires_at: 0, updated_at: 0, redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic', grant_types: ['client_credentials'], response_types: [], application_type: 'web',
        subject_type: 'public', id_token_signed_response_alg: 'RS256',
      };
      await writing.clients.create(client);
      assert.equal((await cached.storage.clients.find('app'))?.disabled, undefined);

      await assert.rejects(writing.transaction(async (tx) => {
        await tx.clients.update({ ...client, disabled: true });
        throw new Error('abort');
      }), /abort/);
      await sleep(300);
      assert.equal((await cached.storage.clients.find('app'))?.disabled, undefined, 'a rolled-back change is not seen');

      await writing.clients.update({ ...client, disabled: true });
      for (let i = 0; i < 100 && (await cached.storage.clients.find('app'))?.disabled !== true; i++) await sleep(20);
      assert.equal((await cached.storage.clients.find('app'))?.disabled, true);

      await writing.resourceServers.create({ resource: 'https://api.example', scope: 'read', access_token_format: 'opaque', created_at: 0, updated_at: 0 });
      assert.ok(await cached.storage.resourceServers.find('https://api.example'));
      await writing.resourceServers.delete('https://api.example');
      for (let i = 0; i < 100 && (await cached.storage.resourceServers.find('https://api.example')) !== undefined; i++) await sleep(20);
      assert.equal(await cached.storage.resourceServers.find('https://api.example'), undefined);

      // Channels are database-wide: tests in other schemas may be heard too; ours must be there
      // (each listener has a connection of its own, so they may arrive a little apart).
      const count = (what: string) => heard.filter((change) => `${change.kind} ${'id' in change ? change.id : ''}` === what).length;
      for (let i = 0; i < 100 && (count('client app') < 2 || count('resource_server https://api.example') < 2); i++) await sleep(20);
      assert.ok(count('client app') >= 2, JSON.stringify(heard));
      assert.ok(count('resource_server https://api.example') >= 2, JSON.stringify(heard));
    } finally {
      await stop();
      await cached.stop();
      await Promise.all([listening.close(), writing.close()]);
      await dropSchema(schema);
    }
  });
}
