/**
 * Groups: the `groups` scope tells applications the groups a person belongs to (ID token,
 * UserInfo, JWT access tokens, introspection), and a client's `allowed_groups` admits only their
 * members — at the authorization endpoint, the device page, a refresh and a token exchange.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { adminClientToken, callAdmin } from '../../test/helpers/admin.js';
import {
  ALICE,
  assertOAuthError,
  authorizeUrl,
  basicAuth,
  CookieJar,
  hostAccounts,
  HOST_SUB,
  ISSUER,
  obtainCode,
  postForm,
  runBrowserlessFlow,
  SEED_SECRET,
  testProvider,
  type TestClient,
  type TestProvider,
} from '../../test/helpers/index.js';
import { parseResourceServer } from '../core/resource-servers.js';
import { grantsGroups, NOT_IN_ALLOWED_GROUPS } from './groups.js';

const CB = 'https://rp.example/cb';
const WEB: TestClient = { client_id: 'app', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token'] };
/** Only for the staff group. */
const STAFF_APP: TestClient = { client_id: 'staff-app', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token'], allowed_groups: ['staff', 'contractors'] };
const API = 'https://orders.example/api';

async function setup(groups: string[] | undefined, clients: TestClient[] = [WEB, STAFF_APP]): Promise<TestProvider> {
  const tp = await testProvider({ clients, accounts: [{ ...ALICE, ...(groups === undefined ? {} : { groups }) }] });
  await tp.provider.context.storage.resourceServers.create(parseResourceServer({ resource: API, scope: 'orders:read', access_token_format: 'jwt' }, tp.clock));
  return tp;
}

async function tokensFor(tp: TestProvider, client_id: string, scope: string, extra: Record<string, string> = {}) {
  const code = await obtainCode(tp, { client_id, scope, ...extra });
  const { response, body } = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: CB, ...extra }, { authorization: basicAuth(client_id, SEED_SECRET) });
  assert.equal(response.status, 200, JSON.stringify(body));
  return body as { access_token: string; refresh_token: string; id_token: string };
}

async function userinfo(tp: TestProvider, accessToken: string): Promise<Record<string, unknown>> {
  const response = await tp.provider.fetch(new Request(`${ISSUER}/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } }));
  assert.equal(response.status, 200);
  return (await response.json()) as Record<string, unknown>;
}

async function setGroups(tp: TestProvider, groups: string[]): Promise<void> {
  const patched = await callAdmin(tp, await adminClientToken(tp), 'PATCH', `/users/${tp.accounts[0]!.sub}`, { groups });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
}

const refresh = (tp: TestProvider, client_id: string, refresh_token: string) =>
  postForm(tp, '/token', { grant_type: 'refresh_token', refresh_token }, { authorization: basicAuth(client_id, SEED_SECRET) });

describe('the groups scope', () => {
  test('grantsGroups finds the scope among others, never a scope that only contains the word', () => {
    for (const scope of ['groups', 'openid groups', 'groups openid', 'openid groups email']) assert.equal(grantsGroups(scope), true, scope);
    for (const scope of ['', 'openid', 'mygroups', 'groups:read', 'openid team-groups email']) assert.equal(grantsGroups(scope), false, scope);
  });

  test('releases groups in the ID token and at UserInfo; discovery lists the scope and the claim; the consent page says what is shared', async () => {
    const tp = await setup(['engineering', 'k8s:admins']);
    const discovery = (await (await tp.provider.fetch(new Request(`${ISSUER}/.well-known/openid-configuration`))).json()) as Record<string, string[]>;
    assert.ok(discovery.scopes_supported!.includes('groups'));
    assert.ok(discovery.claims_supported!.includes('groups'));

    const consent = await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ response_type: 'code', client_id: 'app', redirect_uri: CB, scope: 'openid groups' }), {
      credentials: { username: String(ALICE.username), password: String(ALICE.password) },
    });
    assert.match(await consent.response.text(), /The groups you belong to/);

    const tokens = await tokensFor(tp, 'app', 'openid groups');
    assert.deepEqual(decodeJwt(tokens.id_token).groups, ['engineering', 'k8s:admins'], 'in the ID token, where Kubernetes looks');
    assert.deepEqual((await userinfo(tp, tokens.access_token)).groups, ['engineering', 'k8s:admins']);
  });

  test('an account in no group is told so: groups is an empty list; without the scope there is no groups claim', async () => {
    const tp = await setup(undefined);
    const granted = await tokensFor(tp, 'app', 'openid groups');
    assert.deepEqual(decodeJwt(granted.id_token).groups, []);
    assert.deepEqual((await userinfo(tp, granted.access_token)).groups, []);

    const tq = await setup(['engineering']);
    const other = await tokensFor(tq, 'app', 'openid profile');
    assert.equal(decodeJwt(other.id_token).groups, undefined);
    assert.equal((await userinfo(tq, other.access_token)).groups, undefined);
  });

  test('the claim asked by name (the claims parameter) is released without the scope, and listed on the consent page', async () => {
    const tp = await setup(['engineering']);
    const claims = JSON.stringify({ userinfo: { groups: null } });
    const consent = await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ response_type: 'code', client_id: 'app', redirect_uri: CB, scope: 'openid', claims }), {
      credentials: { username: String(ALICE.username), password: String(ALICE.password) },
    });
    assert.match(await consent.response.text(), /Your groups/);
    const tokens = await tokensFor(tp, 'app', 'openid', { claims });
    assert.deepEqual((await userinfo(tp, tokens.access_token)).groups, ['engineering']);
    assert.equal(decodeJwt(tokens.id_token).groups, undefined, 'asked for UserInfo, not the ID token');
  });

  test('a JWT access token carries groups (RFC 9068 §2.2.3.1); introspection tells the groups as they are now; a refreshed ID token too', async () => {
    const tp = await setup(['engineering']);
    const tokens = await tokensFor(tp, 'app', 'openid groups orders:read', { resource: API });
    const jwks = createLocalJWKSet(await (await tp.provider.fetch(new Request(`${ISSUER}/jwks`))).json());
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: ISSUER, audience: API, typ: 'at+jwt', currentDate: new Date(tp.clock.now() * 1000) });
    assert.deepEqual(payload.groups, ['engineering']);

    const opaque = await tokensFor(tp, 'app', 'openid groups');
    const introspect = async () => (await postForm(tp, '/introspect', { token: opaque.access_token }, { authorization: basicAuth('app', SEED_SECRET) })).body;
    assert.deepEqual((await introspect()).groups, ['engineering']);
    await setGroups(tp, ['engineering', 'on-call']);
    assert.deepEqual((await introspect()).groups, ['engineering', 'on-call'], 'read when asked');
    const refreshed = await refresh(tp, 'app', opaque.refresh_token);
    assert.deepEqual(decodeJwt(String(refreshed.body.id_token)).groups, ['engineering', 'on-call'], 'a refresh tells the change');

    const plain = await tokensFor(tp, 'app', 'openid orders:read', { resource: API });
    assert.equal(decodeJwt(plain.access_token).groups, undefined, 'not without the scope');
    const without = await tokensFor(tp, 'app', 'openid');
    assert.equal((await postForm(tp, '/introspect', { token: without.access_token }, { authorization: basicAuth('app', SEED_SECRET) })).body.groups, undefined);
  });

  test("a host application's accounts have groups by releasing the claim", async () => {
    const accounts = hostAccounts();
    accounts.claims = async (sub, scopes, names = []) => (sub === HOST_SUB ? { sub, ...(scopes.includes('groups') || names.includes('groups') ? { groups: ['staff'] } : {}) } : undefined);
    const tp = await testProvider({ clients: [WEB, STAFF_APP], host: { accounts } });
    const tokens = await tokensFor(tp, 'staff-app', 'openid groups');
    assert.deepEqual(decodeJwt(tokens.id_token).groups, ['staff']);
    assert.equal(decodeJwt(tokens.id_token).sub, HOST_SUB);
  });
});

describe("a client's allowed_groups", () => {
  test('a member signs in; anyone else is refused after the login with access_denied, never shown the consent page', async () => {
    const member = await setup(['contractors']);
    assert.equal(typeof (await tokensFor(member, 'staff-app', 'openid')).access_token, 'string');

    const tp = await setup(['engineering']);
    const refused = await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ response_type: 'code', client_id: 'staff-app', redirect_uri: CB, scope: 'openid', state: 's1' }), {
      credentials: { username: String(ALICE.username), password: String(ALICE.password) },
      decision: 'allow',
    });
    assert.deepEqual(refused.pages, ['login']);
    assert.equal(refused.redirect?.searchParams.get('error'), 'access_denied');
    assert.equal(refused.redirect?.searchParams.get('error_description'), NOT_IN_ALLOWED_GROUPS);
    assert.equal(refused.redirect?.searchParams.get('state'), 's1');
    assert.equal(refused.redirect?.searchParams.get('code'), null);
    const told = tp.events.filter((event) => event.name === 'access.refused');
    assert.deepEqual(told.map((event) => event.data), [{ sub: tp.accounts[0]!.sub, client_id: 'staff-app', at: 'authorization' }]);
    assert.equal(tp.events.some((event) => event.name === 'consent.denied'), false, 'not a refusal of the person');
    const audited = await callAdmin(tp, await adminClientToken(tp), 'GET', '/audit-events?type=access.refused');
    assert.deepEqual((audited.body.items as { type: string; actor: string; client_id: string }[]).map(({ type, actor, client_id }) => ({ type, actor, client_id })), [
      { type: 'access.refused', actor: `user:${tp.accounts[0]!.sub}`, client_id: 'staff-app' },
    ], 'in the audit log');
  });

  test('a browser signed in elsewhere is refused at once (prompt=none too); signed in, it still reaches other clients', async () => {
    const tp = await setup(['engineering']);
    const jar = new CookieJar();
    await obtainCode(tp, { client_id: 'app', scope: 'openid' }, jar);
    for (const prompt of [undefined, 'none']) {
      const response = await tp.provider.fetch(
        new Request(authorizeUrl({ response_type: 'code', client_id: 'staff-app', redirect_uri: CB, scope: 'openid', ...(prompt === undefined ? {} : { prompt }) }), { headers: { cookie: jar.header() } }),
      );
      assert.equal(response.status, 302);
      const location = new URL(response.headers.get('location')!);
      assert.equal(location.origin + location.pathname, CB);
      assert.equal(location.searchParams.get('error'), 'access_denied');
      assert.equal(location.searchParams.get('error_description'), NOT_IN_ALLOWED_GROUPS);
    }
    assert.equal(typeof (await obtainCode(tp, { client_id: 'app', scope: 'openid' }, jar)), 'string');
    // prompt=login offers the login page: another account may be a member.
    const relogin = await tp.provider.fetch(new Request(authorizeUrl({ response_type: 'code', client_id: 'staff-app', redirect_uri: CB, scope: 'openid', prompt: 'login' }), { headers: { cookie: jar.header() } }));
    assert.match(new URL(relogin.headers.get('location')!).pathname, /^\/interaction\//);
  });

  test('taken out of the groups, a person can no longer refresh (invalid_grant, the token kept); put back, the same token works', async () => {
    const tp = await setup(['staff']);
    const tokens = await tokensFor(tp, 'staff-app', 'openid');
    await setGroups(tp, ['engineering']);
    const refused = await refresh(tp, 'staff-app', tokens.refresh_token);
    assertOAuthError(refused.response, refused.body, 400, 'invalid_grant', NOT_IN_ALLOWED_GROUPS);
    assert.deepEqual(tp.events.filter((event) => event.name === 'access.refused').map((event) => event.data.at), ['refresh_token']);
    await setGroups(tp, ['staff']);
    const again = await refresh(tp, 'staff-app', tokens.refresh_token);
    assert.equal(again.response.status, 200, JSON.stringify(again.body));
  });

  test('the device page: a person outside the groups is refused, and the device is told access_denied', async () => {
    const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
    const tp = await setup(['engineering'], [{ client_id: 'tv', token_endpoint_auth_method: 'none', grant_types: [DEVICE_GRANT], redirect_uris: [], allowed_groups: ['staff'] }]);
    const device = (await postForm(tp, '/device_authorization', { client_id: 'tv', scope: 'openid' })).body;
    const visit = await runBrowserlessFlow((request) => tp.provider.fetch(request), `${ISSUER}/device`, {
      userCode: String(device.user_code),
      credentials: { username: String(ALICE.username), password: String(ALICE.password) },
      decision: 'allow',
    });
    assert.deepEqual(visit.pages, ['device', 'login']);
    const poll = await postForm(tp, '/token', { grant_type: DEVICE_GRANT, device_code: String(device.device_code), client_id: 'tv' });
    assert.equal(poll.body.error, 'access_denied');
    assert.deepEqual(tp.events.filter((event) => event.name === 'access.refused').map((event) => event.data.at), ['device']);
  });

  test('a token exchange for a person outside the exchanging client\'s groups is refused (invalid_request)', async () => {
    const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
    const tp = await setup(['engineering'], [
      { ...WEB, grant_types: ['authorization_code', EXCHANGE] },
      { client_id: 'back-office', client_secret: SEED_SECRET, grant_types: ['client_credentials', EXCHANGE], redirect_uris: [], allowed_groups: ['staff'] },
    ]);
    const BACK_OFFICE = 'https://back-office.example';
    await tp.provider.context.storage.resourceServers.create(parseResourceServer({ resource: BACK_OFFICE, scope: 'cases:read', client_id: 'back-office' }, tp.clock));
    const tokens = await tokensFor(tp, 'app', 'openid cases:read', { resource: BACK_OFFICE });
    const exchange = (client_id: string) =>
      postForm(tp, '/token', { grant_type: EXCHANGE, subject_token: tokens.access_token, subject_token_type: 'urn:ietf:params:oauth:token-type:access_token' }, { authorization: basicAuth(client_id, SEED_SECRET) });
    const refused = await exchange('back-office');
    assertOAuthError(refused.response, refused.body, 400, 'invalid_request', NOT_IN_ALLOWED_GROUPS);
    assert.equal((await exchange('app')).response.status, 200, 'the client without groups exchanges it');
  });

  test('a client cannot give itself allowed_groups (dynamic registration), nor drop those an administrator gave it (RFC 7592)', async () => {
    const tp = await testProvider({ config: { registration: 'open' }, accounts: [ALICE] });
    const register = (metadata: Record<string, unknown>) =>
      tp.provider.fetch(new Request(`${ISSUER}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(metadata) }));
    const refused = await register({ redirect_uris: [CB], allowed_groups: ['staff'] });
    assert.equal(refused.status, 400);
    assert.deepEqual(await refused.json(), { error: 'invalid_client_metadata', error_description: 'allowed_groups can be set only by an administrator' });

    const registered = (await (await register({ redirect_uris: [CB], client_name: 'Self' })).json()) as Record<string, string>;
    const token = await adminClientToken(tp);
    assert.equal((await callAdmin(tp, token, 'PATCH', `/clients/${registered.client_id}`, { allowed_groups: ['staff'], skip_consent: true })).status, 200);
    const manage = (metadata: Record<string, unknown>) =>
      tp.provider.fetch(new Request(registered.registration_client_uri!, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${registered.registration_access_token}` }, body: JSON.stringify(metadata) }));
    const read = (await (await tp.provider.fetch(new Request(registered.registration_client_uri!, { headers: { authorization: `Bearer ${registered.registration_access_token}` } }))).json()) as Record<string, unknown>;
    assert.deepEqual(read.allowed_groups, ['staff']);
    const echoed = await manage({ ...read, client_name: 'Renamed' });
    assert.equal(echoed.status, 200, 'read and sent back as it is');
    const dropped = await manage({ client_id: registered.client_id, redirect_uris: [CB], client_name: 'Renamed again' });
    assert.equal(dropped.status, 200);
    const stored = await tp.provider.context.storage.clients.find(registered.client_id!);
    assert.equal(stored?.client_name, 'Renamed again');
    assert.deepEqual(stored?.allowed_groups, ['staff'], 'kept');
    assert.equal(stored?.skip_consent, true, 'kept');
  });
});

describe('groups in the admin API', () => {
  test('created and replaced with a user, each once; [] removes them; list by group, exactly; told as user.updated', async () => {
    const tp = await testProvider({ accounts: [ALICE] });
    const token = await adminClientToken(tp);
    const created = await callAdmin(tp, token, 'POST', '/users', { username: 'bob', password: 'a long enough password', groups: ['staff', 'Ops', 'staff'] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const bob = created.body as { sub: string; groups: string[] };
    assert.deepEqual(bob.groups, ['staff', 'Ops']);
    assert.deepEqual((await callAdmin(tp, token, 'GET', `/users/${tp.accounts[0]!.sub}`)).body.groups, [], 'alice has none');

    const members = async (group: string) => ((await callAdmin(tp, token, 'GET', `/users?group=${encodeURIComponent(group)}`)).body.items as { username: string }[]).map((user) => user.username);
    assert.deepEqual(await members('staff'), ['bob']);
    assert.deepEqual(await members('ops'), []);

    const patched = await callAdmin(tp, token, 'PATCH', `/users/${bob.sub}`, { groups: ['on-call'] });
    assert.deepEqual(patched.body.groups, ['on-call']);
    assert.deepEqual(tp.events.filter((event) => event.name === 'user.updated').at(-1)?.data.fields, ['groups']);
    assert.deepEqual(await members('staff'), []);
    assert.deepEqual((await callAdmin(tp, token, 'GET', '/groups')).body, { items: [{ name: 'on-call', members: 1 }] }, 'the groups some user belongs to');
    assert.deepEqual((await callAdmin(tp, token, 'PATCH', `/users/${bob.sub}`, { groups: [] })).body.groups, []);
    const told = tp.events.filter((event) => event.name === 'user.updated').length;
    assert.deepEqual((await callAdmin(tp, token, 'PATCH', `/users/${bob.sub}`, { groups: [] })).body.groups, []);
    assert.equal(tp.events.filter((event) => event.name === 'user.updated').length, told, 'no groups to none: nothing changed, nothing told');
    assert.deepEqual((await callAdmin(tp, token, 'GET', '/groups')).body, { items: [] });
    assert.equal((await tp.provider.context.storage.accounts.findBySub(bob.sub))?.groups, undefined);
  });

  test('bad group names and lists are refused, naming the field, and change nothing', async () => {
    const tp = await testProvider({ accounts: [ALICE] });
    const token = await adminClientToken(tp);
    const sub = tp.accounts[0]!.sub;
    for (const [groups, message] of [
      [['a "quoted" name'], /double quotes/],
      [['tab\there'], /control characters/],
      [[' padded'], /start or end with a space/],
      [[''], /must not be empty/],
      [['x'.repeat(129)], /at most 128/],
      [Array.from({ length: 101 }, (_, i) => `g${i}`), /at most 100 groups/],
      ['staff', /array/i],
    ] as const) {
      const answer = await callAdmin(tp, token, 'PATCH', `/users/${sub}`, { groups });
      assert.equal(answer.status, 400, JSON.stringify(groups));
      assert.match(JSON.stringify(answer.body), message);
      assert.match(JSON.stringify(answer.body), /groups/);
    }
    assert.equal((await tp.provider.context.storage.accounts.findBySub(sub))?.groups, undefined);
    const empty = await callAdmin(tp, token, 'POST', '/clients', { client_name: 'Nobody', redirect_uris: [CB], allowed_groups: [] });
    assert.equal(empty.status, 400);
    assert.match(JSON.stringify(empty.body), /at least one group/);
  });
});
