/** Token exchange (RFC 8693): a service exchanges a user's access token for one to the next API. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { ConfigInput } from '../core/config.js';
import { parseResourceServer } from '../core/resource-servers.js';
import { MAX_ACTORS } from '../grants/token-exchange.js';
import { dpopKey, dpopProof } from '../../test/helpers/dpop.js';
import { ALICE, assertOAuthError, basicAuth, ISSUER, obtainCode, postForm, SEED_SECRET, testProvider, type TestProvider } from '../../test/helpers/index.js';

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
const ORDERS = 'https://orders.example/api';
const LEDGER = 'https://ledger.example';
const CB = 'https://rp.example/cb';

const WEB = { client_id: 'app', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token', EXCHANGE] };
/** The orders API: its tokens are for it; it calls the ledger on the user's behalf. */
const ORDERS_API = { client_id: 'orders-api', client_secret: SEED_SECRET, grant_types: ['client_credentials', EXCHANGE], redirect_uris: [], scope: 'ledger:read' };
/** Registered for the grant, but neither issued the token nor its audience. */
const STRANGER = { client_id: 'stranger', client_secret: SEED_SECRET, grant_types: ['client_credentials', EXCHANGE], redirect_uris: [], scope: 'ledger:read' };
const SERVICE = { client_id: 'service', client_secret: SEED_SECRET, grant_types: ['client_credentials'], redirect_uris: [], scope: 'orders:read' };

/** The provider's clock. */
const NOW = Math.floor(Date.parse('2030-01-01T00:00:00Z') / 1000);

async function setup(config: ConfigInput = {}): Promise<TestProvider> {
  const tp = await testProvider({ clients: [WEB, ORDERS_API, STRANGER, SERVICE], accounts: [ALICE], config });
  const { storage } = tp.provider.context;
  await storage.resourceServers.create(parseResourceServer({ resource: ORDERS, scope: 'orders:read orders:write', client_id: 'orders-api' }, tp.clock));
  await storage.resourceServers.create(parseResourceServer({ resource: LEDGER, scope: 'ledger:read ledger:write', access_token_format: 'jwt' }, tp.clock));
  return tp;
}

/** Alice's tokens from the app, for the orders API. */
async function userTokens(tp: TestProvider, scope = 'openid profile orders:read') {
  const code = await obtainCode(tp, { client_id: 'app', scope, resource: ORDERS });
  const { body } = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: CB, resource: ORDERS }, { authorization: basicAuth('app', SEED_SECRET) });
  assert.equal(typeof body.access_token, 'string');
  return body as { access_token: string; refresh_token: string; expires_in: number };
}

function exchange(tp: TestProvider, subject_token: string, fields: Record<string, string> = {}, client_id = 'orders-api') {
  return postForm(tp, '/token', { grant_type: EXCHANGE, subject_token, subject_token_type: ACCESS_TOKEN, ...fields }, { authorization: basicAuth(client_id, SEED_SECRET) });
}

function introspect(tp: TestProvider, token: string, client_id = 'orders-api') {
  return postForm(tp, '/introspect', { token }, { authorization: basicAuth(client_id, SEED_SECRET) });
}

describe('token exchange (RFC 8693)', () => {
  test('exchange: the orders API exchanges the token it received for a ledger token — the user as sub, the API as client_id, the scope the API is registered for', async () => {
    const tp = await setup();
    const user = await userTokens(tp);
    const { response, body } = await exchange(tp, user.access_token, { resource: LEDGER, scope: 'ledger:read' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'issued_token_type', 'scope', 'token_type']);
    assert.equal(body.issued_token_type, ACCESS_TOKEN);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.scope, 'ledger:read');

    const jwks = createLocalJWKSet(await (await tp.provider.fetch(new Request(`${ISSUER}/jwks`))).json());
    const { payload } = await jwtVerify(String(body.access_token), jwks, { issuer: ISSUER, audience: LEDGER, currentDate: new Date(NOW * 1000) });
    assert.equal(payload.sub, tp.accounts[0]!.sub);
    assert.equal(payload.client_id, 'orders-api');
    assert.equal(payload.scope, 'ledger:read');
    const exchanged = tp.events.find((event) => event.name === 'token.exchanged');
    assert.deepEqual(exchanged?.data, { client_id: 'orders-api', grant_id: exchanged?.data.grant_id, sub: tp.accounts[0]!.sub, from_client_id: 'app', scope: 'ledger:read', audience: LEDGER });
  });

  test('exchange: the client the token was issued to may exchange it too — without scope, the subject token\'s scopes it may have; identity scopes only those the user granted', async () => {
    const tp = await setup();
    const user = await userTokens(tp, 'openid profile');
    const narrowed = await exchange(tp, user.access_token, {}, 'app');
    assert.equal(narrowed.response.status, 200);
    assert.equal(narrowed.body.scope, 'openid profile');
    const userinfo = await tp.provider.fetch(new Request(`${ISSUER}/userinfo`, { headers: { authorization: `Bearer ${String(narrowed.body.access_token)}` } }));
    assert.equal(((await userinfo.json()) as Record<string, unknown>).sub, tp.accounts[0]!.sub);

    const wider = await exchange(tp, user.access_token, { scope: 'openid email' }, 'app');
    assertOAuthError(wider.response, wider.body, 400, 'invalid_scope', 'scope email was not granted to the subject_token');
    const unregistered = await exchange(tp, (await userTokens(tp)).access_token, { resource: LEDGER, scope: 'ledger:write' });
    assertOAuthError(unregistered.response, unregistered.body, 400, 'invalid_scope', `scope ledger:write cannot be granted to this client for resource ${LEDGER}`);
  });

  test('exchange: a token the client merely holds, a refresh token, a client credentials token, an unknown, expired or revoked one → 400 invalid_request, nothing issued', async () => {
    const tp = await setup();
    const user = await userTokens(tp);
    const stranger = await exchange(tp, user.access_token, { resource: LEDGER, scope: 'ledger:read' }, 'stranger');
    assertOAuthError(stranger.response, stranger.body, 400, 'invalid_request', 'subject_token was issued neither to this client nor for an API this client is registered as');
    const refresh = await exchange(tp, user.refresh_token, { resource: LEDGER, scope: 'ledger:read' });
    assertOAuthError(refresh.response, refresh.body, 400, 'invalid_request', 'subject_token is not an active access token issued by this server');
    const unknown = await exchange(tp, 'not-a-token-of-ours', {});
    assertOAuthError(unknown.response, unknown.body, 400, 'invalid_request', 'subject_token is not an active access token issued by this server');
    const serviceToken = await postForm(tp, '/token', { grant_type: 'client_credentials', scope: 'orders:read', resource: ORDERS }, { authorization: basicAuth('service', SEED_SECRET) });
    const clientToken = await exchange(tp, String(serviceToken.body.access_token), { resource: LEDGER, scope: 'ledger:read' });
    assertOAuthError(clientToken.response, clientToken.body, 400, 'invalid_request', 'subject_token speaks of no end-user (a client credentials token): the client_credentials grant serves a client itself');

    const revoked = await userTokens(tp);
    await postForm(tp, '/revoke', { token: revoked.access_token }, { authorization: basicAuth('app', SEED_SECRET) });
    const afterRevocation = await exchange(tp, revoked.access_token, { resource: LEDGER, scope: 'ledger:read' });
    assertOAuthError(afterRevocation.response, afterRevocation.body, 400, 'invalid_request', 'subject_token is not an active access token issued by this server');
    // The app the token was issued to, disabled by the administrator: its tokens stand no more
    // (introspection says inactive), so none is turned into a new one.
    const fromDisabled = await userTokens(tp);
    const { storage } = tp.provider.context;
    await storage.clients.update({ ...(await storage.clients.find('app'))!, disabled: true });
    const disabled = await exchange(tp, fromDisabled.access_token, { resource: LEDGER, scope: 'ledger:read' });
    assertOAuthError(disabled.response, disabled.body, 400, 'invalid_request', 'subject_token is not an active access token issued by this server');
    assert.equal((await introspect(tp, fromDisabled.access_token)).body.active, false);
    await storage.clients.update({ ...(await storage.clients.find('app'))!, disabled: false });

    tp.clock.advance(user.expires_in);
    const expired = await exchange(tp, user.access_token, { resource: LEDGER, scope: 'ledger:read' });
    assertOAuthError(expired.response, expired.body, 400, 'invalid_request', 'subject_token is not an active access token issued by this server');
    assert.equal(tp.events.filter((event) => event.name === 'token.exchanged').length, 0);
  });

  test('exchange: the request\'s own rules — subject_token and its type required, access tokens only in and out, an actor token with its type, one target, a registered one', async () => {
    const tp = await setup();
    const { access_token } = await userTokens(tp);
    const cases: [Record<string, string>, string, string][] = [
      [{ subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' }, 'invalid_request', 'subject_token_type urn:ietf:params:oauth:token-type:id_token is not supported (urn:ietf:params:oauth:token-type:access_token only)'],
      [{ requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' }, 'invalid_request', 'requested_token_type urn:ietf:params:oauth:token-type:refresh_token is not supported (urn:ietf:params:oauth:token-type:access_token only)'],
      [{ actor_token_type: ACCESS_TOKEN }, 'invalid_request', 'actor_token_type is sent only with actor_token'],
      [{ actor_token: access_token }, 'invalid_request', 'missing required parameter: actor_token_type'],
      [{ actor_token: access_token, actor_token_type: 'urn:ietf:params:oauth:token-type:id_token' }, 'invalid_request', 'actor_token_type urn:ietf:params:oauth:token-type:id_token is not supported (urn:ietf:params:oauth:token-type:access_token only)'],
      [{ resource: LEDGER, audience: ORDERS }, 'invalid_request', 'resource and audience name different targets'],
      [{ audience: 'https://unknown.example' }, 'invalid_target', 'resource is not a registered resource server'],
    ];
    for (const [fields, error, description] of cases) {
      const { response, body } = await exchange(tp, access_token, fields);
      assertOAuthError(response, body, 400, error, description);
    }
    const missing = await postForm(tp, '/token', { grant_type: EXCHANGE, subject_token_type: ACCESS_TOKEN }, { authorization: basicAuth('orders-api', SEED_SECRET) });
    assertOAuthError(missing.response, missing.body, 400, 'invalid_request', 'missing required parameter: subject_token');
    const notRegistered = await exchange(tp, access_token, {}, 'service');
    assertOAuthError(notRegistered.response, notRegistered.body, 400, 'unauthorized_client', `client is not allowed to use grant_type ${EXCHANGE}`);
    // `audience` names the target as `resource` does.
    const byAudience = await exchange(tp, access_token, { audience: LEDGER, scope: 'ledger:read' });
    assert.equal(byAudience.response.status, 200);
  });

  test('exchange: the new token dies with the grant it came from, and never outlives the subject token', async () => {
    const tp = await setup();
    const user = await userTokens(tp);
    tp.clock.advance(user.expires_in - 30);
    const { body } = await exchange(tp, user.access_token, { resource: LEDGER, scope: 'ledger:read' });
    assert.equal(body.expires_in, 30);
    const active = await introspect(tp, String(body.access_token));
    assert.equal(active.body.active, true);
    assert.equal(active.body.client_id, 'orders-api');

    // The user's refresh token revoked: its grant, and so the exchanged token, are revoked.
    await postForm(tp, '/revoke', { token: user.refresh_token }, { authorization: basicAuth('app', SEED_SECRET) });
    assert.equal((await introspect(tp, String(body.access_token))).body.active, false);
  });

  test('exchange: a subject token bound to a DPoP key is exchanged only with a proof by that key', async () => {
    const tp = await setup();
    const key = await dpopKey();
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid', resource: ORDERS });
    const bound = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: CB, resource: ORDERS }, {
      authorization: basicAuth('app', SEED_SECRET), dpop: await dpopProof(tp, key, 'POST', `${ISSUER}/token`),
    });
    assert.equal(bound.body.token_type, 'DPoP');
    const subject = String(bound.body.access_token);
    const refusal = 'subject_token is bound to a DPoP key: send a DPoP proof made with that key';
    const bearer = await exchange(tp, subject, { resource: LEDGER, scope: 'ledger:read' });
    assertOAuthError(bearer.response, bearer.body, 400, 'invalid_request', refusal);
    const otherKey = await postForm(tp, '/token', { grant_type: EXCHANGE, subject_token: subject, subject_token_type: ACCESS_TOKEN, resource: LEDGER, scope: 'ledger:read' }, {
      authorization: basicAuth('orders-api', SEED_SECRET), dpop: await dpopProof(tp, await dpopKey(), 'POST', `${ISSUER}/token`),
    });
    assertOAuthError(otherKey.response, otherKey.body, 400, 'invalid_request', refusal);
    const proven = await postForm(tp, '/token', { grant_type: EXCHANGE, subject_token: subject, subject_token_type: ACCESS_TOKEN, resource: LEDGER, scope: 'ledger:read' }, {
      authorization: basicAuth('orders-api', SEED_SECRET), dpop: await dpopProof(tp, key, 'POST', `${ISSUER}/token`),
    });
    assert.equal(proven.response.status, 200);
    assert.equal(proven.body.token_type, 'DPoP', 'the new token is bound to the same key');
  });

  /** A client credentials token of `client_id` (for `resource` when given): a service's own token, to name it as the actor. */
  async function serviceToken(tp: TestProvider, client_id: string, scope: string, resource?: string, headers: Record<string, string> = {}) {
    const { body } = await postForm(tp, '/token', { grant_type: 'client_credentials', scope, ...(resource === undefined ? {} : { resource }) }, { authorization: basicAuth(client_id, SEED_SECRET), ...headers });
    assert.equal(typeof body.access_token, 'string', JSON.stringify(body));
    return String(body.access_token);
  }

  async function ledgerClaims(tp: TestProvider, token: string) {
    const jwks = createLocalJWKSet(await (await tp.provider.fetch(new Request(`${ISSUER}/jwks`))).json());
    return (await jwtVerify(token, jwks, { issuer: ISSUER, audience: LEDGER, currentDate: new Date(NOW * 1000) })).payload;
  }

  test('delegation: with its own token as actor_token, the orders API gets a ledger token that names it as the actor (act) — in the JWT, at introspection, in the event', async () => {
    const tp = await setup();
    const user = await userTokens(tp);
    const own = await serviceToken(tp, 'orders-api', 'ledger:read');
    const { response, body } = await exchange(tp, user.access_token, { resource: LEDGER, scope: 'ledger:read', actor_token: own, actor_token_type: ACCESS_TOKEN });
    assert.equal(response.status, 200);
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'issued_token_type', 'scope', 'token_type'], 'act travels in the token, not the response');
    const payload = await ledgerClaims(tp, String(body.access_token));
    assert.equal(payload.sub, tp.accounts[0]!.sub);
    assert.equal(payload.client_id, 'orders-api');
    assert.deepEqual(payload.act, { sub: 'orders-api' });
    const introspected = await introspect(tp, String(body.access_token));
    assert.equal(introspected.body.active, true);
    assert.deepEqual(introspected.body.act, { sub: 'orders-api' });
    const exchanged = tp.events.find((event) => event.name === 'token.exchanged');
    assert.deepEqual(exchanged?.data.act, { sub: 'orders-api' });

    // Without actor_token: impersonation, no act.
    const plain = await exchange(tp, user.access_token, { resource: LEDGER, scope: 'ledger:read' });
    assert.equal((await ledgerClaims(tp, String(plain.body.access_token))).act, undefined);
    assert.equal((await introspect(tp, String(plain.body.access_token))).body.act, undefined);
  });

  test('delegation: actors chain — the subject token\'s actor is nested under the new one, carried over by an exchange without actor_token, and an end-user can be the actor', async () => {
    const tp = await setup();
    const user = await userTokens(tp);
    // The service called the orders API with a token for it: the orders API names it as the actor.
    const fromService = await serviceToken(tp, 'service', 'orders:read', ORDERS);
    const first = await exchange(tp, user.access_token, { resource: LEDGER, scope: 'ledger:read', actor_token: fromService, actor_token_type: ACCESS_TOKEN });
    assert.equal(first.response.status, 200, JSON.stringify(first.body));
    assert.deepEqual((await introspect(tp, String(first.body.access_token))).body.act, { sub: 'service' });

    // The orders API exchanges that token in turn, naming itself: the service's act is nested.
    const own = await serviceToken(tp, 'orders-api', 'ledger:read');
    const second = await exchange(tp, String(first.body.access_token), { resource: LEDGER, scope: 'ledger:read', actor_token: own, actor_token_type: ACCESS_TOKEN });
    assert.equal(second.response.status, 200);
    assert.deepEqual((await ledgerClaims(tp, String(second.body.access_token))).act, { sub: 'orders-api', act: { sub: 'service' } });

    // Exchanged again without an actor: who acted before is not dropped.
    const carried = await exchange(tp, String(first.body.access_token), { resource: LEDGER, scope: 'ledger:read' });
    assert.deepEqual((await ledgerClaims(tp, String(carried.body.access_token))).act, { sub: 'service' });

    // An end-user's access token as actor_token: the actor is that person, as the token's client knows them.
    const person = await userTokens(tp);
    const byPerson = await exchange(tp, user.access_token, { scope: 'openid', actor_token: person.access_token, actor_token_type: ACCESS_TOKEN }, 'app');
    assert.equal(byPerson.response.status, 200);
    assert.deepEqual((await introspect(tp, String(byPerson.body.access_token), 'app')).body.act, { sub: tp.accounts[0]!.sub });
  });

  test('delegation: an actor token not for this client, unknown, a refresh token, revoked, or bound to a DPoP key without its proof → 400 invalid_request, nothing issued; a chain past the bound is refused', async () => {
    const tp = await setup();
    const user = await userTokens(tp);
    const act = (actor_token: string) => ({ resource: LEDGER, scope: 'ledger:read', actor_token, actor_token_type: ACCESS_TOKEN });
    const inactive = 'actor_token is not an active access token issued by this server';
    const cases: [string, string][] = [
      [await serviceToken(tp, 'stranger', 'ledger:read'), 'actor_token was issued neither to this client nor for an API this client is registered as'],
      ['not-a-token-of-ours', inactive],
      [user.refresh_token, inactive],
    ];
    const revoked = await serviceToken(tp, 'orders-api', 'ledger:read');
    await postForm(tp, '/revoke', { token: revoked }, { authorization: basicAuth('orders-api', SEED_SECRET) });
    cases.push([revoked, inactive]);
    for (const [actorToken, description] of cases) {
      const { response, body } = await exchange(tp, user.access_token, act(actorToken));
      assertOAuthError(response, body, 400, 'invalid_request', description);
    }

    // A service's token bound to its DPoP key names it only with a proof by that key.
    const key = await dpopKey();
    const bound = await serviceToken(tp, 'service', 'orders:read', ORDERS, { dpop: await dpopProof(tp, key, 'POST', `${ISSUER}/token`) });
    const unproven = await exchange(tp, user.access_token, act(bound));
    assertOAuthError(unproven.response, unproven.body, 400, 'invalid_request', 'actor_token is bound to a DPoP key: send a DPoP proof made with that key');
    assert.equal(tp.events.filter((event) => event.name === 'token.exchanged').length, 0);
    const proven = await postForm(tp, '/token', { grant_type: EXCHANGE, subject_token: user.access_token, subject_token_type: ACCESS_TOKEN, ...act(bound) }, {
      authorization: basicAuth('orders-api', SEED_SECRET), dpop: await dpopProof(tp, key, 'POST', `${ISSUER}/token`),
    });
    assert.equal(proven.response.status, 200);
    assert.deepEqual((await ledgerClaims(tp, String(proven.body.access_token))).act, { sub: 'service' });

    // Each exchange under delegation adds an actor; a token names at most MAX_ACTORS.
    const own = await serviceToken(tp, 'orders-api', 'ledger:read');
    let token = user.access_token;
    for (let actors = 1; actors <= MAX_ACTORS; actors++) {
      const { response, body } = await exchange(tp, token, act(own));
      assert.equal(response.status, 200, `exchange ${actors}`);
      token = String(body.access_token);
    }
    let depth = 0;
    for (let actor = (await introspect(tp, token)).body.act as { act?: unknown } | undefined; actor !== undefined; actor = actor.act as { act?: unknown } | undefined) depth += 1;
    assert.equal(depth, MAX_ACTORS);
    const before = tp.events.filter((event) => event.name === 'token.exchanged').length;
    const past = await exchange(tp, token, act(own));
    assertOAuthError(past.response, past.body, 400, 'invalid_request', `subject_token names ${MAX_ACTORS} actors already: a token names at most ${MAX_ACTORS}`);
    assert.equal(tp.events.filter((event) => event.name === 'token.exchanged').length, before);
    // Without an actor, the chain is carried as it is: still exchangeable.
    assert.equal((await exchange(tp, token, { resource: LEDGER, scope: 'ledger:read' })).response.status, 200);
  });

  test('registration: the token exchange grant needs an authenticating client', async () => {
    const tp = await setup({ registration: 'open' });
    const { provider } = tp;
    const refused = await provider.fetch(new Request(`${ISSUER}/register`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_types: [EXCHANGE], token_endpoint_auth_method: 'none', redirect_uris: [] }),
    }));
    assert.equal(refused.status, 400);
    assert.deepEqual(await refused.json(), { error: 'invalid_client_metadata', error_description: `grant_type ${EXCHANGE} needs an authenticating client (token_endpoint_auth_method other than none)` });
    const discovery = (await (await provider.fetch(new Request(`${ISSUER}/.well-known/openid-configuration`))).json()) as { grant_types_supported: string[] };
    assert.ok(discovery.grant_types_supported.includes(EXCHANGE));
  });
});
