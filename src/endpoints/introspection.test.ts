import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  ALICE, assertOAuthError, basicAuth, codeFlowTokens, HOST_SUB, hostAccounts, ISSUER, postForm, SEED_SECRET, testProvider, type TestProvider,
} from '../../test/helpers/index.js';

const WEB = { client_id: 'app', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token'] };
const OTHER = { client_id: 'other', client_secret: SEED_SECRET, introspection_signed_response_alg: 'ES256' };
const PUBLIC = { client_id: 'spa', token_endpoint_auth_method: 'none' };

function setup(): Promise<TestProvider> {
  return testProvider({ clients: [WEB, OTHER, PUBLIC], accounts: [ALICE] });
}

function introspect(tp: TestProvider, token: unknown, client_id = 'app', headers: Record<string, string> = {}) {
  return postForm(tp, '/introspect', { token: String(token) }, { authorization: basicAuth(client_id, SEED_SECRET), ...headers });
}

async function jwks(tp: TestProvider) {
  return createLocalJWKSet(await (await tp.provider.fetch(new Request(`${ISSUER}/jwks`))).json());
}

describe('introspection endpoint', () => {
  test('introspect: an active access token → every RFC 7662 member latchkey knows, no-store', async () => {
    const tp = await setup();
    const tokens = await codeFlowTokens(tp, 'app');
    const { response, body } = await introspect(tp, tokens.access_token);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const now = tp.clock.now();
    assert.deepEqual(body, {
      active: true,
      scope: 'openid profile email',
      client_id: 'app',
      sub: tp.accounts[0]!.sub,
      exp: now + 3600,
      iat: now,
      token_type: 'Bearer',
      iss: ISSUER,
      acr: 'urn:latchkey:loa:1fa',
      auth_time: now,
    });
  });

  test('introspect: an active refresh token → active, with its expiry and no token_type', async () => {
    const tp = await setup();
    const tokens = await codeFlowTokens(tp, 'app');
    const { body } = await introspect(tp, tokens.refresh_token, 'app');
    assert.equal(body.active, true);
    assert.equal(body.token_type, undefined);
    assert.equal(body.exp, tp.clock.now() + 1_209_600, 'the idle lifetime');
  });

  test('introspect: unknown, expired, revoked, another client\'s, disabled account → { active: false } alike', async () => {
    const tp = await setup();
    assert.deepEqual((await introspect(tp, 'nonsense')).body, { active: false });

    const tokens = await codeFlowTokens(tp, 'app');
    assert.deepEqual((await introspect(tp, tokens.access_token, 'other')).body, { active: false }, 'another client');

    await postForm(tp, '/revoke', { token: String(tokens.access_token) }, { authorization: basicAuth('app', SEED_SECRET) });
    assert.deepEqual((await introspect(tp, tokens.access_token)).body, { active: false }, 'revoked');

    const fresh = await codeFlowTokens(tp, 'app');
    tp.clock.advance(3600);
    assert.deepEqual((await introspect(tp, fresh.access_token)).body, { active: false }, 'expired');

    // Disabling the account revoked its grants: enabled again, it signs in anew.
    const beforeDisabling = await codeFlowTokens(tp, 'app');
    assert.equal((await introspect(tp, beforeDisabling.access_token)).body.active, true);
    await tp.provider.context.storage.accounts.update({ ...tp.accounts[0]!, disabled: true });
    assert.deepEqual((await introspect(tp, beforeDisabling.access_token)).body, { active: false }, 'disabled account');
    await tp.provider.context.storage.accounts.update({ ...tp.accounts[0]!, disabled: false });
    assert.deepEqual((await introspect(tp, beforeDisabling.access_token)).body, { active: false }, 'enabled again');
    assert.equal((await introspect(tp, (await codeFlowTokens(tp, 'app')).access_token)).body.active, true);
  });

  test('introspect: accounts the host keeps are asked: a token of one gone since → { active: false }', async () => {
    const host = hostAccounts();
    const tp = await testProvider({ clients: [WEB], host: { accounts: host } });
    const tokens = await codeFlowTokens(tp, 'app');
    assert.equal((await introspect(tp, tokens.access_token)).body.active, true);
    host.gone.add(HOST_SUB);
    assert.deepEqual((await introspect(tp, tokens.access_token)).body, { active: false });
  });

  test('introspect: a public client → 401 invalid_client', async () => {
    const tp = await setup();
    const { response, body } = await postForm(tp, '/introspect', { token: 'x', client_id: 'spa' });
    assertOAuthError(response, body, 401, 'invalid_client', 'introspection requires client authentication');
  });

  test('introspect: no client authentication → 401 invalid_client; missing token → 400 invalid_request', async () => {
    const tp = await setup();
    const anonymous = await postForm(tp, '/introspect', { token: 'x' });
    assertOAuthError(anonymous.response, anonymous.body, 401, 'invalid_client', 'client authentication is required');
    const missing = await postForm(tp, '/introspect', {}, { authorization: basicAuth('app', SEED_SECRET) });
    assertOAuthError(missing.response, missing.body, 400, 'invalid_request', 'missing required parameter: token');
  });

  test('introspect: Accept application/token-introspection+jwt → an RFC 9701 signed response', async () => {
    const tp = await setup();
    const tokens = await codeFlowTokens(tp, 'app');
    const { response, text: jwt } = await introspect(tp, tokens.access_token, 'app', { accept: 'application/token-introspection+jwt' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/token-introspection+jwt');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const { payload, protectedHeader } = await jwtVerify(jwt, await jwks(tp), {
      issuer: ISSUER,
      audience: 'app',
      typ: 'token-introspection+jwt',
      currentDate: new Date(tp.clock.now() * 1000),
    });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(payload.iat, tp.clock.now());
    assert.equal(payload.sub, undefined, 'no top-level sub');
    assert.equal(payload.exp, undefined, 'no top-level exp');
    const inner = payload.token_introspection as Record<string, unknown>;
    assert.equal(inner.active, true);
    assert.equal(inner.sub, tp.accounts[0]!.sub);
  });

  test('introspect: JWT response for an inactive token, signed with the client\'s introspection_signed_response_alg', async () => {
    const tp = await setup();
    const { response, text: jwt } = await introspect(tp, 'nonsense', 'other', { accept: 'application/json;q=0.5, application/token-introspection+jwt' });
    assert.equal(response.headers.get('content-type'), 'application/token-introspection+jwt');
    assert.equal(decodeProtectedHeader(jwt).alg, 'ES256');
    const { payload } = await jwtVerify(jwt, await jwks(tp), { currentDate: new Date(tp.clock.now() * 1000) });
    assert.deepEqual(payload.token_introspection, { active: false });
  });
});
