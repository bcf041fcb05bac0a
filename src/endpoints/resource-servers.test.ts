/** Resource indicators (RFC 8707) and JWT access tokens (RFC 9068) through every grant that issues access tokens. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { parseResourceServer } from '../core/resource-servers.js';
import { tokenKey } from '../tokens/token-key.js';
import { fixedClock } from '../util/clock.js';
import {
  ALICE,
  assertOAuthError,
  authorizeUrl,
  basicAuth,
  ISSUER,
  obtainCode,
  postForm,
  runBrowserlessFlow,
  SEED_SECRET,
  testProvider,
  type TestProvider,
} from '../../test/helpers/index.js';

const ORDERS = 'https://orders.example/api';
const LEDGER = 'https://ledger.example';
const CB = 'https://rp.example/cb';

const WEB = { client_id: 'app', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token'] };
const SERVICE = { client_id: 'service', client_secret: SEED_SECRET, grant_types: ['client_credentials'], scope: 'orders:read ledger:read' };
/** The client the orders API authenticates as at /introspect. */
const ORDERS_API = { client_id: 'orders-api', client_secret: SEED_SECRET, grant_types: ['client_credentials'], redirect_uris: [] };

async function setup(): Promise<TestProvider> {
  const tp = await testProvider({ clients: [WEB, SERVICE, ORDERS_API], accounts: [ALICE] });
  const { storage } = tp.provider.context;
  await storage.resourceServers.create(parseResourceServer({
    resource: ORDERS, name: 'Orders API', access_token_format: 'jwt', access_token_ttl_seconds: 600, scope: 'orders:read orders:write', client_id: 'orders-api',
  }, tp.clock));
  await storage.resourceServers.create(parseResourceServer({ resource: LEDGER, scope: 'ledger:read' }, tp.clock));
  return tp;
}

async function jwks(tp: TestProvider) {
  return createLocalJWKSet(await (await tp.provider.fetch(new Request(`${ISSUER}/jwks`))).json());
}

function exchange(tp: TestProvider, code: string, extra: Record<string, string> = {}) {
  return postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: CB, ...extra }, { authorization: basicAuth('app', SEED_SECRET) });
}

function introspect(tp: TestProvider, token: unknown, client_id: string) {
  return postForm(tp, '/introspect', { token: String(token) }, { authorization: basicAuth(client_id, SEED_SECRET) });
}

describe('resource servers: definitions', () => {
  const clock = fixedClock('2030-01-01T00:00:00Z');

  test('a definition gets defaults: opaque tokens, the configured lifetime', () => {
    const server = parseResourceServer({ resource: ORDERS, scope: 'orders:read' }, clock);
    assert.equal(server.access_token_format, 'opaque');
    assert.equal(server.access_token_ttl_seconds, undefined);
    assert.equal(server.created_at, clock.now());
  });

  test('access_token_signing_alg: any algorithm latchkey signs with, for JWT access tokens', () => {
    for (const alg of ['RS256', 'PS256', 'ES256', 'EdDSA']) {
      assert.equal(parseResourceServer({ resource: ORDERS, scope: 'a', access_token_format: 'jwt', access_token_signing_alg: alg }, clock).access_token_signing_alg, alg);
    }
    assert.equal(parseResourceServer({ resource: ORDERS, scope: 'a', access_token_format: 'jwt' }, clock).access_token_signing_alg, undefined);
  });

  test('bad definitions are refused, each with the reason', () => {
    const cases: [unknown, RegExp][] = [
      [{ resource: '/relative', scope: 'a' }, /resource must be an absolute URI/],
      [{ resource: 'https://api.example/#frag', scope: 'a' }, /resource must not have a fragment/],
      [{ resource: ORDERS, scope: 'openid orders:read' }, /scope openid is an end-user scope of latchkey/],
      [{ resource: ORDERS, scope: 'a  b' }, /scope: must be space-separated scope tokens/],
      [{ resource: ORDERS, scope: 'a', access_token_format: 'paseto' }, /access_token_format/],
      [{ resource: ORDERS, scope: 'a', access_token_ttl_seconds: 5 }, /access_token_ttl_seconds/],
      [{ resource: ORDERS, scope: 'a', access_token_ttl_seconds: 86_401 }, /access_token_ttl_seconds/],
      [{ resource: ORDERS, scope: 'a', access_token_format: 'jwt', access_token_signing_alg: 'HS256' }, /access_token_signing_alg/],
      [{ resource: ORDERS, scope: 'a', access_token_format: 'jwt', access_token_signing_alg: 'none' }, /access_token_signing_alg/],
      [{ resource: ORDERS, scope: 'a', access_token_signing_alg: 'ES256' }, /access_token_signing_alg: applies only to access_token_format jwt/],
      [{ scope: 'a' }, /resource/],
    ];
    for (const [input, message] of cases) {
      assert.throws(() => parseResourceServer(input, clock), (error: Error & { error?: string }) => {
        assert.equal(error.error, 'invalid_client_metadata');
        assert.match(error.message, message);
        return true;
      }, JSON.stringify(input));
    }
  });
});

describe('resource servers: the authorization code grant', () => {
  test('resource at /authorize → an RFC 9068 JWT access token for that audience, with its API scope and lifetime', async () => {
    const tp = await setup();
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid orders:read', resource: ORDERS });
    const { response, body } = await exchange(tp, code, { resource: ORDERS });
    assert.equal(response.status, 200);
    assert.equal(body.scope, 'openid orders:read');
    assert.equal(body.expires_in, 600);
    assert.ok(body.id_token, 'the ID token is still issued');

    const token = String(body.access_token);
    const { payload, protectedHeader } = await jwtVerify(token, await jwks(tp), {
      issuer: ISSUER,
      audience: ORDERS,
      typ: 'at+jwt',
      currentDate: new Date(tp.clock.now() * 1000),
    });
    assert.equal(protectedHeader.typ, 'at+jwt');
    assert.equal(protectedHeader.alg, 'RS256');
    assert.ok(protectedHeader.kid);
    assert.equal(payload.sub, tp.accounts[0]!.sub);
    assert.equal(payload.client_id, 'app');
    assert.equal(payload.scope, 'openid orders:read');
    assert.equal(payload.iat, tp.clock.now());
    assert.equal(payload.exp, tp.clock.now() + 600);
    assert.equal(payload.auth_time, tp.clock.now());
    assert.match(String(payload.jti), /^[\w-]{16,}$/);
  });

  test('resource at /authorize only → the code is still for that resource', async () => {
    const tp = await setup();
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid orders:read', resource: ORDERS });
    const { body } = await exchange(tp, code);
    assert.deepEqual((await jwtVerify(String(body.access_token), await jwks(tp), { audience: ORDERS, currentDate: new Date(tp.clock.now() * 1000) })).payload.aud, ORDERS);
  });

  test('a different resource at /token than at /authorize → 400 invalid_target (the attempt spends the code, like any failed redemption)', async () => {
    const tp = await setup();
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid orders:read', resource: ORDERS });
    const wrong = await exchange(tp, code, { resource: LEDGER });
    assertOAuthError(wrong.response, wrong.body, 400, 'invalid_target', 'resource was not part of the authorization request');
    const none = await obtainCode(tp, { client_id: 'app', scope: 'openid' });
    const added = await exchange(tp, none, { resource: ORDERS });
    assertOAuthError(added.response, added.body, 400, 'invalid_target', 'resource was not part of the authorization request');
    const again = await exchange(tp, code);
    assertOAuthError(again.response, again.body, 400, 'invalid_grant', 'authorization code is invalid');
  });

  test('an unknown or malformed resource at /authorize → invalid_target redirected to the client', async () => {
    const tp = await setup();
    const cases: [string, string][] = [
      ['https://unknown.example', 'resource is not a registered resource server'],
      ['not a uri', 'resource must be an absolute URI'],
      [`${ORDERS}#part`, 'resource must not have a fragment'],
    ];
    for (const [resource, description] of cases) {
      const response = await tp.provider.fetch(new Request(authorizeUrl({ response_type: 'code', client_id: 'app', redirect_uri: CB, scope: 'openid', resource, state: 's' })));
      assert.equal(response.status, 302, resource);
      const location = new URL(response.headers.get('location')!);
      assert.equal(`${location.origin}${location.pathname}`, CB);
      assert.deepEqual(Object.fromEntries(location.searchParams), { error: 'invalid_target', error_description: description, state: 's', iss: ISSUER });
    }
  });

  test('API scopes are granted only with their resource; another API\'s scope is dropped', async () => {
    const tp = await setup();
    const withoutResource = await exchange(tp, await obtainCode(tp, { client_id: 'app', scope: 'openid orders:read' }));
    assert.equal(withoutResource.body.scope, 'openid');
    const foreign = await exchange(tp, await obtainCode(tp, { client_id: 'app', scope: 'openid orders:read ledger:read', resource: ORDERS }));
    assert.equal(foreign.body.scope, 'openid orders:read');
  });

  test('the consent page names the API an API scope is for', async () => {
    const tp = await setup();
    const flow = await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ response_type: 'code', client_id: 'app', redirect_uri: CB, scope: 'openid orders:write', resource: ORDERS }), {
      credentials: { username: String(ALICE.username), password: String(ALICE.password) },
    });
    assert.deepEqual(flow.pages, ['login']);
    const html = await flow.response.text();
    assert.ok(html.includes('orders:write at Orders API'), 'the consent page names the API');
  });

  test('a token for a resource server is refused at /userinfo → 401 invalid_token', async () => {
    const tp = await setup();
    const { body } = await exchange(tp, await obtainCode(tp, { client_id: 'app', scope: 'openid orders:read', resource: ORDERS }));
    const response = await tp.provider.fetch(new Request(`${ISSUER}/userinfo`, { headers: { authorization: `Bearer ${String(body.access_token)}` } }));
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), `Bearer realm="${ISSUER}", error="invalid_token", error_description="access token is for another audience"`);
  });
});

describe('resource servers: refresh', () => {
  test('a refreshed token keeps the audience; resource at refresh must be the same one', async () => {
    const tp = await setup();
    const first = await exchange(tp, await obtainCode(tp, { client_id: 'app', scope: 'openid orders:read orders:write', resource: ORDERS }));
    const refresh = (fields: Record<string, string>) => postForm(tp, '/token', { grant_type: 'refresh_token', ...fields }, { authorization: basicAuth('app', SEED_SECRET) });

    const wrong = await refresh({ refresh_token: String(first.body.refresh_token), resource: LEDGER });
    assertOAuthError(wrong.response, wrong.body, 400, 'invalid_target', 'resource was not part of the authorization');

    tp.clock.advance(10);
    const second = await refresh({ refresh_token: String(first.body.refresh_token), resource: ORDERS, scope: 'orders:read' });
    assert.equal(second.response.status, 200);
    assert.equal(second.body.scope, 'orders:read');
    assert.equal(second.body.expires_in, 600);
    const { payload } = await jwtVerify(String(second.body.access_token), await jwks(tp), { audience: ORDERS, typ: 'at+jwt', currentDate: new Date(tp.clock.now() * 1000) });
    assert.equal(payload.scope, 'orders:read');
    assert.equal(payload.iat, tp.clock.now());
  });

  test('a resource server deleted after the grant → refresh answers 400 invalid_target', async () => {
    const tp = await setup();
    const first = await exchange(tp, await obtainCode(tp, { client_id: 'app', scope: 'openid orders:read', resource: ORDERS }));
    assert.equal(await tp.provider.context.storage.resourceServers.delete(ORDERS), true);
    const { response, body } = await postForm(tp, '/token', { grant_type: 'refresh_token', refresh_token: String(first.body.refresh_token) }, { authorization: basicAuth('app', SEED_SECRET) });
    assertOAuthError(response, body, 400, 'invalid_target', 'resource is no longer a registered resource server');
  });
});

describe('resource servers: client credentials', () => {
  function grant(tp: TestProvider, fields: Record<string, string>) {
    return postForm(tp, '/token', { grant_type: 'client_credentials', ...fields }, { authorization: basicAuth('service', SEED_SECRET) });
  }

  test('resource → a JWT whose sub is the client itself (RFC 9068 §2.2), scoped to the API', async () => {
    const tp = await setup();
    const { response, body } = await grant(tp, { resource: ORDERS });
    assert.equal(response.status, 200);
    assert.equal(body.scope, 'orders:read');
    const { payload } = await jwtVerify(String(body.access_token), await jwks(tp), { issuer: ISSUER, audience: ORDERS, typ: 'at+jwt', currentDate: new Date(tp.clock.now() * 1000) });
    assert.equal(payload.sub, 'service');
    assert.equal(payload.client_id, 'service');
    assert.equal(payload.auth_time, undefined);
  });

  test('a resource server with access_token_signing_alg ES256 (or EdDSA, PS256) → its JWTs are signed with that algorithm and a published key', async () => {
    const tp = await setup();
    for (const alg of ['ES256', 'EdDSA', 'PS256']) {
      const resource = `https://${alg.toLowerCase()}.example/api`;
      await tp.provider.context.storage.resourceServers.create(parseResourceServer({ resource, scope: 'orders:read', access_token_format: 'jwt', access_token_signing_alg: alg }, tp.clock));
      const { response, body } = await grant(tp, { resource });
      assert.equal(response.status, 200);
      const { payload, protectedHeader } = await jwtVerify(String(body.access_token), await jwks(tp), { issuer: ISSUER, audience: resource, typ: 'at+jwt', algorithms: [alg], currentDate: new Date(tp.clock.now() * 1000) });
      assert.equal(protectedHeader.alg, alg);
      assert.equal(payload.sub, 'service');
      assert.equal(payload.scope, 'orders:read');
      const introspection = await introspect(tp, body.access_token, 'service');
      assert.equal(introspection.body.active, true, 'stored by digest like every access token');
    }
  });

  test('an opaque resource server → an opaque token that introspection shows with its aud', async () => {
    const tp = await setup();
    const { body } = await grant(tp, { resource: LEDGER });
    assert.match(String(body.access_token), /^[\w-]{51}$/);
    assert.equal(body.scope, 'ledger:read');
    const introspection = await introspect(tp, body.access_token, 'service');
    assert.equal(introspection.body.active, true);
    assert.equal(introspection.body.aud, LEDGER);
  });

  test('a scope of another API, or an unknown resource → the spec\'s error', async () => {
    const tp = await setup();
    const foreign = await grant(tp, { resource: ORDERS, scope: 'ledger:read' });
    assertOAuthError(foreign.response, foreign.body, 400, 'invalid_scope', `scope ledger:read is not a scope of resource ${ORDERS}`);
    const unknown = await grant(tp, { resource: 'https://unknown.example' });
    assertOAuthError(unknown.response, unknown.body, 400, 'invalid_target', 'resource is not a registered resource server');
    const twice = await postForm(tp, '/token', new URLSearchParams([['grant_type', 'client_credentials'], ['resource', ORDERS], ['resource', LEDGER]]) as never, { authorization: basicAuth('service', SEED_SECRET) });
    assert.equal(twice.response.status, 400);
    assert.equal(twice.body.error, 'invalid_request');
  });
});

describe('resource servers: introspection and revocation', () => {
  test('the resource server\'s own client may introspect tokens for it; other clients see active:false', async () => {
    const tp = await setup();
    const { body } = await exchange(tp, await obtainCode(tp, { client_id: 'app', scope: 'openid orders:read', resource: ORDERS }));
    const byApi = await introspect(tp, body.access_token, 'orders-api');
    assert.equal(byApi.body.active, true);
    assert.equal(byApi.body.aud, ORDERS);
    assert.equal(byApi.body.client_id, 'app');
    assert.equal(byApi.body.sub, tp.accounts[0]!.sub);
    assert.equal(byApi.body.exp, tp.clock.now() + 600);
    assert.deepEqual((await introspect(tp, body.access_token, 'service')).body, { active: false });
    assert.equal((await introspect(tp, body.access_token, 'app')).body.active, true, 'the client the token was issued to');
  });

  test('a revoked JWT access token is inactive at introspection', async () => {
    const tp = await setup();
    const { body } = await exchange(tp, await obtainCode(tp, { client_id: 'app', scope: 'openid orders:read', resource: ORDERS }));
    assert.equal(decodeProtectedHeader(String(body.access_token)).typ, 'at+jwt');
    const stored = await tp.provider.context.storage.tokens.find(tokenKey(String(body.access_token)));
    assert.equal(stored?.token_digest.slice(0, 12), (Number(decodeJwt(String(body.access_token)).iat) * 1000).toString(16).padStart(12, '0'), 'filed under its iat');
    const revoked = await postForm(tp, '/revoke', { token: String(body.access_token) }, { authorization: basicAuth('app', SEED_SECRET) });
    assert.equal(revoked.response.status, 200);
    assert.deepEqual((await introspect(tp, body.access_token, 'orders-api')).body, { active: false });
  });
});

describe('resource servers: the device authorization grant', () => {
  const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

  async function deviceSetup() {
    const tp = await testProvider({ clients: [{ client_id: 'tv', token_endpoint_auth_method: 'none', grant_types: [DEVICE_GRANT] }], accounts: [ALICE] });
    await tp.provider.context.storage.resourceServers.create(parseResourceServer({ resource: ORDERS, name: 'Orders API', access_token_format: 'jwt', scope: 'orders:read' }, tp.clock));
    return tp;
  }

  test('resource at /device_authorization → the consent page names the API; the device gets a JWT for it', async () => {
    const tp = await deviceSetup();
    const device = (await postForm(tp, '/device_authorization', { client_id: 'tv', scope: 'openid orders:read', resource: ORDERS })).body;
    const visit = await runBrowserlessFlow((request) => tp.provider.fetch(request), `${ISSUER}/device`, {
      userCode: String(device.user_code),
      credentials: { username: String(ALICE.username), password: String(ALICE.password) },
    });
    assert.ok((await visit.response.text()).includes('orders:read at Orders API'));
    const approved = await runBrowserlessFlow((request) => tp.provider.fetch(request), `${ISSUER}/device`, {
      userCode: String(device.user_code),
      credentials: { username: String(ALICE.username), password: String(ALICE.password) },
      decision: 'allow',
    });
    assert.deepEqual(approved.pages, ['device', 'login', 'consent']);

    const poll = (fields: Record<string, string>) => postForm(tp, '/token', { grant_type: DEVICE_GRANT, device_code: String(device.device_code), client_id: 'tv', ...fields });
    const wrong = await poll({ resource: 'https://ledger.example' });
    assertOAuthError(wrong.response, wrong.body, 400, 'invalid_target', 'resource was not part of the device authorization request');
    const { response, body } = await poll({ resource: ORDERS });
    assert.equal(response.status, 200);
    const { payload } = await jwtVerify(String(body.access_token), await jwks(tp), { issuer: ISSUER, audience: ORDERS, typ: 'at+jwt', currentDate: new Date(tp.clock.now() * 1000) });
    assert.equal(payload.sub, tp.accounts[0]!.sub);
    assert.equal(payload.scope, 'openid orders:read');
  });

  test('an unknown resource at /device_authorization → 400 invalid_target', async () => {
    const tp = await deviceSetup();
    const { response, body } = await postForm(tp, '/device_authorization', { client_id: 'tv', scope: 'openid', resource: 'https://unknown.example' });
    assertOAuthError(response, body, 400, 'invalid_target', 'resource is not a registered resource server');
  });
});
