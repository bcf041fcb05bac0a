import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ALICE, assertOAuthError, basicAuth, codeFlowTokens, ISSUER, postForm, SEED_SECRET, testProvider, type TestProvider,
} from '../../test/helpers/index.js';

const WEB = { client_id: 'app', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token'] };
const OTHER = { client_id: 'other', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token'] };
const PUBLIC = { client_id: 'spa', token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] };

function setup(): Promise<TestProvider> {
  return testProvider({ clients: [WEB, OTHER, PUBLIC], accounts: [ALICE] });
}

function revoke(tp: TestProvider, fields: Record<string, string>, client_id = 'app') {
  return postForm(tp, '/revoke', fields, { authorization: basicAuth(client_id, SEED_SECRET) });
}

async function userinfoStatus(tp: TestProvider, accessToken: unknown): Promise<number> {
  return (await tp.provider.fetch(new Request(`${ISSUER}/userinfo`, { headers: { authorization: `Bearer ${String(accessToken)}` } }))).status;
}

function refresh(tp: TestProvider, refreshToken: unknown, client_id = 'app') {
  return postForm(tp, '/token', { grant_type: 'refresh_token', refresh_token: String(refreshToken) }, { authorization: basicAuth(client_id, SEED_SECRET) });
}

describe('revocation endpoint', () => {
  test('revoke: an access token → 200 with an empty body; the token stops working, the refresh token does not', async () => {
    const tp = await setup();
    const tokens = await codeFlowTokens(tp, 'app');
    const { response } = await revoke(tp, { token: String(tokens.access_token), token_type_hint: 'access_token' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(await userinfoStatus(tp, tokens.access_token), 401);
    assert.equal((await refresh(tp, tokens.refresh_token)).response.status, 200);
    assert.deepEqual(tp.events.filter((e) => e.name === 'token.revoked').map((e) => e.data.kind), ['access_token']);
  });

  test('revoke: a refresh token → it and the access tokens of its grant stop working', async () => {
    const tp = await setup();
    const tokens = await codeFlowTokens(tp, 'app');
    const refreshed = await refresh(tp, tokens.refresh_token);
    const { response } = await revoke(tp, { token: String(tokens.refresh_token), token_type_hint: 'refresh_token' });
    assert.equal(response.status, 200);
    const again = await refresh(tp, tokens.refresh_token);
    assertOAuthError(again.response, again.body, 400, 'invalid_grant', 'refresh token is invalid');
    assert.equal(await userinfoStatus(tp, tokens.access_token), 401);
    assert.equal(await userinfoStatus(tp, refreshed.body.access_token), 401);
  });

  test('revoke: a wrong token_type_hint is only a hint → the token is still found and revoked', async () => {
    const tp = await setup();
    const tokens = await codeFlowTokens(tp, 'app');
    assert.equal((await revoke(tp, { token: String(tokens.refresh_token), token_type_hint: 'access_token' })).response.status, 200);
    assert.equal((await refresh(tp, tokens.refresh_token)).response.status, 400);
  });

  test('revoke: an unknown token → 200, nothing happens', async () => {
    const tp = await setup();
    const { response } = await revoke(tp, { token: 'not-a-token' });
    assert.equal(response.status, 200);
    assert.equal(tp.events.filter((e) => e.name === 'token.revoked').length, 0);
  });

  test('revoke: another client\'s token → 400 invalid_grant, and the token keeps working', async () => {
    const tp = await setup();
    const tokens = await codeFlowTokens(tp, 'app');
    const { response, body } = await revoke(tp, { token: String(tokens.access_token) }, 'other');
    assertOAuthError(response, body, 400, 'invalid_grant', 'token was not issued to this client');
    assert.equal(await userinfoStatus(tp, tokens.access_token), 200);
  });

  test('revoke: a public client revokes its own refresh token with client_id alone', async () => {
    const tp = await setup();
    const tokens = await codeFlowTokens(tp, 'spa', { public: true });
    const { response } = await postForm(tp, '/revoke', { token: String(tokens.refresh_token), client_id: 'spa' });
    assert.equal(response.status, 200);
    assert.equal(await userinfoStatus(tp, tokens.access_token), 401);
  });

  test('revoke: no client authentication → 401 invalid_client; wrong secret over Basic → challenge', async () => {
    const tp = await setup();
    const anonymous = await postForm(tp, '/revoke', { token: 'x' });
    assertOAuthError(anonymous.response, anonymous.body, 401, 'invalid_client', 'client authentication is required');
    const wrong = await postForm(tp, '/revoke', { token: 'x' }, { authorization: basicAuth('app', 'wrong') });
    assertOAuthError(wrong.response, wrong.body, 401, 'invalid_client', 'client authentication failed');
    assert.match(wrong.response.headers.get('www-authenticate') ?? '', /^Basic realm=/);
  });

  test('revoke: missing token → 400 invalid_request; GET → 405', async () => {
    const tp = await setup();
    const { response, body } = await revoke(tp, {});
    assertOAuthError(response, body, 400, 'invalid_request', 'missing required parameter: token');
    const get = await tp.provider.fetch(new Request(`${ISSUER}/revoke`));
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
  });
});
