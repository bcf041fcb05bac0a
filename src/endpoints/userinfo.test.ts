import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { ALICE, basicAuth, ISSUER, obtainCode, SEED_SECRET, testProvider, tokenRequest, type TestProvider } from '../../test/helpers/index.js';

const WEB = { client_id: 'app', client_secret: SEED_SECRET };

async function accessTokenFor(tp: TestProvider, scope: string): Promise<string> {
  const code = await obtainCode(tp, { client_id: 'app', scope });
  const response = await tp.provider.fetch(tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' }, { authorization: basicAuth('app', SEED_SECRET) }));
  return ((await response.json()) as { access_token: string }).access_token;
}

function userinfo(tp: TestProvider, init: RequestInit = {}): Promise<Response> {
  return tp.provider.fetch(new Request(`${ISSUER}/userinfo`, init));
}

describe('userinfo endpoint', () => {
  test('userinfo: GET with a bearer token → the claims of the granted scopes only', async () => {
    const tp = await testProvider({ clients: [WEB], accounts: [{ ...ALICE, claims: { phone_number: '+1 555 0100', address: { country: 'UK' } } }] });
    const token = await accessTokenFor(tp, 'openid email');
    const response = await userinfo(tp, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await response.json(), { sub: tp.accounts[0]!.sub, email: 'alice@example.com', email_verified: true });
  });

  test('userinfo: a client registered with userinfo_signed_response_alg gets the claims as a JWT (application/jwt) signed with it, with iss, aud and iat', async () => {
    const tp = await testProvider({ clients: [{ ...WEB, userinfo_signed_response_alg: 'ES256' }], accounts: [ALICE] });
    const token = await accessTokenFor(tp, 'openid email');
    const response = await userinfo(tp, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/jwt');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const jwt = await response.text();
    assert.equal(decodeProtectedHeader(jwt).alg, 'ES256');
    const jwks = createLocalJWKSet(await (await tp.provider.fetch(new Request(`${ISSUER}/jwks`))).json());
    const { payload } = await jwtVerify(jwt, jwks, { issuer: ISSUER, audience: 'app', currentDate: new Date(tp.clock.now() * 1000) });
    assert.deepEqual(payload, { sub: tp.accounts[0]!.sub, email: 'alice@example.com', email_verified: true, iss: ISSUER, aud: 'app', iat: tp.clock.now() });
  });

  test('userinfo: profile, address and phone scopes → their claims', async () => {
    const tp = await testProvider({ clients: [WEB], accounts: [{ ...ALICE, claims: { phone_number: '+1 555 0100', address: { country: 'UK' } } }] });
    const token = await accessTokenFor(tp, 'openid profile address phone');
    const body = await (await userinfo(tp, { headers: { authorization: `Bearer ${token}` } })).json();
    assert.deepEqual(body, {
      sub: tp.accounts[0]!.sub,
      name: 'Alice Liddell',
      given_name: 'Alice',
      family_name: 'Liddell',
      preferred_username: 'alice',
      updated_at: tp.accounts[0]!.updated_at,
      address: { country: 'UK' },
      phone_number: '+1 555 0100',
    });
  });

  test('userinfo: POST with the token in the form body → 200', async () => {
    const tp = await testProvider({ clients: [WEB], accounts: [ALICE] });
    const token = await accessTokenFor(tp, 'openid');
    const response = await userinfo(tp, { method: 'POST', body: new URLSearchParams({ access_token: token }) });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { sub: tp.accounts[0]!.sub });
  });

  test('userinfo: no token → 401 with a bare Bearer challenge', async () => {
    const tp = await testProvider();
    const response = await userinfo(tp);
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), `Bearer realm="${ISSUER}"`);
    assert.deepEqual(await response.json(), { error: 'invalid_token', error_description: 'access token is required' });
  });

  test('userinfo: unknown token → 401 invalid_token challenge', async () => {
    const tp = await testProvider();
    const response = await userinfo(tp, { headers: { authorization: 'Bearer not-a-token' } });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), `Bearer realm="${ISSUER}", error="invalid_token", error_description="access token is invalid, expired or revoked"`);
    assert.deepEqual(await response.json(), { error: 'invalid_token', error_description: 'access token is invalid, expired or revoked' });
  });

  test('userinfo: expired token → 401 invalid_token', async () => {
    const tp = await testProvider({ clients: [WEB], accounts: [ALICE] });
    const token = await accessTokenFor(tp, 'openid');
    tp.clock.advance(3601);
    const response = await userinfo(tp, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });

  test('userinfo: token without openid → 403 insufficient_scope', async () => {
    const tp = await testProvider({ clients: [WEB], accounts: [ALICE] });
    const token = await accessTokenFor(tp, 'profile');
    const response = await userinfo(tp, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('www-authenticate'), `Bearer realm="${ISSUER}", error="insufficient_scope", error_description="access token lacks the openid scope", scope="openid"`);
    assert.deepEqual(await response.json(), { error: 'insufficient_scope', error_description: 'access token lacks the openid scope' });
  });

  test('userinfo: token in both header and body → 400 invalid_request', async () => {
    const tp = await testProvider({ clients: [WEB], accounts: [ALICE] });
    const token = await accessTokenFor(tp, 'openid');
    const response = await userinfo(tp, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: new URLSearchParams({ access_token: token }) });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { error: 'invalid_request', error_description: 'access token must be sent by one method only' });
  });

  test('userinfo: disabled account → 401 invalid_token', async () => {
    const tp = await testProvider({ clients: [WEB], accounts: [ALICE] });
    const token = await accessTokenFor(tp, 'openid');
    await tp.provider.context.storage.accounts.update({ ...tp.accounts[0]!, disabled: true });
    const response = await userinfo(tp, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 401);
  });
});
