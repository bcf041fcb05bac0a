/**
 * The storage conformance suite: the rules every backend must keep, as `node:test` tests. A
 * backend is done when this passes, including the concurrent `consume` of one code. Run it with
 * `runStorageConformance('my-backend', async () => ({ storage, clock }))`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FixedClock } from '../util/clock.js';
import {
  type AccountRecord,
  type AuditEvent,
  type AuthorizationCodeRecord,
  type ClientRecord,
  type GrantRecord,
  type KeyRecord,
  METRIC_RETENTION_SECONDS,
  REVOKED_GRANT_RETENTION_SECONDS,
  type MetricSample,
  type Storage,
  InvalidCursor,
  StorageConflict,
  type TokenRecord,
  type UpstreamIdentityRecord,
  type UpstreamProviderRecord,
} from './types.js';

/** What the suite needs of a backend: a fresh, empty storage on a fixed clock. */
export interface ConformanceSubject {
  storage: Storage;
  clock: FixedClock;
  cleanup?: () => Promise<void>;
}

/** What a backend tells the suite about itself. */
export interface ConformanceOptions {
  /** A second, independent connection to the same data (proves atomicity across connections). */
  openSecondConnection?: (subject: ConformanceSubject) => Promise<Storage>;
  /**
   * The backend expires artifacts and counters by its own clock (Redis TTLs), not by
   * `sweepExpired`: the sweep test then checks that they are gone at the swept time, and not
   * that they stay gone when the test clock is turned back.
   */
  artifactsExpireNatively?: boolean;
}

const NOW = Date.parse('2030-01-01T00:00:00Z') / 1000;

function client(client_id: string, extra: Partial<ClientRecord> = {}): ClientRecord {
  return {
    client_id,
    client_id_issued_at: NOW,
    client_secret_digest: 'digest-of-secret',
    client_secret_expires_at: 0,
    updated_at: NOW,
    redirect_uris: ['https://rp.example/cb'],
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    application_type: 'web',
    subject_type: 'public',
    client_name: 'Example',
    id_token_signed_response_alg: 'RS256',
    ...extra,
  };
}

function account(sub: string, username: string): AccountRecord {
  return {
    sub,
    username,
    password_hash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    email: `${username}@example.com`,
    email_verified: true,
    name: 'Some One',
    claims: { address: { country: 'UK' }, phone_number: '+44 20 7946 0000' },
    disabled: false,
    roles: ['admin'],
    created_at: NOW,
    updated_at: NOW,
  };
}

function token(token_digest: string, grant_id: string, extra: Partial<TokenRecord> = {}): TokenRecord {
  return {
    token_digest,
    kind: 'refresh_token',
    client_id: 'app',
    sub: 'sub-1',
    scope: 'openid profile',
    grant_id,
    sid: 'sid-1',
    auth_time: NOW,
    amr: ['pwd'],
    acr: 'urn:example:loa:2',
    issued_at: NOW,
    expires_at: NOW + 3600,
    ...extra,
  };
}

/** The record of grant `grant_id`, by default that of `token`'s defaults (sub-1 to app, in session sid-1). */
function grant(grant_id: string, extra: Partial<GrantRecord> = {}): GrantRecord {
  return { grant_id, client_id: 'app', sub: 'sub-1', sid: 'sid-1', offline: false, expires_at: NOW + 3600, ...extra };
}

function code(): AuthorizationCodeRecord {
  return {
    client_id: 'app',
    redirect_uri: 'https://rp.example/cb',
    redirect_uri_provided: true,
    scope: 'openid',
    sub: 'sub-1',
    sid: 'sid-1',
    auth_time: NOW,
    amr: ['pwd'],
    nonce: 'n',
    code_challenge: 'c'.repeat(43),
    grant_id: 'grant-1',
    issued_at: NOW,
    expires_at: NOW + 60,
  };
}

function key(kid: string, state: KeyRecord['state']): KeyRecord {
  return {
    kid,
    alg: 'ES256',
    state,
    public_jwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid, alg: 'ES256', use: 'sig' },
    private_jwk_encrypted: 'a.b.c.d.e',
    created_at: NOW,
    updated_at: NOW,
  };
}

/**
 * Registers the conformance tests for one backend as a `node:test` suite named `name`.
 * `makeStorage` is called for every test and must return a fresh, empty storage over the clock it
 * returns (the suite moves that clock); `cleanup`, when given, runs after the storage is closed.
 */
export function runStorageConformance(name: string, makeStorage: () => Promise<ConformanceSubject>, options: ConformanceOptions = {}): void {
  async function withStorage(fn: (subject: ConformanceSubject) => Promise<void>): Promise<void> {
    const subject = await makeStorage();
    subject.clock.set(NOW);
    try {
      await fn(subject);
    } finally {
      await subject.storage.close();
      await subject.cleanup?.();
    }
  }
  const it = (title: string, fn: (subject: ConformanceSubject) => Promise<void>) => test(`storage(${name}): ${title}`, () => withStorage(fn));

  describe(`storage conformance: ${name}`, () => {
    it('clients: create then find → the same record', async ({ storage }) => {
      const record = client('app', { contacts: ['ops@example.com'], scope: 'openid email', post_logout_redirect_uris: ['https://rp.example/bye'] });
      await storage.clients.create(record);
      assert.deepEqual(await storage.clients.find('app'), record);
      assert.equal(await storage.clients.find('missing'), undefined);
    });

    it('clients: a public client without a secret round-trips without one', async ({ storage }) => {
      const { client_secret_digest: _digest, ...record } = client('spa', { token_endpoint_auth_method: 'none' });
      await storage.clients.create(record);
      assert.deepEqual(await storage.clients.find('spa'), record);
    });

    it('clients: a client_secret_jwt client with its sealed secret and keys round-trips', async ({ storage }) => {
      const record = client('jwt-app', {
        token_endpoint_auth_method: 'client_secret_jwt',
        client_secret_encrypted: 'sealed-secret',
        registration_access_token_digest: 'digest-of-registration-token',
        token_endpoint_auth_signing_alg: 'HS256',
        jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] },
      });
      await storage.clients.create(record);
      assert.deepEqual(await storage.clients.find('jwt-app'), record);
    });

    it('resource servers: create, find, findByClientId, update, list, delete; duplicates → StorageConflict', async ({ storage }) => {
      const api = { resource: 'https://api.example.com', name: 'API', access_token_format: 'jwt' as const, access_token_ttl_seconds: 600, scope: 'read write', client_id: 'api-rs', created_at: NOW, updated_at: NOW };
      const billing = { resource: 'https://billing.example.com', access_token_format: 'opaque' as const, scope: 'invoices', created_at: NOW, updated_at: NOW };
      await storage.resourceServers.create(api);
      await storage.resourceServers.create(billing);
      await assert.rejects(storage.resourceServers.create(api), StorageConflict);
      assert.deepEqual(await storage.resourceServers.find(api.resource), api);
      assert.deepEqual(await storage.resourceServers.find(billing.resource), billing);
      assert.equal(await storage.resourceServers.find('https://nope.example'), undefined);
      assert.deepEqual(await storage.resourceServers.findByClientId('api-rs'), [api]);
      assert.deepEqual(await storage.resourceServers.findByClientId('nobody'), []);
      assert.equal(await storage.resourceServers.update({ ...billing, scope: 'invoices refunds', updated_at: NOW + 1 }), true);
      assert.equal((await storage.resourceServers.find(billing.resource))?.scope, 'invoices refunds');
      const first = await storage.resourceServers.list({ limit: 1 });
      assert.deepEqual(first.items.map((r) => r.resource), ['https://api.example.com']);
      const second = await storage.resourceServers.list({ limit: 1, after: first.next! });
      assert.deepEqual(second.items.map((r) => r.resource), ['https://billing.example.com']);
      assert.equal(second.next, undefined);
      assert.equal(await storage.resourceServers.delete(api.resource), true);
      assert.equal(await storage.resourceServers.delete(api.resource), false);
    });

    it('clients: create of an existing client_id → StorageConflict', async ({ storage }) => {
      await storage.clients.create(client('app'));
      await assert.rejects(storage.clients.create(client('app')), StorageConflict);
    });

    it('clients: update replaces; update of a missing client → false; delete → true then false', async ({ storage }) => {
      await storage.clients.create(client('app'));
      assert.equal(await storage.clients.update(client('app', { client_name: 'Renamed' })), true);
      assert.equal((await storage.clients.find('app'))?.client_name, 'Renamed');
      assert.equal(await storage.clients.update(client('missing')), false);
      assert.equal(await storage.clients.delete('app'), true);
      assert.equal(await storage.clients.delete('app'), false);
      assert.equal(await storage.clients.find('app'), undefined);
    });

    it('clients: list pages through every client in key order with a cursor', async ({ storage }) => {
      for (const id of ['c', 'a', 'e', 'b', 'd']) await storage.clients.create(client(id));
      const first = await storage.clients.list({ limit: 2 });
      assert.deepEqual(first.items.map((c) => c.client_id), ['a', 'b']);
      assert.ok(first.next);
      const second = await storage.clients.list({ limit: 2, after: first.next });
      assert.deepEqual(second.items.map((c) => c.client_id), ['c', 'd']);
      const third = await storage.clients.list({ limit: 2, after: second.next! });
      assert.deepEqual(third.items.map((c) => c.client_id), ['e']);
      assert.equal(third.next, undefined);
    });

    it('clients: search matches client_id or metadata without regard to case, and pages', async ({ storage }) => {
      await storage.clients.create(client('billing-api', { client_name: 'Billing Service' }));
      await storage.clients.create(client('web', { client_name: 'Shop Front', redirect_uris: ['https://shop.example/cb'] }));
      await storage.clients.create(client('mobile', { client_name: 'Shop App' }));
      const ids = async (search: string, limit = 10) => (await storage.clients.list({ limit, search })).items.map((c) => c.client_id);
      assert.deepEqual(await ids('BILLING'), ['billing-api']);
      assert.deepEqual(await ids('shop'), ['mobile', 'web']);
      assert.deepEqual(await ids('shop.example/cb'), ['web']);
      assert.deepEqual(await ids('%'), []);
      const first = await storage.clients.list({ limit: 1, search: 'shop' });
      assert.deepEqual((await storage.clients.list({ limit: 1, search: 'shop', after: first.next! })).items.map((c) => c.client_id), ['web']);
    });

    it('accounts: create then find by sub and by username (any case) → the same record', async ({ storage }) => {
      const record = account('sub-1', 'Alice');
      await storage.accounts.create(record);
      assert.deepEqual(await storage.accounts.findBySub('sub-1'), record);
      assert.deepEqual(await storage.accounts.findByUsername('alice'), record);
      assert.deepEqual(await storage.accounts.findByUsername('ALICE'), record);
      assert.equal(await storage.accounts.findByUsername('bob'), undefined);
    });

    it('accounts: found by email address without regard to ASCII case, in username order, at most the limit; other letters as they are', async ({ storage }) => {
      await storage.accounts.create({ ...account('sub-1', 'carol'), email: 'Shared@Example.com' });
      await storage.accounts.create({ ...account('sub-2', 'Bob'), email: 'shared@example.COM' });
      await storage.accounts.create({ ...account('sub-3', 'alice'), email: 'shared@example.com' });
      await storage.accounts.create({ ...account('sub-4', 'dave'), email: 'shared@example.org' });
      const { email: _none, ...withoutAddress } = account('sub-5', 'erin');
      await storage.accounts.create(withoutAddress);
      await storage.accounts.create({ ...account('sub-6', 'éva'), email: 'ÉVA@example.com' });
      const subs = async (email: string, limit = 10) => (await storage.accounts.findByEmail(email, limit)).map((a) => a.sub);
      assert.deepEqual(await subs('SHARED@example.com'), ['sub-3', 'sub-2', 'sub-1']);
      assert.deepEqual(await subs('shared@example.com', 2), ['sub-3', 'sub-2']);
      assert.deepEqual(await storage.accounts.findByEmail('shared@example.org', 10), [{ ...account('sub-4', 'dave'), email: 'shared@example.org' }]);
      assert.deepEqual(await subs('ÉVA@EXAMPLE.COM'), ['sub-6']);
      assert.deepEqual(await subs('éva@example.com'), [], 'a letter outside ASCII is compared as it is, on every backend');
      assert.deepEqual(await subs('shared@example'), []);
      assert.deepEqual(await subs('%@example.com'), []);
    });

    it('accounts: a taken sub or username (any case) → StorageConflict', async ({ storage }) => {
      await storage.accounts.create(account('sub-1', 'alice'));
      await assert.rejects(storage.accounts.create(account('sub-2', 'ALICE')), StorageConflict);
      await assert.rejects(storage.accounts.create(account('sub-1', 'bob')), StorageConflict);
    });

    it('accounts: update replaces, missing → false; list pages', async ({ storage }) => {
      await storage.accounts.create(account('sub-1', 'alice'));
      await storage.accounts.create(account('sub-2', 'bob'));
      assert.equal(await storage.accounts.update({ ...account('sub-1', 'alice'), disabled: true }), true);
      assert.equal((await storage.accounts.findBySub('sub-1'))?.disabled, true);
      const totp = { sealed_secret: 'sealed.totp.secret', enabled_at: 1_700_000_000 };
      assert.equal(await storage.accounts.update({ ...account('sub-2', 'bob'), totp }), true);
      assert.deepEqual((await storage.accounts.findByUsername('bob'))?.totp, totp, 'two-step verification kept');
      assert.equal(await storage.accounts.update(account('sub-2', 'bob')), true);
      assert.equal((await storage.accounts.findBySub('sub-2'))?.totp, undefined, 'and turned off');
      const passkeys = [{ id: 'cred-1', public_key: 'pQECAyYgASFYIA', counter: 7, name: 'Laptop', transports: ['internal', 'hybrid'], synced: true, created_at: 1_700_000_000, last_used_at: 1_700_000_100 }];
      assert.equal(await storage.accounts.update({ ...account('sub-2', 'bob'), passkeys }), true);
      assert.deepEqual((await storage.accounts.findBySub('sub-2'))?.passkeys, passkeys, 'passkeys kept');
      assert.equal(await storage.accounts.update(account('sub-2', 'bob')), true);
      assert.equal((await storage.accounts.findBySub('sub-2'))?.passkeys, undefined, 'and removed');
      assert.equal(await storage.accounts.update(account('sub-9', 'zed')), false);
      const page = await storage.accounts.list({ limit: 1 });
      assert.equal(page.items.length, 1);
      assert.equal((await storage.accounts.list({ limit: 1, after: page.next! })).items[0]?.sub, 'sub-2');
    });

    it('accounts: update storing an account disabled revokes every grant of it, offline ones too, for good; other updates revoke nothing', async ({ storage, clock }) => {
      await storage.accounts.create(account('sub-1', 'alice'));
      await storage.accounts.create(account('sub-2', 'bob'));
      await storage.tokens.insertGrant(grant('g-web', { client_id: 'web' }));
      await storage.tokens.insertGrant(grant('g-offline', { offline: true, sid: undefined }));
      await storage.tokens.insertGrant(grant('g-pending'));
      await storage.tokens.insertGrant(grant('g-bob', { sub: 'sub-2' }));
      await storage.tokens.insert(token('r-web', 'g-web', { client_id: 'web' }));
      await storage.tokens.insert(token('a-offline', 'g-offline', { kind: 'access_token', sid: undefined }));
      await storage.tokens.insert(token('r-bob', 'g-bob', { sub: 'sub-2' }));
      await storage.tokens.insert(token('machine', 'g-cc', { sub: undefined, sid: undefined }));

      assert.equal(await storage.accounts.update({ ...account('sub-1', 'alice'), name: 'Alice' }), true);
      for (const digest of ['r-web', 'a-offline']) assert.equal((await storage.tokens.find(digest))?.revoked_at, undefined, `${digest}: an enabled account's update`);

      clock.advance(7);
      assert.equal(await storage.accounts.update({ ...account('sub-1', 'alice'), disabled: true }), true);
      for (const digest of ['r-web', 'a-offline']) assert.equal((await storage.tokens.find(digest))?.revoked_at, NOW + 7, digest);
      // The grant whose code is not exchanged yet yields nothing; another account's and a client's own tokens are untouched.
      assert.equal(await storage.tokens.insertUnlessGrantRevoked([token('a-pending', 'g-pending', { kind: 'access_token' })]), false);
      for (const digest of ['r-bob', 'machine']) assert.equal((await storage.tokens.find(digest))?.revoked_at, undefined, digest);
      // A grant stored while the account was being disabled, after its grants were revoked: its code yields nothing either.
      await storage.tokens.insertGrant(grant('g-late'));
      assert.equal(await storage.tokens.insertUnlessGrantRevoked([token('a-late', 'g-late', { kind: 'access_token' }), token('r-late', 'g-late')]), false);
      for (const digest of ['a-late', 'r-late']) assert.equal(await storage.tokens.find(digest), undefined, digest);

      // Enabled again, the account signs in anew: what it was given before stays revoked.
      clock.advance(1);
      assert.equal(await storage.accounts.update({ ...account('sub-1', 'alice'), disabled: false }), true);
      assert.equal((await storage.tokens.find('r-web'))?.revoked_at, NOW + 7);
      await storage.tokens.insert(token('a-web-later', 'g-web', { kind: 'access_token', client_id: 'web' }));
      assert.equal((await storage.tokens.find('a-web-later'))?.revoked_at, NOW + 7, 'a token issued later for a revoked grant');
      await storage.tokens.insertGrant(grant('g-new'));
      assert.equal(await storage.tokens.insertUnlessGrantRevoked([token('a-new', 'g-new', { kind: 'access_token' })]), true, 'a grant given after it was enabled again');

      // A missing account: nothing updated, nothing revoked.
      assert.equal(await storage.accounts.update({ ...account('sub-9', 'zed'), disabled: true }), false);
    });

    it('accounts: an update disabling an account that fails (its new username is taken) revokes nothing', async ({ storage }) => {
      await storage.accounts.create(account('sub-1', 'alice'));
      await storage.accounts.create(account('sub-2', 'bob'));
      await storage.tokens.insertGrant(grant('g1'));
      await storage.tokens.insert(token('r1', 'g1'));
      await assert.rejects(storage.accounts.update({ ...account('sub-1', 'BOB'), disabled: true }), StorageConflict);
      assert.equal((await storage.accounts.findBySub('sub-1'))?.disabled, false);
      assert.equal((await storage.tokens.find('r1'))?.revoked_at, undefined);
    });

    it('accounts: delete removes the account, revokes every grant of it (tokens issued later too), deletes its consents and frees its username; another account keeps its own', async ({ storage }) => {
      await storage.clients.create(client('app'));
      await storage.accounts.create(account('sub-1', 'alice'));
      await storage.accounts.create(account('sub-2', 'bob'));
      await storage.tokens.insertGrant(grant('g1'));
      await storage.tokens.insertGrant(grant('g1-offline', { offline: true }));
      await storage.tokens.insertGrant(grant('g2', { sub: 'sub-2' }));
      await storage.tokens.insert(token('r1', 'g1'));
      await storage.tokens.insert(token('r1-offline', 'g1-offline'));
      await storage.tokens.insert(token('r2', 'g2', { sub: 'sub-2' }));
      await storage.consents.put({ sub: 'sub-1', client_id: 'app', scope: 'openid', claims: '', granted_at: NOW });
      await storage.consents.put({ sub: 'sub-2', client_id: 'app', scope: 'openid', claims: '', granted_at: NOW });

      assert.equal(await storage.accounts.delete('sub-1'), true);
      assert.equal(await storage.accounts.findBySub('sub-1'), undefined);
      assert.equal((await storage.tokens.find('r1'))?.revoked_at, NOW);
      assert.equal((await storage.tokens.find('r1-offline'))?.revoked_at, NOW, 'offline ones too');
      assert.equal(await storage.tokens.insertUnlessGrantRevoked([token('a1-later', 'g1', { kind: 'access_token' })]), false, 'a token of its grant stored later reads as revoked');
      assert.equal(await storage.consents.find('sub-1', 'app'), undefined);
      assert.equal((await storage.tokens.find('r2'))?.revoked_at, undefined, 'bob\'s grant stands');
      assert.ok(await storage.consents.find('sub-2', 'app'));
      assert.ok(await storage.accounts.findBySub('sub-2'));
      await storage.accounts.create(account('sub-3', 'Alice'));
      assert.equal((await storage.accounts.findByUsername('alice'))?.sub, 'sub-3', 'the username is free again');
      assert.equal(await storage.accounts.delete('sub-1'), false, 'gone already: nothing changes');
    });

    it('accounts: replacePasswordHash sets the hash alone, only while it is still the one given', async ({ storage }) => {
      const alice = account('sub-1', 'alice');
      await storage.accounts.create(alice);
      const rehashed = '$argon2id$v=19$m=12288,t=3,p=1$c2FsdA$bmV3';
      // Meanwhile an administrator disabled the account: the rehash must not enable it again.
      await storage.accounts.update({ ...alice, disabled: true });
      assert.equal(await storage.accounts.replacePasswordHash('sub-1', alice.password_hash!, rehashed), true);
      assert.deepEqual(await storage.accounts.findBySub('sub-1'), { ...alice, disabled: true, password_hash: rehashed });
      // The hash is no longer the one given (a password changed meanwhile): nothing changes.
      assert.equal(await storage.accounts.replacePasswordHash('sub-1', alice.password_hash!, '$argon2id$v=19$m=12288,t=3,p=1$c2FsdA$b2xk'), false);
      assert.equal((await storage.accounts.findBySub('sub-1'))?.password_hash, rehashed);
      assert.equal(await storage.accounts.replacePasswordHash('sub-9', alice.password_hash!, rehashed), false);
    });

    it('accounts: list is in username order without regard to case; search matches username, email or name in any case', async ({ storage }) => {
      await storage.accounts.create({ ...account('s1', 'carol'), roles: [], email: 'carol@example.com', name: 'Carol Ann' });
      await storage.accounts.create({ ...account('s2', 'Alice'), roles: [], email: 'alice@wonder.land', name: 'Alice Liddell' });
      await storage.accounts.create({ ...account('s3', 'bob'), roles: [], email: 'bob@example.com', name: 'Robert 100%' });
      const first = await storage.accounts.list({ limit: 2 });
      assert.deepEqual(first.items.map((a) => a.username), ['Alice', 'bob']);
      assert.deepEqual((await storage.accounts.list({ limit: 2, after: first.next! })).items.map((a) => a.username), ['carol']);
      const names = async (search: string) => (await storage.accounts.list({ limit: 10, search })).items.map((a) => a.username);
      assert.deepEqual(await names('ALI'), ['Alice']);
      assert.deepEqual(await names('example.COM'), ['bob', 'carol']);
      assert.deepEqual(await names('ann'), ['carol']);
      assert.deepEqual(await names('0%'), ['bob']);
      assert.deepEqual(await names('_'), []);
      assert.deepEqual(await names('nobody'), []);
      await storage.accounts.update({ ...account('s3', 'bob'), roles: ['admin'] });
      assert.deepEqual((await storage.accounts.list({ limit: 10, role: 'admin' })).items.map((a) => a.username), ['bob']);
      assert.deepEqual((await storage.accounts.list({ limit: 10, role: 'auditor' })).items, []);
    });

    it('accounts: groups are kept, absent when none, and list filters by a group exactly', async ({ storage }) => {
      await storage.accounts.create({ ...account('s1', 'alice'), groups: ['dev_team', 'k8s:admins'] });
      await storage.accounts.create({ ...account('s2', 'bob'), groups: ['devXteam', 'Ops'] });
      await storage.accounts.create({ ...account('s3', 'carol'), groups: [] });
      await storage.accounts.create(account('s4', 'dave'));
      assert.deepEqual((await storage.accounts.findBySub('s1'))?.groups, ['dev_team', 'k8s:admins'], 'kept in order');
      assert.equal((await storage.accounts.findBySub('s3'))?.groups, undefined, 'none: absent');
      const members = async (group: string) => (await storage.accounts.list({ limit: 10, group })).items.map((a) => a.username);
      assert.deepEqual(await members('dev_team'), ['alice'], 'an underscore is no wildcard');
      assert.deepEqual(await members('k8s:admins'), ['alice']);
      assert.deepEqual(await members('Ops'), ['bob']);
      assert.deepEqual(await members('ops'), [], 'names are compared exactly');
      assert.deepEqual(await members('dev'), [], 'a part of a name is not the name');
      assert.deepEqual(await members('%'), []);
      assert.deepEqual(await members(','), [], 'nor is what separates two names');
      await storage.accounts.update({ ...account('s2', 'bob'), groups: ['dev_team'] });
      assert.deepEqual(await members('dev_team'), ['alice', 'bob'], 'after an update');
      assert.deepEqual((await storage.accounts.list({ limit: 10, group: 'dev_team', search: 'bo' })).items.map((a) => a.username), ['bob'], 'with a search');
      assert.deepEqual(await storage.accounts.groups(), [{ name: 'dev_team', members: 2 }, { name: 'k8s:admins', members: 1 }], 'every group with its members, by name');
      await storage.accounts.update({ ...account('s4', 'dave'), groups: ['Ops', 'dev_team', 'Zebra', 'alpha'] });
      assert.deepEqual((await storage.accounts.groups()).map((group) => `${group.name}=${group.members}`), ['Ops=1', 'Zebra=1', 'alpha=1', 'dev_team=3', 'k8s:admins=1'], 'in code-point order');
    });

    it('upstreams: created, found, listed by id, updated; a second with the id conflicts; deleted with their identities', async ({ storage }) => {
      const upstream = (id: string): UpstreamProviderRecord => ({ id, name: `Provider ${id}`, issuer: `https://${id}.example`, client_id: 'latchkey', scope: 'openid email', create_accounts: true, sync_profile: false, sync_groups: false, disabled: false, created_at: NOW, updated_at: NOW });
      await storage.upstreams.create({ ...upstream('work'), sealed_client_secret: 'sealed' });
      await storage.upstreams.create(upstream('acme'));
      await assert.rejects(storage.upstreams.create(upstream('acme')), StorageConflict);
      assert.deepEqual(await storage.upstreams.find('work'), { ...upstream('work'), sealed_client_secret: 'sealed' });
      assert.deepEqual(await storage.upstreams.find('acme'), upstream('acme'), 'no secret: absent');
      assert.deepEqual((await storage.upstreams.list()).map((each) => each.id), ['acme', 'work']);
      assert.equal(await storage.upstreams.update({ ...upstream('acme'), name: 'ACME', create_accounts: false, sync_profile: true, sync_groups: true, disabled: true, updated_at: NOW + 1 }), true);
      assert.deepEqual(await storage.upstreams.find('acme'), { ...upstream('acme'), name: 'ACME', create_accounts: false, sync_profile: true, sync_groups: true, disabled: true, updated_at: NOW + 1 });
      assert.equal(await storage.upstreams.update(upstream('nobody')), false);

      await storage.accounts.create(account('s1', 'alice'));
      await storage.accounts.connectUpstreamIdentity({ upstream_id: 'acme', subject: 'a-1', sub: 's1', email: 'alice@acme.example', created_at: NOW });
      await storage.accounts.connectUpstreamIdentity({ upstream_id: 'work', subject: 'w-1', sub: 's1', created_at: NOW });
      assert.equal(await storage.upstreams.delete('acme'), true);
      assert.equal(await storage.upstreams.find('acme'), undefined);
      assert.equal(await storage.accounts.findUpstreamIdentity('acme', 'a-1'), undefined, 'its identities went with it');
      assert.deepEqual((await storage.accounts.upstreamIdentities('s1')).map((each) => each.upstream_id), ['work'], 'another upstream\'s stay');
      assert.equal(await storage.upstreams.delete('acme'), false);
    });

    it('accounts: upstream identities — one account per identity, one identity per account at an upstream, created with an account at once, deleted with it', async ({ storage }) => {
      await storage.accounts.create(account('s1', 'alice'));
      await storage.accounts.create(account('s2', 'bob'));
      const identity: UpstreamIdentityRecord = { upstream_id: 'acme', subject: 'A-1', sub: 's1', email: 'alice@acme.example', created_at: NOW };
      await storage.accounts.connectUpstreamIdentity(identity);
      assert.deepEqual(await storage.accounts.findUpstreamIdentity('acme', 'A-1'), identity);
      assert.equal(await storage.accounts.findUpstreamIdentity('acme', 'a-1'), undefined, 'subjects compared exactly');
      assert.equal(await storage.accounts.findUpstreamIdentity('other', 'A-1'), undefined, 'per upstream');
      await assert.rejects(storage.accounts.connectUpstreamIdentity({ ...identity, sub: 's2' }), StorageConflict, 'the identity is taken');
      await assert.rejects(storage.accounts.connectUpstreamIdentity({ ...identity, subject: 'A-2' }), StorageConflict, 'the account has one there');
      await storage.accounts.connectUpstreamIdentity({ upstream_id: 'acme', subject: 'A-2', sub: 's2', created_at: NOW });
      await storage.accounts.connectUpstreamIdentity({ upstream_id: 'beta', subject: 'A-1', sub: 's1', created_at: NOW });
      assert.deepEqual((await storage.accounts.upstreamIdentities('s1')).map((each) => `${each.upstream_id}:${each.subject}`), ['acme:A-1', 'beta:A-1']);

      await storage.accounts.touchUpstreamIdentity('acme', 'A-1', NOW + 5);
      assert.equal((await storage.accounts.findUpstreamIdentity('acme', 'A-1'))?.last_used_at, NOW + 5);

      // Created with its account: both or neither.
      const carol = account('s3', 'carol');
      await storage.accounts.connectUpstreamIdentity({ upstream_id: 'acme', subject: 'C-1', sub: 's3', created_at: NOW }, carol);
      assert.equal((await storage.accounts.findBySub('s3'))?.username, 'carol');
      assert.equal((await storage.accounts.findUpstreamIdentity('acme', 'C-1'))?.sub, 's3');
      await assert.rejects(storage.accounts.connectUpstreamIdentity({ upstream_id: 'acme', subject: 'D-1', sub: 's4', created_at: NOW }, account('s4', 'Carol')), StorageConflict, 'the username is taken');
      assert.equal(await storage.accounts.findUpstreamIdentity('acme', 'D-1'), undefined, 'no identity without its account');
      await assert.rejects(storage.accounts.connectUpstreamIdentity({ upstream_id: 'acme', subject: 'A-1', sub: 's5', created_at: NOW }, account('s5', 'erin')), StorageConflict, 'the identity is taken');
      assert.equal(await storage.accounts.findBySub('s5'), undefined, 'no account without its identity');

      assert.equal(await storage.accounts.disconnectUpstreamIdentity('s1', 'beta'), true);
      assert.equal(await storage.accounts.disconnectUpstreamIdentity('s1', 'beta'), false);
      assert.equal(await storage.accounts.findUpstreamIdentity('beta', 'A-1'), undefined);
      assert.equal(await storage.accounts.delete('s1'), true);
      assert.equal(await storage.accounts.findUpstreamIdentity('acme', 'A-1'), undefined, 'deleted with the account');
      assert.equal((await storage.accounts.findUpstreamIdentity('acme', 'A-2'))?.sub, 's2', 'others kept');
    });

    it('consents: put creates and replaces; delete removes', async ({ storage }) => {
      await storage.clients.create(client('app'));
      await storage.consents.put({ sub: 'sub-1', client_id: 'app', scope: 'openid', claims: '', granted_at: NOW });
      await storage.consents.put({ sub: 'sub-1', client_id: 'app', scope: 'openid email', claims: 'phone_number', granted_at: NOW + 1 });
      assert.deepEqual(await storage.consents.find('sub-1', 'app'), { sub: 'sub-1', client_id: 'app', scope: 'openid email', claims: 'phone_number', granted_at: NOW + 1 });
      await storage.consents.delete('sub-1', 'app');
      assert.equal(await storage.consents.find('sub-1', 'app'), undefined);
    });

    it('consents: deleting the client deletes its consents', async ({ storage }) => {
      await storage.clients.create(client('app'));
      await storage.consents.put({ sub: 'sub-1', client_id: 'app', scope: 'openid', claims: '', granted_at: NOW });
      await storage.clients.delete('app');
      assert.equal(await storage.consents.find('sub-1', 'app'), undefined);
    });

    it('clients: a disabled client round-trips disabled; enabling it again clears the flag', async ({ storage }) => {
      const record = client('app', { disabled: true });
      await storage.clients.create(record);
      assert.deepEqual(await storage.clients.find('app'), record);
      const { disabled: _disabled, ...enabled } = record;
      await storage.clients.update(enabled);
      assert.deepEqual(await storage.clients.find('app'), enabled);
    });

    it('consents: list by sub, by client, or all, in (sub, client_id) order with a cursor; a bad cursor → InvalidCursor', async ({ storage }) => {
      for (const id of ['app', 'blog', 'chat']) await storage.clients.create(client(id));
      const grant = (sub: string, client_id: string) => ({ sub, client_id, scope: 'openid', claims: '', granted_at: NOW });
      for (const [sub, client_id] of [['u2', 'app'], ['u1', 'chat'], ['u1', 'app'], ['u1', 'blog'], ['u3', 'chat']] as const) await storage.consents.put(grant(sub, client_id));
      const first = await storage.consents.list({}, { limit: 2 });
      assert.deepEqual(first.items.map((c) => `${c.sub}/${c.client_id}`), ['u1/app', 'u1/blog']);
      const second = await storage.consents.list({}, { limit: 2, after: first.next! });
      assert.deepEqual(second.items.map((c) => `${c.sub}/${c.client_id}`), ['u1/chat', 'u2/app']);
      const third = await storage.consents.list({}, { limit: 2, after: second.next! });
      assert.deepEqual(third.items.map((c) => `${c.sub}/${c.client_id}`), ['u3/chat']);
      assert.equal(third.next, undefined);
      assert.deepEqual((await storage.consents.list({ sub: 'u1' }, { limit: 10 })).items.map((c) => c.client_id), ['app', 'blog', 'chat']);
      assert.deepEqual((await storage.consents.list({ client_id: 'chat' }, { limit: 10 })).items.map((c) => c.sub), ['u1', 'u3']);
      assert.deepEqual((await storage.consents.list({ sub: 'u1', client_id: 'blog' }, { limit: 10 })).items, [grant('u1', 'blog')]);
      await assert.rejects(storage.consents.list({}, { limit: 2, after: 'not-a-cursor' }), InvalidCursor);
    });

    it('tokens: insert then find → the same record; unknown → undefined', async ({ storage }) => {
      const record = token('t1', 'g1');
      await storage.tokens.insert(record);
      assert.deepEqual(await storage.tokens.find('t1'), record);
      const forApi = token('t3', 'g3', {
        kind: 'access_token',
        audience: 'https://api.example.com',
        claims: { userinfo: ['email'], id_token: ['name'], sub: 'x' },
        authorization_details: [{ type: 'payment_initiation', instructedAmount: { currency: 'EUR', amount: '123.50' }, locations: ['https://api.example.com/payments'] }],
        jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I',
        // RFC 8693 §4.1: a delegated token's actor, with the actor before it nested.
        act: { sub: 'orders-api', act: { sub: 'web-app' } },
      });
      await storage.tokens.insert(forApi);
      assert.deepEqual(await storage.tokens.find('t3'), forApi);
      assert.equal(await storage.tokens.find('t9'), undefined);
      const { sub: _sub, sid: _sid, auth_time: _a, amr: _amr, acr: _acr, ...machine } = token('t2', 'g2', { kind: 'access_token' });
      await storage.tokens.insert(machine);
      assert.deepEqual(await storage.tokens.find('t2'), machine);
      // A bound token's key is kept through the guarded insert of a grant's first tokens too.
      const bound = token('t4', 'g4', { kind: 'access_token', jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' });
      await storage.tokens.insertGrant(grant('g4'));
      assert.equal(await storage.tokens.insertUnlessGrantRevoked([bound]), true);
      assert.deepEqual(await storage.tokens.find('t4'), bound);
    });

    it('tokens: revoke marks one token; revokeGrant marks every token of the grant', async ({ storage }) => {
      await storage.tokens.insert(token('t1', 'g1'));
      await storage.tokens.insert(token('t2', 'g1', { kind: 'access_token' }));
      await storage.tokens.insert(token('t3', 'g2'));
      await storage.tokens.revoke('t3', NOW + 5);
      assert.equal((await storage.tokens.find('t3'))?.revoked_at, NOW + 5);
      await storage.tokens.revokeGrant('g1', NOW + 7);
      assert.equal((await storage.tokens.find('t1'))?.revoked_at, NOW + 7);
      assert.equal((await storage.tokens.find('t2'))?.revoked_at, NOW + 7);
      await storage.tokens.revoke('t3', NOW + 9);
      assert.equal((await storage.tokens.find('t3'))?.revoked_at, NOW + 5, 'the first revocation time stays');
      await storage.tokens.revoke('t1', NOW + 11);
      assert.equal((await storage.tokens.find('t1'))?.revoked_at, NOW + 7, 'revoked with its grant first: that time stays');
      await storage.tokens.revokeGrant('g2', NOW + 13);
      assert.equal((await storage.tokens.find('t3'))?.revoked_at, NOW + 5, 'revoked alone first: that time stays');
      await storage.tokens.revokeGrant('g1', NOW + 15);
      assert.equal((await storage.tokens.find('t2'))?.revoked_at, NOW + 7, 'a grant revoked twice keeps its first time');
    });

    it('tokens: a grant revoked before a token of it is inserted → that token comes back revoked', async ({ storage }) => {
      await storage.tokens.revokeGrant('g1', NOW + 3);
      await storage.tokens.insert(token('late', 'g1'));
      assert.equal((await storage.tokens.find('late'))?.revoked_at, NOW + 3);
    });

    it('tokens: rotate → true once, storing the successors with the mark; false after and for an unknown token, storing nothing; setExpiry moves expires_at', async ({ storage }) => {
      await storage.tokens.insert(token('r1', 'g1', { grant_expires_at: NOW + 1000 }));
      const successors = [token('a2', 'g1', { kind: 'access_token', issued_at: NOW + 4 }), token('r2', 'g1', { issued_at: NOW + 4, grant_expires_at: NOW + 1000 })];
      assert.equal(await storage.tokens.rotate('r1', NOW + 4, successors), true);
      assert.deepEqual(await storage.tokens.find('a2'), successors[0]);
      assert.deepEqual(await storage.tokens.find('r2'), successors[1]);
      assert.equal(await storage.tokens.rotate('r1', NOW + 6, [token('a3', 'g1', { kind: 'access_token' })]), false);
      assert.equal(await storage.tokens.find('a3'), undefined, 'a rotation that did not mark stores nothing');
      assert.equal(await storage.tokens.rotate('nope', NOW + 6, [token('a4', 'g1')]), false);
      assert.equal(await storage.tokens.find('a4'), undefined);
      const rotated = await storage.tokens.find('r1');
      assert.equal(rotated?.rotated_at, NOW + 4);
      assert.equal(rotated?.grant_expires_at, NOW + 1000);
      await storage.tokens.setExpiry('r1', NOW + 500);
      assert.equal((await storage.tokens.find('r1'))?.expires_at, NOW + 500);
    });

    it('tokens: a rotation whose successor cannot be stored (its key taken) fails whole — the token stays unrotated, nothing is stored', async ({ storage }) => {
      await storage.tokens.insert(token('r1', 'g1'));
      const taken = token('taken', 'g0', { kind: 'access_token' });
      await storage.tokens.insert(taken);
      await assert.rejects(storage.tokens.rotate('r1', NOW + 4, [token('fresh', 'g1', { kind: 'access_token' }), token('taken', 'g1')]));
      assert.equal((await storage.tokens.find('r1'))?.rotated_at, undefined);
      assert.equal(await storage.tokens.find('fresh'), undefined);
      assert.deepEqual(await storage.tokens.find('taken'), taken);
      assert.equal(await storage.tokens.rotate('r1', NOW + 5, [token('r2', 'g1')]), true, 'and it can be rotated after');
    });

    it('tokens: 100 concurrent rotations of one refresh token → exactly one true, and only its successor stored', async ({ storage }) => {
      await storage.tokens.insert(token('race', 'g1'));
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => storage.tokens.rotate('race', NOW + 1, [token(`next-${i}`, 'g1')])));
      assert.equal(results.filter(Boolean).length, 1);
      const winner = results.indexOf(true);
      for (let i = 0; i < 100; i++) assert.equal((await storage.tokens.find(`next-${i}`)) !== undefined, i === winner);
    });

    it('tokens: revokeSession revokes the session\'s grants except offline_access ones', async ({ storage }) => {
      await storage.tokens.insertGrant(grant('g1', { sid: 's1' }));
      await storage.tokens.insert(token('online', 'g1', { sid: 's1', scope: 'openid profile' }));
      await storage.tokens.insertGrant(grant('g2', { sid: 's1', offline: true }));
      await storage.tokens.insert(token('offline', 'g2', { sid: 's1', scope: 'openid offline_access' }));
      await storage.tokens.insertGrant(grant('g4', { sid: 's2' }));
      await storage.tokens.insert(token('elsewhere', 'g4', { sid: 's2', scope: 'openid' }));
      await storage.tokens.revokeSession('s1', NOW + 3);
      assert.equal((await storage.tokens.find('online'))?.revoked_at, NOW + 3);
      assert.equal((await storage.tokens.find('offline'))?.revoked_at, undefined);
      assert.equal((await storage.tokens.find('elsewhere'))?.revoked_at, undefined);
    });

    it('tokens: revokeSession revokes a grant whole, tokens issued for it later too; an offline grant keeps every token', async ({ storage }) => {
      await storage.tokens.insertGrant(grant('g1', { sid: 's1' }));
      await storage.tokens.insert(token('r-online', 'g1', { sid: 's1' }));
      await storage.tokens.insertGrant(grant('g2', { sid: 's1', offline: true }));
      await storage.tokens.insert(token('r-offline', 'g2', { sid: 's1', scope: 'openid offline_access' }));
      await storage.tokens.insert(token('a-offline', 'g2', { sid: 's1', scope: 'openid', kind: 'access_token' }));
      await storage.tokens.insertGrant(grant('g3', { sid: 's1' }));
      await storage.tokens.revokeSession('s1', NOW + 3);
      await storage.tokens.insert(token('a-late', 'g1', { sid: 's1', kind: 'access_token' }));
      await storage.tokens.insert(token('code-late', 'g3', { sid: 's1' }));
      assert.equal((await storage.tokens.find('r-online'))?.revoked_at, NOW + 3);
      assert.equal((await storage.tokens.find('a-late'))?.revoked_at, NOW + 3, 'issued for the revoked grant after the logout');
      assert.equal((await storage.tokens.find('code-late'))?.revoked_at, NOW + 3, 'the first tokens of a grant given before the logout');
      assert.equal((await storage.tokens.find('r-offline'))?.revoked_at, undefined);
      assert.equal((await storage.tokens.find('a-offline'))?.revoked_at, undefined, 'the grant outlives the session, with every token of it');
    });

    it('tokens: insertUnlessGrantRevoked stores a grant\'s tokens together while it is not revoked, none once it is', async ({ storage }) => {
      await storage.tokens.insertGrant(grant('g1', { sid: 's1' }));
      await storage.tokens.insertGrant(grant('g2', { sid: 's1', offline: true }));
      await storage.tokens.insertGrant(grant('g3', { sid: 's2', client_id: 'web' }));
      await storage.tokens.insertGrant(grant('g4', { sid: 's3' }));
      await storage.tokens.insertGrant(grant('g5', { sid: 's4' }));
      assert.equal(await storage.tokens.insertUnlessGrantRevoked([token('a5', 'g5', { kind: 'access_token' }), token('r5', 'g5')]), true);
      for (const digest of ['a5', 'r5']) assert.equal((await storage.tokens.find(digest))?.grant_id, 'g5', digest);
      await storage.tokens.revokeSession('s1', NOW + 1);
      await storage.tokens.revokeGrantsOf('sub-1', 'web', NOW + 2);
      await storage.tokens.revokeGrant('g4', NOW + 3);
      for (const [grant_id, why] of [['g1', 'its session ended'], ['g3', 'its consent withdrawn'], ['g4', 'revoked']] as const) {
        assert.equal(await storage.tokens.insertUnlessGrantRevoked([token(`a-${grant_id}`, grant_id, { kind: 'access_token' }), token(`r-${grant_id}`, grant_id)]), false, why);
        for (const digest of [`a-${grant_id}`, `r-${grant_id}`]) assert.equal(await storage.tokens.find(digest), undefined, `${digest}: ${why}`);
      }
      assert.equal(await storage.tokens.insertUnlessGrantRevoked([token('a-g2', 'g2', { kind: 'access_token', scope: 'openid offline_access' })]), true, 'offline_access outlives the session');
      assert.equal((await storage.tokens.find('a-g2'))?.revoked_at, undefined);
      // As insert: a token under a taken key is a conflict, and leaves no token of the call behind.
      await assert.rejects(storage.tokens.insertUnlessGrantRevoked([token('a-new', 'g2', { kind: 'access_token' }), token('a-g2', 'g2')]));
      assert.equal(await storage.tokens.find('a-new'), undefined);
    });

    it('tokens: clientsOfSession lists each client given a grant in the session once, in order, tokens or not', async ({ storage }) => {
      await storage.tokens.insertGrant(grant('g1', { sid: 's1', client_id: 'web' }));
      await storage.tokens.insert(token('a1', 'g1', { sid: 's1', client_id: 'web' }));
      await storage.tokens.insertGrant(grant('g2', { sid: 's1', client_id: 'app' }));
      await storage.tokens.insertGrant(grant('g3', { sid: 's2', client_id: 'other' }));
      await storage.tokens.insertGrant(grant('g5', { sid: undefined, client_id: 'device' }));
      await storage.tokens.insertGrant(grant('g6', { sid: 's1', client_id: 'web' }));
      assert.deepEqual(await storage.tokens.clientsOfSession('s1'), ['app', 'web']);
      assert.deepEqual(await storage.tokens.clientsOfSession('none'), []);
    });

    it('tokens: insertGrant stores a grant once: the same grant again is a conflict', async ({ storage }) => {
      await storage.tokens.insertGrant(grant('g1'));
      await assert.rejects(storage.tokens.insertGrant(grant('g1', { client_id: 'other' })));
      assert.deepEqual(await storage.tokens.clientsOfSession('sid-1'), ['app']);
    });

    it('tokens: a grant is found by session and by (sub, client) for every token of it, inserted or stored by rotation', async ({ storage }) => {
      await storage.tokens.insertGrant(grant('g1', { sid: 's1', client_id: 'web' }));
      await storage.tokens.insert(token('r1', 'g1', { sid: 's1', client_id: 'web', grant_expires_at: NOW + 1000 }));
      assert.equal(await storage.tokens.rotate('r1', NOW + 1, [token('r2', 'g1', { sid: 's1', client_id: 'web' })]), true);
      await storage.tokens.insert(token('machine', 'g-cc', { sub: undefined, sid: undefined, client_id: 'web' }));
      assert.equal(await storage.tokens.revokeGrantsOf('sub-1', 'web', NOW + 2), 1);
      for (const digest of ['r1', 'r2']) assert.equal((await storage.tokens.find(digest))?.revoked_at, NOW + 2, digest);
      assert.equal((await storage.tokens.find('machine'))?.revoked_at, undefined);
    });

    it('sweepExpired: a grant\'s record is forgotten at its end', async ({ storage }) => {
      await storage.tokens.insertGrant(grant('g1', { sid: 's1', client_id: 'web', expires_at: NOW + 10 }));
      await storage.tokens.insertGrant(grant('g2', { sid: 's1', client_id: 'app', expires_at: NOW + 100 }));
      await storage.sweepExpired(NOW + 50);
      assert.deepEqual(await storage.tokens.clientsOfSession('s1'), ['app']);
      await storage.sweepExpired(NOW + 150);
      assert.deepEqual(await storage.tokens.clientsOfSession('s1'), []);
    });

    it('tokens: revokeGrantsOf revokes every grant of (sub, client) and what is issued for them later', async ({ storage }) => {
      for (const [grant_id, extra] of [['g-a', {}], ['g-b', {}], ['g-c', { client_id: 'blog' }], ['g-d', { sub: 'sub-2' }]] as const) await storage.tokens.insertGrant(grant(grant_id, extra));
      await storage.tokens.insert(token('a1', 'g-a'));
      await storage.tokens.insert(token('a2', 'g-a', { kind: 'access_token' }));
      await storage.tokens.insert(token('b1', 'g-b'));
      await storage.tokens.insert(token('other-client', 'g-c', { client_id: 'blog' }));
      await storage.tokens.insert(token('other-user', 'g-d', { sub: 'sub-2' }));
      assert.equal(await storage.tokens.revokeGrantsOf('sub-1', 'app', NOW + 5), 2);
      for (const digest of ['a1', 'a2', 'b1']) assert.equal((await storage.tokens.find(digest))?.revoked_at, NOW + 5, digest);
      for (const digest of ['other-client', 'other-user']) assert.equal((await storage.tokens.find(digest))?.revoked_at, undefined, digest);
      await storage.tokens.insert(token('a3', 'g-a', { kind: 'access_token' }));
      assert.equal((await storage.tokens.find('a3'))?.revoked_at, NOW + 5);
      assert.equal(await storage.tokens.revokeGrantsOf('nobody', 'app', NOW), 0);
    });

    it('keys: insert, list, setState', async ({ storage }) => {
      await storage.keys.insert(key('k1', 'current'));
      await storage.keys.insert(key('k2', 'next'));
      assert.deepEqual((await storage.keys.list()).map((k) => k.kid).sort(), ['k1', 'k2']);
      assert.deepEqual((await storage.keys.list()).find((k) => k.kid === 'k1'), key('k1', 'current'));
      await storage.keys.setState('k1', 'previous', NOW + 10);
      const k1 = (await storage.keys.list()).find((k) => k.kid === 'k1')!;
      assert.equal(k1.state, 'previous');
      assert.equal(k1.updated_at, NOW + 10);
    });

    it('artifacts: put then find → the value; put replaces; delete removes', async ({ storage }) => {
      await storage.artifacts.put('authorization_code', 'c1', code(), 60);
      assert.deepEqual(await storage.artifacts.find('authorization_code', 'c1'), code());
      assert.equal(await storage.artifacts.find('session', 'c1'), undefined, 'kinds are separate');
      await storage.artifacts.put('authorization_code', 'c1', { ...code(), scope: 'openid email' }, 60);
      assert.equal((await storage.artifacts.find('authorization_code', 'c1'))?.scope, 'openid email');
      await storage.artifacts.delete('authorization_code', 'c1');
      assert.equal(await storage.artifacts.find('authorization_code', 'c1'), undefined);
    });

    it('artifacts: expired after ttl → find and consume give undefined', async ({ storage, clock }) => {
      await storage.artifacts.put('authorization_code', 'c1', code(), 60);
      clock.advance(59);
      assert.ok(await storage.artifacts.find('authorization_code', 'c1'));
      clock.advance(1);
      assert.equal(await storage.artifacts.find('authorization_code', 'c1'), undefined);
      assert.equal(await storage.artifacts.consume('authorization_code', 'c1'), undefined);
    });

    it('artifacts: consume twice → second reports replayed, with the value', async ({ storage }) => {
      await storage.artifacts.put('authorization_code', 'c1', code(), 60);
      assert.deepEqual(await storage.artifacts.consume('authorization_code', 'c1'), { value: code(), replayed: false });
      assert.deepEqual(await storage.artifacts.consume('authorization_code', 'c1'), { value: code(), replayed: true });
      assert.equal(await storage.artifacts.consume('authorization_code', 'missing'), undefined);
    });

    it('artifacts: 100 concurrent consumes of one code → exactly one wins', async ({ storage }) => {
      await storage.artifacts.put('authorization_code', 'race', code(), 60);
      const results = await Promise.all(Array.from({ length: 100 }, () => storage.artifacts.consume('authorization_code', 'race')));
      assert.equal(results.filter((r) => r && !r.replayed).length, 1);
      assert.equal(results.filter((r) => r?.replayed).length, 99);
    });

    if (options.openSecondConnection) {
      const openSecond = options.openSecondConnection;
      it('artifacts: 100 concurrent consumes split across two connections → exactly one wins', async (subject) => {
        const second = await openSecond(subject);
        try {
          await subject.storage.artifacts.put('authorization_code', 'race2', code(), 60);
          const results = await Promise.all(
            Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? subject.storage : second).artifacts.consume('authorization_code', 'race2')),
          );
          assert.equal(results.filter((r) => r && !r.replayed).length, 1);
          assert.equal(results.filter((r) => r?.replayed).length, 99);
        } finally {
          await second.close();
        }
      });
    }

    if (options.openSecondConnection) {
      const openSecond = options.openSecondConnection;
      it('tokens: 100 concurrent rotations split across two connections → exactly one true, and only its successor stored', async (subject) => {
        const second = await openSecond(subject);
        try {
          await subject.storage.tokens.insert(token('race2', 'g1'));
          const results = await Promise.all(
            Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? subject.storage : second).tokens.rotate('race2', NOW + 1, [token(`next2-${i}`, 'g1')])),
          );
          assert.equal(results.filter(Boolean).length, 1);
          const winner = results.indexOf(true);
          for (let i = 0; i < 100; i++) assert.equal((await subject.storage.tokens.find(`next2-${i}`)) !== undefined, i === winner);
        } finally {
          await second.close();
        }
      });
    }

    it('artifacts: add stores once; again while unexpired → false; after expiry → true', async ({ storage, clock }) => {
      assert.equal(await storage.artifacts.add('client_assertion_jti', 'j1', { client_id: 'app' }, 60), true);
      assert.equal(await storage.artifacts.add('client_assertion_jti', 'j1', { client_id: 'other' }, 60), false);
      assert.deepEqual(await storage.artifacts.find('client_assertion_jti', 'j1'), { client_id: 'app' });
      clock.advance(60);
      assert.equal(await storage.artifacts.add('client_assertion_jti', 'j1', { client_id: 'other' }, 60), true);
      assert.deepEqual(await storage.artifacts.find('client_assertion_jti', 'j1'), { client_id: 'other' });
    });

    it('artifacts: 100 concurrent adds of one id → exactly one true', async ({ storage }) => {
      const results = await Promise.all(Array.from({ length: 100 }, () => storage.artifacts.add('client_assertion_jti', 'race', { client_id: 'app' }, 60)));
      assert.equal(results.filter(Boolean).length, 1);
    });

    it('artifacts: counters count within the window and restart after it', async ({ storage, clock }) => {
      assert.equal(await storage.artifacts.readCounter('k'), 0);
      assert.equal(await storage.artifacts.increment('k', 60), 1);
      assert.equal(await storage.artifacts.increment('k', 60), 2);
      assert.equal(await storage.artifacts.readCounter('k'), 2);
      clock.advance(60);
      assert.equal(await storage.artifacts.readCounter('k'), 0);
      assert.equal(await storage.artifacts.increment('k', 60), 1);
      await storage.artifacts.resetCounter('k');
      assert.equal(await storage.artifacts.readCounter('k'), 0);
    });

    it('artifacts: 100 concurrent increments → 100', async ({ storage }) => {
      await Promise.all(Array.from({ length: 100 }, () => storage.artifacts.increment('race', 60)));
      assert.equal(await storage.artifacts.readCounter('race'), 100);
    });

    it('artifacts: list sessions in (expiry, id) order, by owner, without expired or deleted ones; count', async ({ storage, clock }) => {
      const session = (sub: string) => ({ sid: `sid-${sub}`, sub, auth_time: NOW, amr: ['pwd'] });
      await storage.artifacts.put('session', 's-b', session('u1'), 300);
      await storage.artifacts.put('session', 's-a', session('u1'), 300);
      await storage.artifacts.put('session', 's-c', session('u2'), 100);
      await storage.artifacts.put('session', 's-d', session('u1'), 50);
      await storage.artifacts.put('session', 's-gone', session('u1'), 400);
      await storage.artifacts.delete('session', 's-gone');
      await storage.artifacts.put('interaction', 'not-listed', { request: {} as never, csrf_token: 'x', created_at: NOW }, 300);
      await storage.artifacts.put('initial_access_token', 'iat-1', { issued_at: NOW, issued_by: 'cli' }, 200);

      const first = await storage.artifacts.list('session', { limit: 2 });
      assert.deepEqual(first.items.map((item) => item.id), ['s-d', 's-c']);
      assert.deepEqual(first.items[0], { id: 's-d', value: session('u1'), expires_at: NOW + 50, consumed: false });
      const second = await storage.artifacts.list('session', { limit: 2, after: first.next! });
      assert.deepEqual(second.items.map((item) => item.id), ['s-a', 's-b']);
      assert.equal(second.next, undefined);
      assert.deepEqual((await storage.artifacts.list('session', { limit: 10, owner: 'u1' })).items.map((item) => item.id), ['s-d', 's-a', 's-b']);
      assert.deepEqual((await storage.artifacts.list('session', { limit: 10, owner: 'u9' })).items, []);
      assert.deepEqual((await storage.artifacts.list('initial_access_token', { limit: 10 })).items, [{ id: 'iat-1', value: { issued_at: NOW, issued_by: 'cli' }, expires_at: NOW + 200, consumed: false }]);
      await storage.artifacts.consume('initial_access_token', 'iat-1');
      assert.equal((await storage.artifacts.list('initial_access_token', { limit: 10 })).items[0]?.consumed, true, 'a spent artifact is listed as consumed');
      assert.equal(await storage.artifacts.count('session'), 4);

      clock.set(NOW + 150);
      assert.deepEqual((await storage.artifacts.list('session', { limit: 10 })).items.map((item) => item.id), ['s-a', 's-b']);
      assert.equal(await storage.artifacts.count('session'), 2);
      assert.equal(await storage.artifacts.count('initial_access_token'), 1);
      await assert.rejects(storage.artifacts.list('session', { limit: 2, after: 'bm90LWpzb24' }), InvalidCursor);
    });

    it('audit: append, then list newest first, filtered by type, actor, client, sub and time, with a cursor', async ({ storage }) => {
      const event = (at: number, type: string, extra: Partial<AuditEvent> = {}): AuditEvent => ({ at, type, actor: 'cli', data: {}, ...extra });
      await storage.audit.append([
        event(NOW, 'client.created', { client_id: 'app', data: { client_name: 'App' } }),
        event(NOW + 10, 'user.disabled', { actor: 'user:admin-1', sub: 'u1' }),
        event(NOW + 20, 'login.failed', { actor: 'anonymous', client_id: 'app', data: { username: 'bob' } }),
      ]);
      await storage.audit.append([event(NOW + 30, 'key.rotated', { actor: 'user:admin-1', target: 'kid-1' })]);
      await storage.audit.append([]);

      const first = await storage.audit.list({}, { limit: 3 });
      assert.deepEqual(first.items.map((e) => e.type), ['key.rotated', 'login.failed', 'user.disabled']);
      assert.equal(typeof first.items[0]!.id, 'string');
      assert.deepEqual(first.items[1], { ...event(NOW + 20, 'login.failed', { actor: 'anonymous', client_id: 'app', data: { username: 'bob' } }), id: first.items[1]!.id });
      const rest = await storage.audit.list({}, { limit: 3, after: first.next! });
      assert.deepEqual(rest.items.map((e) => e.type), ['client.created']);
      assert.equal(rest.next, undefined);

      assert.deepEqual((await storage.audit.list({ type: 'login.failed' }, { limit: 10 })).items.map((e) => e.at), [NOW + 20]);
      assert.deepEqual((await storage.audit.list({ actor: 'user:admin-1' }, { limit: 10 })).items.map((e) => e.type), ['key.rotated', 'user.disabled']);
      assert.deepEqual((await storage.audit.list({ client_id: 'app' }, { limit: 10 })).items.map((e) => e.type), ['login.failed', 'client.created']);
      assert.deepEqual((await storage.audit.list({ sub: 'u1' }, { limit: 10 })).items.map((e) => e.type), ['user.disabled']);
      assert.deepEqual((await storage.audit.list({ since: NOW + 10, until: NOW + 30 }, { limit: 10 })).items.map((e) => e.type), ['login.failed', 'user.disabled']);
      await assert.rejects(storage.audit.list({}, { limit: 3, after: 'x' }), InvalidCursor);
    });

    it('metrics: add sums counts into (series, minute) buckets, within one call and across calls; read from a minute on, in (minute, series) order', async ({ storage }) => {
      await storage.metrics.add([]);
      await storage.metrics.add([
        { series: 'tokens_issued/client_credentials', minute: NOW, count: 2 },
        { series: 'http_responses/2xx', minute: NOW, count: 5 },
        { series: 'tokens_issued/client_credentials', minute: NOW, count: 1 },
        { series: 'http_responses/2xx', minute: NOW - 60, count: 3_000_000_000 },
      ]);
      await storage.metrics.add([
        { series: 'tokens_issued/client_credentials', minute: NOW, count: 4 },
        { series: 'logins/failed', minute: NOW + 60, count: 1 },
      ]);
      assert.deepEqual(await storage.metrics.read(NOW - 60), [
        { series: 'http_responses/2xx', minute: NOW - 60, count: 3_000_000_000 },
        { series: 'http_responses/2xx', minute: NOW, count: 5 },
        { series: 'tokens_issued/client_credentials', minute: NOW, count: 7 },
        { series: 'logins/failed', minute: NOW + 60, count: 1 },
      ]);
      assert.deepEqual(await storage.metrics.read(NOW + 1), [{ series: 'logins/failed', minute: NOW + 60, count: 1 }]);
      assert.deepEqual(await storage.metrics.read(NOW + 120), []);
    });

    it('metrics: 50 concurrent adds to the same buckets, in opposite orders → every count kept', async ({ storage }) => {
      const batch: MetricSample[] = [
        { series: 'a', minute: NOW, count: 1 },
        { series: 'b', minute: NOW, count: 2 },
      ];
      await Promise.all(Array.from({ length: 50 }, (_, i) => storage.metrics.add(i % 2 === 0 ? batch : [...batch].reverse())));
      assert.deepEqual(await storage.metrics.read(NOW), [
        { series: 'a', minute: NOW, count: 50 },
        { series: 'b', minute: NOW, count: 100 },
      ]);
    });

    if (options.openSecondConnection) {
      const openSecond = options.openSecondConnection;
      it('metrics: 100 concurrent adds split across two connections → every count kept', async (subject) => {
        const second = await openSecond(subject);
        try {
          await Promise.all(
            Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? subject.storage : second).metrics.add([{ series: 'http_responses/2xx', minute: NOW, count: 3 }])),
          );
          assert.deepEqual(await second.metrics.read(NOW), [{ series: 'http_responses/2xx', minute: NOW, count: 300 }]);
        } finally {
          await second.close();
        }
      });
    }

    it('metrics: sweepExpired deletes buckets older than 24 hours and keeps the rest', async ({ storage }) => {
      const edge = NOW - METRIC_RETENTION_SECONDS;
      await storage.metrics.add([
        { series: 'a', minute: edge - 60, count: 1 },
        { series: 'a', minute: edge, count: 2 },
        { series: 'a', minute: NOW, count: 3 },
      ]);
      await storage.sweepExpired(NOW);
      assert.deepEqual(await storage.metrics.read(0), [
        { series: 'a', minute: edge, count: 2 },
        { series: 'a', minute: NOW, count: 3 },
      ]);
    });

    it('transaction: writes commit together', async ({ storage }) => {
      const result = await storage.transaction(async (tx) => {
        await tx.clients.create(client('a'));
        await tx.keys.insert(key('k1', 'current'));
        return 'done';
      });
      assert.equal(result, 'done');
      assert.ok(await storage.clients.find('a'));
      assert.equal((await storage.keys.list()).length, 1);
    });

    it('transaction: a throwing transaction changes nothing', async ({ storage }) => {
      await assert.rejects(
        storage.transaction(async (tx) => {
          await tx.clients.create(client('a'));
          await tx.keys.insert(key('k1', 'current'));
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.equal(await storage.clients.find('a'), undefined);
      assert.deepEqual(await storage.keys.list(), []);
    });

    it('transaction: a rotation inside one is part of it — committed with it, undone with it', async ({ storage }) => {
      await storage.tokens.insert(token('r1', 'g1'));
      await assert.rejects(
        storage.transaction(async (tx) => {
          assert.equal(await tx.tokens.rotate('r1', NOW + 1, [token('r2', 'g1')]), true);
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.equal((await storage.tokens.find('r1'))?.rotated_at, undefined);
      assert.equal(await storage.tokens.find('r2'), undefined);
      assert.equal(await storage.transaction((tx) => tx.tokens.rotate('r1', NOW + 2, [token('r3', 'g1')])), true);
      assert.equal((await storage.tokens.find('r1'))?.rotated_at, NOW + 2);
      assert.ok(await storage.tokens.find('r3'));
    });

    it('sweepExpired: removes expired artifacts, counters and tokens only', async ({ storage, clock }) => {
      await storage.artifacts.put('session', 'short', { sid: 's', sub: 'u', auth_time: NOW, amr: ['pwd'] }, 10);
      await storage.artifacts.put('session', 'long', { sid: 's', sub: 'u', auth_time: NOW, amr: ['pwd'] }, 1000);
      await storage.artifacts.increment('c', 10);
      await storage.tokens.insert(token('old', 'g', { expires_at: NOW + 10 }));
      await storage.tokens.insert(token('new', 'g', { expires_at: NOW + 1000 }));
      clock.advance(20);
      await storage.sweepExpired(clock.now());
      if (options.artifactsExpireNatively) {
        assert.equal(await storage.artifacts.find('session', 'short'), undefined, 'expired');
        assert.equal(await storage.artifacts.readCounter('c'), 0);
        assert.ok(await storage.artifacts.find('session', 'long'));
        clock.set(NOW);
      } else {
        clock.set(NOW);
        assert.equal(await storage.artifacts.find('session', 'short'), undefined, 'swept, even with the clock turned back');
        assert.equal(await storage.artifacts.readCounter('c'), 0);
      }
      assert.ok(await storage.artifacts.find('session', 'long'));
      assert.equal(await storage.tokens.find('old'), undefined);
      assert.ok(await storage.tokens.find('new'));
    });

    it('sweepExpired: a grant\'s revocation is kept REVOKED_GRANT_RETENTION_SECONDS, then forgotten', async ({ storage }) => {
      const retention = REVOKED_GRANT_RETENTION_SECONDS;
      await storage.tokens.revokeGrant('g-old', NOW);
      await storage.tokens.revokeGrant('g-kept', NOW + 10);
      // Tokens issued in the grants after their revocation (an exchange in flight): revoked by the grant's row alone.
      await storage.tokens.insert(token('late-old', 'g-old', { expires_at: NOW + 2 * retention }));
      await storage.tokens.insert(token('late-kept', 'g-kept', { expires_at: NOW + 2 * retention }));
      await storage.sweepExpired(NOW + retention);
      assert.equal((await storage.tokens.find('late-old'))?.revoked_at, NOW, 'kept for the whole retention');
      await storage.sweepExpired(NOW + retention + 5);
      assert.equal((await storage.tokens.find('late-old'))?.revoked_at, undefined, 'forgotten after it');
      assert.equal((await storage.tokens.find('late-kept'))?.revoked_at, NOW + 10);
    });

    it('sweepExpired: a backlog of several thousand expired tokens is swept whole; unexpired ones stay', async ({ storage }) => {
      for (let batch = 0; batch < 5; batch++) {
        await Promise.all(Array.from({ length: 500 }, (_, i) => storage.tokens.insert(token(`expired-${batch}-${i}`, `g${batch}`, { expires_at: NOW + i }))));
      }
      await storage.tokens.insert(token('current', 'g', { expires_at: NOW + 1000 }));
      await storage.sweepExpired(NOW + 600);
      for (const digest of ['expired-0-0', 'expired-2-250', 'expired-4-499']) assert.equal(await storage.tokens.find(digest), undefined, digest);
      assert.ok(await storage.tokens.find('current'));
    });

    it('ping: resolves', async ({ storage }) => {
      await storage.ping();
    });
  });
}

/**
 * Tokens as a SQL database holds them before migration 0008 (grants): stored before the grants'
 * table existed. Run it on a database migrated to version 7, then open the
 * storage (which applies 0008) and check it with `assertGrantsOfEarlierTokens`.
 */
export const TOKENS_BEFORE_GRANTS_SQL = `INSERT INTO tokens (token_digest, kind, client_id, sub, scope, grant_id, sid, issued_at, expires_at, grant_expires_at) VALUES
  ('online', 'refresh_token', 'web', 'sub-1', 'openid', 'g1', 's1', 0, 3600, 86400),
  ('online-access', 'access_token', 'web', 'sub-1', 'openid', 'g1', 's1', 0, 3600, NULL),
  ('offline', 'refresh_token', 'app', 'sub-1', 'openid offline_access', 'g2', 's1', 0, 3600, 86400),
  ('lookalike', 'refresh_token', 'app', 'sub-1', 'openid offline_accessory', 'g5', 's1', 0, 3600, 86400),
  ('wildcard', 'refresh_token', 'app', 'sub-1', 'openid offlineXaccess', 'g6', 's1', 0, 3600, 86400),
  ('other-session', 'access_token', 'web', 'sub-2', 'openid', 'g3', 's2', 0, 3600, NULL),
  ('machine', 'access_token', 'web', NULL, 'api', 'g4', NULL, 0, 3600, NULL)`;

/** Logout and a withdrawn consent find the grants of `TOKENS_BEFORE_GRANTS_SQL`'s tokens (the migration's backfill). */
export async function assertGrantsOfEarlierTokens(storage: Storage): Promise<void> {
  assert.deepEqual(await storage.tokens.clientsOfSession('s1'), ['app', 'web']);
  await storage.tokens.revokeSession('s1', 10);
  for (const digest of ['online', 'online-access', 'lookalike', 'wildcard']) assert.equal((await storage.tokens.find(digest))?.revoked_at, 10, digest);
  for (const digest of ['offline', 'other-session', 'machine']) assert.equal((await storage.tokens.find(digest))?.revoked_at, undefined, digest);
  assert.equal(await storage.tokens.revokeGrantsOf('sub-1', 'app', 20), 3);
  assert.equal((await storage.tokens.find('offline'))?.revoked_at, 20);
  // A grant with refresh tokens is kept a day past their absolute end (86400 + 86400): the life
  // of an access token a last refresh makes.
  await storage.sweepExpired(172_799);
  assert.deepEqual(await storage.tokens.clientsOfSession('s1'), ['app', 'web']);
  await storage.sweepExpired(172_801);
  assert.deepEqual(await storage.tokens.clientsOfSession('s1'), []);
}

/**
 * Rows as they stood before migration 0009 (disabling an account revokes its grants): a disabled
 * account and an enabled one, each with a grant given offline_access and its refresh token, and a
 * grant of a subject that is no built-in account (one of a host application's own accounts). Run
 * it on a database migrated to 0008, then open the storage (which applies 0009) and check it with
 * `assertGrantsOfDisabledAccountsRevoked`.
 */
export const DISABLED_ACCOUNTS_BEFORE_0009_SQL = `INSERT INTO accounts (sub, username, username_normalized, created_at, updated_at, disabled) VALUES
  ('sub-off', 'Off', 'off', 0, 0, 1),
  ('sub-on', 'On', 'on', 0, 0, 0);
INSERT INTO grants (grant_id, client_id, sub, sid, offline, expires_at) VALUES
  ('g-off', 'app', 'sub-off', NULL, 1, 90000),
  ('g-on', 'app', 'sub-on', NULL, 1, 90000),
  ('g-host', 'app', 'sub-of-the-host', NULL, 1, 90000);
INSERT INTO tokens (token_digest, kind, client_id, sub, scope, grant_id, issued_at, expires_at, grant_expires_at) VALUES
  ('r-off', 'refresh_token', 'app', 'sub-off', 'openid offline_access', 'g-off', 0, 3600, 86400),
  ('r-on', 'refresh_token', 'app', 'sub-on', 'openid offline_access', 'g-on', 0, 3600, 86400),
  ('r-host', 'refresh_token', 'app', 'sub-of-the-host', 'openid offline_access', 'g-host', 0, 3600, 86400)`;

/** Migration 0009 revoked the grants of the account disabled before it, and only those. */
export async function assertGrantsOfDisabledAccountsRevoked(storage: Storage): Promise<void> {
  // Revoked as the migration ran: at the database's own time of day.
  const revokedAt = (await storage.tokens.find('r-off'))?.revoked_at;
  assert.ok(revokedAt !== undefined && Math.abs(revokedAt - Math.floor(Date.now() / 1000)) < 600, `r-off revoked at ${revokedAt}`);
  for (const digest of ['r-on', 'r-host']) assert.equal((await storage.tokens.find(digest))?.revoked_at, undefined, digest);
}
