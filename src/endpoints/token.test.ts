import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { ALICE, basicAuth, disableBeforeNextGrant, HOST_SUB, hostAccounts, ISSUER, obtainCode, PKCE, SEED_SECRET, testProvider, tokenRequest, type TestProvider } from '../../test/helpers/index.js';

const WEB = { client_id: 'app', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token'] };
const POST_CLIENT = { client_id: 'post-app', client_secret: SEED_SECRET, token_endpoint_auth_method: 'client_secret_post' };
const PUBLIC = { client_id: 'spa', token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] };

function setup(config = {}): Promise<TestProvider> {
  return testProvider({ clients: [WEB, POST_CLIENT, PUBLIC], accounts: [ALICE], config });
}

async function exchange(tp: TestProvider, fields: Record<string, string>, headers: Record<string, string> = { authorization: basicAuth('app', SEED_SECRET) }) {
  const response = await tp.provider.fetch(tokenRequest(fields, headers));
  return { response, body: (await response.json()) as Record<string, unknown> };
}

function assertError(response: Response, body: unknown, status: number, error: string, description: string) {
  assert.equal(response.status, status);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.equal(response.headers.get('pragma'), 'no-cache');
  assert.deepEqual(body, { error, error_description: description });
}

describe('token endpoint: request and client authentication', () => {
  test('token: unsupported grant_type → 400 unsupported_grant_type', async () => {
    const tp = await setup();
    const { response, body } = await exchange(tp, { grant_type: 'urn:example:unknown' });
    assertError(response, body, 400, 'unsupported_grant_type', 'grant_type urn:example:unknown is not supported');
  });

  test('token: missing grant_type → 400 invalid_request', async () => {
    const tp = await setup();
    const { response, body } = await exchange(tp, {});
    assertError(response, body, 400, 'invalid_request', 'missing required parameter: grant_type');
  });

  test('token: JSON body → 400 invalid_request', async () => {
    const tp = await setup();
    const response = await tp.provider.fetch(new Request(`${ISSUER}/token`, {
      method: 'POST',
      headers: { authorization: basicAuth('app', SEED_SECRET), 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'authorization_code' }),
    }));
    assertError(response, await response.json(), 400, 'invalid_request', 'content type must be application/x-www-form-urlencoded');
  });

  test('token: repeated parameter → 400 invalid_request', async () => {
    const tp = await setup();
    const response = await tp.provider.fetch(new Request(`${ISSUER}/token`, {
      method: 'POST',
      headers: { authorization: basicAuth('app', SEED_SECRET), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code&code=a&code=b',
    }));
    assertError(response, await response.json(), 400, 'invalid_request', 'parameter code is repeated');
  });

  test('token: a NUL character in a parameter → 400 invalid_request, nothing looked up', async () => {
    const tp = await setup();
    const response = await tp.provider.fetch(new Request(`${ISSUER}/token`, {
      method: 'POST',
      headers: { authorization: basicAuth('app', SEED_SECRET), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code&code=abc%00def',
    }));
    assertError(response, await response.json(), 400, 'invalid_request', 'parameter code contains a NUL character');
  });

  test('token: unknown client over Basic → 401 invalid_client with a Basic challenge', async () => {
    const tp = await setup();
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code: 'x' }, { authorization: basicAuth('nobody', SEED_SECRET) });
    assertError(response, body, 401, 'invalid_client', 'client authentication failed');
    assert.equal(response.headers.get('www-authenticate'), `Basic realm="${ISSUER}", charset="UTF-8"`);
  });

  test('token: wrong secret over Basic → 401 invalid_client with a Basic challenge', async () => {
    const tp = await setup();
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code: 'x' }, { authorization: basicAuth('app', `${SEED_SECRET}0`) });
    assertError(response, body, 401, 'invalid_client', 'client authentication failed');
    assert.match(response.headers.get('www-authenticate') ?? '', /^Basic /);
    assert.deepEqual(tp.events.filter((e) => e.name === 'client_authentication.failed').length, 1);
  });

  test('token: wrong secret in the body → 401 invalid_client without a challenge', async () => {
    const tp = await setup();
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code: 'x', client_id: 'post-app', client_secret: 'nope' }, {});
    assertError(response, body, 401, 'invalid_client', 'client authentication failed');
    assert.equal(response.headers.get('www-authenticate'), null);
  });

  test('token: client_secret_post for a client registered for client_secret_basic → 401 invalid_client', async () => {
    const tp = await setup();
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code: 'x', client_id: 'app', client_secret: SEED_SECRET }, {});
    assertError(response, body, 401, 'invalid_client', 'client is registered for client_secret_basic authentication');
  });

  test('token: a confidential client sending no secret → 401 invalid_client', async () => {
    const tp = await setup();
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code: 'x', client_id: 'app' }, {});
    assertError(response, body, 401, 'invalid_client', 'client is registered for client_secret_basic authentication');
  });

  test('token: a public client sending a secret → 401 invalid_client', async () => {
    const tp = await setup();
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code: 'x', client_id: 'spa', client_secret: SEED_SECRET }, {});
    assertError(response, body, 401, 'invalid_client', 'client is registered for none authentication');
  });

  test('token: Basic and client_secret together → 400 invalid_request', async () => {
    const tp = await setup();
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code: 'x', client_secret: SEED_SECRET });
    assertError(response, body, 400, 'invalid_request', 'client authentication must use only one method');
  });

  test('token: no client identification at all → 401 invalid_client', async () => {
    const tp = await setup();
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code: 'x' }, {});
    assertError(response, body, 401, 'invalid_client', 'client authentication is required');
  });

  test('token: malformed Basic credentials → 401 invalid_client', async () => {
    const tp = await setup();
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code: 'x' }, { authorization: 'Basic !!!' });
    assertError(response, body, 401, 'invalid_client', 'authorization header must use the Basic scheme');
  });

  test('token: grant the client is not registered for → 400 unauthorized_client', async () => {
    const tp = await setup();
    const { response, body } = await exchange(tp, { grant_type: 'refresh_token', refresh_token: 'x', client_id: 'post-app', client_secret: SEED_SECRET }, {});
    assertError(response, body, 400, 'unauthorized_client', 'client is not allowed to use grant_type refresh_token');
  });

  test('token: GET → 405 with Allow: POST', async () => {
    const tp = await setup();
    const response = await tp.provider.fetch(new Request(`${ISSUER}/token`));
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST');
    assert.deepEqual(await response.json(), { error: 'invalid_request', error_description: 'method not allowed; use POST' });
  });
});

describe('token endpoint: authorization_code grant', () => {
  test('token: code exchange → 200 with access, refresh and ID token, no-store', async () => {
    const tp = await setup();
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid profile email', nonce: 'n-0S6_WzA2Mj' });
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' });

    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('pragma'), 'no-cache');
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3600);
    assert.equal(body.scope, 'openid profile email');
    // Opaque: its issue time (8 characters), then 256 random bits (43).
    assert.match(String(body.access_token), /^[A-Za-z0-9_-]{51}$/);
    assert.match(String(body.refresh_token), /^[A-Za-z0-9_-]{51}$/);

    const jwks = createLocalJWKSet(JSON.parse(await tp.provider.context.keys.jwks()));
    const { payload, protectedHeader } = await jwtVerify(String(body.id_token), jwks, { issuer: ISSUER, audience: 'app', currentDate: new Date(tp.clock.now() * 1000) });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(payload.sub, tp.accounts[0]!.sub);
    assert.equal(payload.nonce, 'n-0S6_WzA2Mj');
    assert.equal(payload.iat, tp.clock.now());
    assert.equal(payload.exp, tp.clock.now() + 3600);
    assert.equal(payload.auth_time, tp.clock.now());
    assert.deepEqual(payload.amr, ['pwd']);
    assert.equal(typeof payload.sid, 'string');
    assert.equal(typeof payload.at_hash, 'string');
  });

  test('token: POST /token/ (trailing slash) works like /token', async () => {
    const tp = await setup();
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid' });
    const response = await tp.provider.fetch(new Request(`${ISSUER}/token/`, {
      method: 'POST',
      headers: { authorization: basicAuth('app', SEED_SECRET) },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' }),
    }));
    assert.equal(response.status, 200);
  });

  test('token: client_secret_post client exchanges its code', async () => {
    const tp = await setup();
    const code = await obtainCode(tp, { client_id: 'post-app', scope: 'openid' });
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb', client_id: 'post-app', client_secret: SEED_SECRET }, {});
    assert.equal(response.status, 200);
    assert.equal(body.refresh_token, undefined, 'post-app is not registered for refresh_token');
  });

  test('token: replayed code → 400 invalid_grant and the first redemption\'s tokens are revoked', async () => {
    const tp = await setup();
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid' });
    const fields = { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' };
    const first = await exchange(tp, fields);
    assert.equal(first.response.status, 200);

    const second = await exchange(tp, fields);
    assertError(second.response, second.body, 400, 'invalid_grant', 'authorization code is invalid');

    const userinfo = await tp.provider.fetch(new Request(`${ISSUER}/userinfo`, { headers: { authorization: `Bearer ${first.body.access_token}` } }));
    assert.equal(userinfo.status, 401);
    const refresh = await exchange(tp, { grant_type: 'refresh_token', refresh_token: String(first.body.refresh_token) });
    assertError(refresh.response, refresh.body, 400, 'invalid_grant', 'refresh token is invalid');
    assert.ok(tp.events.some((e) => e.name === 'authorization_code.replayed'));
  });

  test('token: unknown code → 400 invalid_grant', async () => {
    const tp = await setup();
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code: 'not-a-code', redirect_uri: 'https://rp.example/cb' });
    assertError(response, body, 400, 'invalid_grant', 'authorization code is invalid');
  });

  test('token: missing code → 400 invalid_request', async () => {
    const tp = await setup();
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', redirect_uri: 'https://rp.example/cb' });
    assertError(response, body, 400, 'invalid_request', 'missing required parameter: code');
  });

  test('token: another client\'s code → 400 invalid_grant', async () => {
    const tp = await setup();
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid' });
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb', client_id: 'post-app', client_secret: SEED_SECRET }, {});
    assertError(response, body, 400, 'invalid_grant', 'authorization code is invalid');
  });

  test('token: expired code → 400 invalid_grant', async () => {
    const tp = await setup();
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid' });
    tp.clock.advance(61);
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' });
    assertError(response, body, 400, 'invalid_grant', 'authorization code is invalid');
  });

  test('token: redirect_uri differing from the authorization request → 400 invalid_grant', async () => {
    const tp = await testProvider({ clients: [{ ...WEB, redirect_uris: ['https://rp.example/cb', 'https://rp.example/other'] }], accounts: [ALICE] });
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid' });
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/other' });
    assertError(response, body, 400, 'invalid_grant', 'redirect_uri does not match the authorization request');
  });

  test('token: redirect_uri omitted although the authorization request had one → 400 invalid_grant', async () => {
    const tp = await setup();
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid' });
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code });
    assertError(response, body, 400, 'invalid_grant', 'redirect_uri is required');
  });

  test('token: PKCE verifier missing → 400 invalid_grant', async () => {
    const tp = await setup();
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' });
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' });
    assertError(response, body, 400, 'invalid_grant', 'code_verifier is required');
  });

  test('token: PKCE verifier wrong → 400 invalid_grant', async () => {
    const tp = await setup();
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' });
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb', code_verifier: 'x'.repeat(43) });
    assertError(response, body, 400, 'invalid_grant', 'code_verifier does not match the code_challenge');
  });

  test('token: PKCE verifier malformed → 400 invalid_grant', async () => {
    const tp = await setup();
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' });
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb', code_verifier: 'short' });
    assertError(response, body, 400, 'invalid_grant', 'code_verifier is malformed');
  });

  test('token: verifier sent for a code issued without a challenge → 400 invalid_grant (PKCE downgrade)', async () => {
    const tp = await setup();
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid' });
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb', code_verifier: PKCE.code_verifier });
    assertError(response, body, 400, 'invalid_grant', 'code_verifier was sent but the authorization request had no code_challenge');
  });

  test('token: public client with PKCE exchanges its code without a secret', async () => {
    const tp = await setup();
    const code = await obtainCode(tp, { client_id: 'spa', scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' });
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb', client_id: 'spa', code_verifier: PKCE.code_verifier }, {});
    assert.equal(response.status, 200);
    assert.equal(typeof body.id_token, 'string');
  });

  test('token: the account was disabled after the code was issued → 400 invalid_grant: disabling it revoked the grant', async () => {
    const tp = await setup();
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid' });
    await tp.provider.context.storage.accounts.update({ ...tp.accounts[0]!, disabled: true });
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' });
    assertError(response, body, 400, 'invalid_grant', 'authorization code is invalid');
  });

  test('token: the account disabled in the moment its code was issued (after its grants were revoked, before this one was stored) → 400 invalid_grant', async () => {
    const tp = await setup();
    disableBeforeNextGrant(tp, tp.accounts[0]!);
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid' });
    assert.equal((await tp.provider.context.storage.accounts.findBySub(tp.accounts[0]!.sub))?.disabled, true);
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' });
    assertError(response, body, 400, 'invalid_grant', 'authorization code is invalid');
  });

  test('token: accounts the host keeps are asked at the exchange: one gone since the code was issued → 400 invalid_grant', async () => {
    const host = hostAccounts();
    const tp = await testProvider({ clients: [WEB], host: { accounts: host } });
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid' });
    host.gone.add(HOST_SUB);
    const { response, body } = await exchange(tp, { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' });
    assertError(response, body, 400, 'invalid_grant', 'the end-user can no longer sign in');
  });

  test('token: refreshTokenIssuance offline_access → a refresh token only with the offline_access scope', async () => {
    const tp = await setup({ refreshTokenIssuance: 'offline_access' });
    const without = await exchange(tp, { grant_type: 'authorization_code', code: await obtainCode(tp, { client_id: 'app', scope: 'openid' }), redirect_uri: 'https://rp.example/cb' });
    assert.equal(without.response.status, 200);
    assert.equal(without.body.refresh_token, undefined);
    const withOffline = await exchange(tp, { grant_type: 'authorization_code', code: await obtainCode(tp, { client_id: 'app', scope: 'openid offline_access', prompt: 'consent' }), redirect_uri: 'https://rp.example/cb' });
    assert.equal(withOffline.response.status, 200);
    assert.equal(typeof withOffline.body.refresh_token, 'string');
    assert.equal(withOffline.body.scope, 'openid offline_access');
  });

  test('token: configured lifetimes → expires_in and ID token exp follow them', async () => {
    const tp = await setup({ accessTokenTtlSeconds: 600, idTokenTtlSeconds: 300 });
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid' });
    const { body } = await exchange(tp, { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' });
    assert.equal(body.expires_in, 600);
    const payload = JSON.parse(Buffer.from(String(body.id_token).split('.')[1]!, 'base64url').toString());
    assert.equal(payload.exp - payload.iat, 300);
  });
});

describe('token endpoint: refresh_token grant', () => {
  async function tokensFor(tp: TestProvider, scope = 'openid profile email') {
    const code = await obtainCode(tp, { client_id: 'app', scope });
    return (await exchange(tp, { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' })).body;
  }

  test('token: the account disabled → its refresh tokens, offline ones too, fail for good: 400 invalid_grant, enabled again or not', async () => {
    const tp = await setup();
    const offline = await tokensFor(tp, 'openid offline_access');
    assert.equal(typeof offline.refresh_token, 'string');
    await tp.provider.context.storage.accounts.update({ ...tp.accounts[0]!, disabled: true });
    const refused = await exchange(tp, { grant_type: 'refresh_token', refresh_token: String(offline.refresh_token) });
    assertError(refused.response, refused.body, 400, 'invalid_grant', 'refresh token is invalid');
    await tp.provider.context.storage.accounts.update({ ...tp.accounts[0]!, disabled: false });
    const again = await exchange(tp, { grant_type: 'refresh_token', refresh_token: String(offline.refresh_token) });
    assertError(again.response, again.body, 400, 'invalid_grant', 'refresh token is invalid');
    const fresh = await tokensFor(tp, 'openid offline_access');
    assert.equal((await exchange(tp, { grant_type: 'refresh_token', refresh_token: String(fresh.refresh_token) })).response.status, 200, 'signed in again');
  });

  test('token: accounts the host keeps are asked at every refresh: one gone since → 400 invalid_grant', async () => {
    const host = hostAccounts();
    const tp = await testProvider({ clients: [WEB], host: { accounts: host } });
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid' });
    const first = (await exchange(tp, { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' })).body;
    // The client's refresh tokens do not rotate: the one token serves every refresh.
    assert.equal((await exchange(tp, { grant_type: 'refresh_token', refresh_token: String(first.refresh_token) })).response.status, 200);
    host.gone.add(HOST_SUB);
    const { response, body } = await exchange(tp, { grant_type: 'refresh_token', refresh_token: String(first.refresh_token) });
    assertError(response, body, 400, 'invalid_grant', 'the end-user can no longer sign in');
  });

  test('token: refresh → new access token and ID token with the original auth_time, no nonce', async () => {
    const tp = await setup();
    const first = await tokensFor(tp);
    const authTime = tp.clock.now();
    tp.clock.advance(120);
    const { response, body } = await exchange(tp, { grant_type: 'refresh_token', refresh_token: String(first.refresh_token) });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'id_token', 'scope', 'token_type']);
    assert.notEqual(body.access_token, first.access_token);
    assert.equal(body.scope, 'openid profile email');
    const payload = JSON.parse(Buffer.from(String(body.id_token).split('.')[1]!, 'base64url').toString());
    assert.equal(payload.auth_time, authTime);
    assert.equal(payload.iat, authTime + 120);
    assert.equal(payload.nonce, undefined);
  });

  test('token: refresh with a narrower scope → the new access token has that scope', async () => {
    const tp = await setup();
    const first = await tokensFor(tp);
    const { response, body } = await exchange(tp, { grant_type: 'refresh_token', refresh_token: String(first.refresh_token), scope: 'openid email' });
    assert.equal(response.status, 200);
    assert.equal(body.scope, 'openid email');
  });

  test('token: refresh with a wider scope → 400 invalid_scope', async () => {
    const tp = await setup();
    const first = await tokensFor(tp, 'openid email');
    const { response, body } = await exchange(tp, { grant_type: 'refresh_token', refresh_token: String(first.refresh_token), scope: 'openid email phone' });
    assertError(response, body, 400, 'invalid_scope', 'scope exceeds what was granted: phone');
  });

  test('token: refresh without client authentication → 401 invalid_client', async () => {
    const tp = await setup();
    const first = await tokensFor(tp);
    const { response, body } = await exchange(tp, { grant_type: 'refresh_token', refresh_token: String(first.refresh_token), client_id: 'app' }, {});
    assertError(response, body, 401, 'invalid_client', 'client is registered for client_secret_basic authentication');
  });

  test('token: refresh token of another client → 400 invalid_grant', async () => {
    const tp = await testProvider({ clients: [WEB, { ...WEB, client_id: 'other' }], accounts: [ALICE] });
    const first = await tokensFor(tp);
    const { response, body } = await exchange(tp, { grant_type: 'refresh_token', refresh_token: String(first.refresh_token) }, { authorization: basicAuth('other', SEED_SECRET) });
    assertError(response, body, 400, 'invalid_grant', 'refresh token is invalid');
  });

  test('token: expired refresh token → 400 invalid_grant', async () => {
    const tp = await setup({ refreshTokenTtlSeconds: 600 });
    const first = await tokensFor(tp);
    tp.clock.advance(601);
    const { response, body } = await exchange(tp, { grant_type: 'refresh_token', refresh_token: String(first.refresh_token) });
    assertError(response, body, 400, 'invalid_grant', 'refresh token is invalid');
  });

  test('token: an access token presented as a refresh token → 400 invalid_grant', async () => {
    const tp = await setup();
    const first = await tokensFor(tp);
    const { response, body } = await exchange(tp, { grant_type: 'refresh_token', refresh_token: String(first.access_token) });
    assertError(response, body, 400, 'invalid_grant', 'refresh token is invalid');
  });
});
