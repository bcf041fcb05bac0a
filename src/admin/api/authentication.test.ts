import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerClient } from '../../core/client-registration.js';
import { adminClientToken, adminUserToken, callAdmin, clientCredentialsToken } from '../../../test/helpers/admin.js';
import { ALICE, ISSUER, testProvider } from '../../../test/helpers/index.js';

const BOB = { username: 'bob', password: 'bob-password-long', email: 'bob@example.com' };

async function setup() {
  const tp = await testProvider({ accounts: [{ ...ALICE, roles: ['admin'] }, BOB] });
  return { tp, token: await adminClientToken(tp) };
}

test('admin api: no token → 401 invalid_token with a bare Bearer challenge naming the scope', async () => {
  const { tp } = await setup();
  const answer = await callAdmin(tp, undefined, 'GET', '/clients');
  assert.equal(answer.status, 401);
  assert.equal(answer.headers.get('www-authenticate'), `Bearer realm="${ISSUER}", scope="latchkey:admin"`);
  assert.deepEqual(answer.body, { error: 'invalid_token', error_description: 'an access token with the latchkey:admin scope is required' });
});

test('admin api: an unknown token → 401 invalid_token with the error in the challenge', async () => {
  const { tp } = await setup();
  const answer = await callAdmin(tp, 'not-a-token', 'GET', '/clients');
  assert.equal(answer.status, 401);
  assert.equal(answer.headers.get('www-authenticate'), `Bearer realm="${ISSUER}", scope="latchkey:admin", error="invalid_token", error_description="access token is invalid, expired or revoked"`);
  assert.deepEqual(answer.body, { error: 'invalid_token', error_description: 'access token is invalid, expired or revoked' });
});

test('admin api: a malformed Authorization header → 400 invalid_request', async () => {
  const { tp } = await setup();
  const response = await tp.provider.fetch(new Request(`${ISSUER}/admin/api/clients`, { headers: { authorization: 'Bearer a b c' } }));
  assert.equal(response.status, 400);
  assert.deepEqual(await response.json(), { error: 'invalid_request', error_description: 'malformed bearer token' });
});

test('admin api: a client credentials token without latchkey:admin → 403 insufficient_scope', async () => {
  const { tp } = await setup();
  const { storage, clock, config } = tp.provider.context;
  await registerClient({ client_id: 'worker', client_secret: 'worker-secret-0123456789abcdef012345', grant_types: ['client_credentials'], scope: 'jobs' }, { storage, clock, secret: config.secret! });
  const token = await clientCredentialsToken(tp, 'worker', 'worker-secret-0123456789abcdef012345');
  const answer = await callAdmin(tp, token, 'GET', '/clients');
  assert.equal(answer.status, 403);
  assert.match(answer.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
  assert.deepEqual(answer.body, { error: 'insufficient_scope', error_description: 'access token lacks the latchkey:admin scope' });
});

test('admin api: an admin user gets latchkey:admin through the console client; a user without the role does not', async () => {
  const { tp } = await setup();
  const alice = await adminUserToken(tp, 'alice', String(ALICE.password));
  assert.equal(alice.scope, 'openid latchkey:admin');
  assert.equal((await callAdmin(tp, alice.access_token, 'GET', '/users')).status, 200);

  const bob = await adminUserToken(tp, 'bob', BOB.password);
  assert.equal(bob.scope, 'openid');
  const answer = await callAdmin(tp, bob.access_token, 'GET', '/users');
  assert.equal(answer.status, 403);
  assert.equal(answer.body.error, 'insufficient_scope');
});

test('admin api: an admin who loses the role, or is disabled, is refused at once with the token already issued', async () => {
  const { tp, token } = await setup();
  const alice = await adminUserToken(tp, 'alice', String(ALICE.password));
  const sub = tp.accounts[0]!.sub;
  assert.equal((await callAdmin(tp, token, 'PATCH', `/users/${sub}`, { roles: [] })).status, 200);
  assert.deepEqual((await callAdmin(tp, alice.access_token, 'GET', '/clients')).body, { error: 'insufficient_scope', error_description: 'the account no longer has the admin role' });

  assert.equal((await callAdmin(tp, token, 'PATCH', `/users/${sub}`, { roles: ['admin'], disabled: true })).status, 200);
  assert.equal((await callAdmin(tp, alice.access_token, 'GET', '/clients')).status, 401);
});

test('admin api: a disabled admin client, or one no longer registered for the scope, is refused', async () => {
  const { tp, token } = await setup();
  const other = await adminClientToken(tp, 'second-robot');
  assert.equal((await callAdmin(tp, token, 'PATCH', '/clients/second-robot', { scope: 'jobs' })).status, 200);
  assert.deepEqual((await callAdmin(tp, other, 'GET', '/clients')).body, { error: 'insufficient_scope', error_description: 'the client is no longer registered for latchkey:admin' });
  assert.equal((await callAdmin(tp, token, 'PATCH', '/clients/second-robot', { disabled: true })).status, 200);
  assert.equal((await callAdmin(tp, other, 'GET', '/clients')).status, 401);
});

test('admin api: a token for a resource server (RFC 8707 audience) is not an admin token', async () => {
  const { tp, token } = await setup();
  assert.equal((await callAdmin(tp, token, 'POST', '/resource-servers', { resource: 'https://api.example.com', scope: 'latchkey:admin' })).status, 201);
  const { storage, clock, config } = tp.provider.context;
  await registerClient({ client_id: 'rs-user', client_secret: 'rs-user-secret-0123456789abcdef012345', grant_types: ['client_credentials'], scope: 'latchkey:admin' }, { storage, clock, secret: config.secret! });
  const response = await tp.provider.fetch(new Request(`${ISSUER}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('rs-user:rs-user-secret-0123456789abcdef012345').toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: 'https://api.example.com' }),
  }));
  const { access_token } = (await response.json()) as { access_token: string };
  assert.deepEqual((await callAdmin(tp, access_token, 'GET', '/clients')).body, { error: 'invalid_token', error_description: 'access token is for another audience' });
});

test('admin api: a revoked admin token is refused', async () => {
  const { tp, token } = await setup();
  await tp.provider.fetch(new Request(`${ISSUER}/revoke`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('ops-robot:admin-secret-0123456789abcdef0123456789abcdef').toString('base64')}` },
    body: new URLSearchParams({ token }),
  }));
  assert.equal((await callAdmin(tp, token, 'GET', '/clients')).status, 401);
});

test('admin api: every answer is JSON, no-store, nosniff, never framed, with a request id, and counted by route pattern', async () => {
  const { tp, token } = await setup();
  const answer = await callAdmin(tp, token, 'GET', '/clients');
  assert.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(answer.headers.get('cache-control'), 'no-store');
  assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(answer.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
  assert.match(answer.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  const unauthenticated = await callAdmin(tp, undefined, 'GET', '/clients');
  assert.match(unauthenticated.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  const scrape = await (await tp.provider.fetch(new Request(`${ISSUER}/metrics`))).text();
  assert.match(scrape, /latchkey_http_requests_total\{[^}]*route="\/admin\/api\/clients"[^}]*\} 1/);
  assert.match(scrape, /latchkey_http_requests_total\{[^}]*route="\/admin\/api\/clients"[^}]*status_class="4xx"[^}]*\} 1/);
});

test('admin api: an unknown path → 404 not_found; a wrong method → 405 with Allow', async () => {
  const { tp, token } = await setup();
  assert.deepEqual((await callAdmin(tp, token, 'GET', '/nothing-here')).body, { error: 'not_found', error_description: 'no such admin API endpoint' });
  const answer = await callAdmin(tp, token, 'POST', '/keys');
  assert.equal(answer.status, 405);
  assert.equal(answer.headers.get('allow'), 'GET');
  assert.deepEqual(answer.body, { error: 'invalid_request', error_description: 'method not allowed; use GET' });
});

test('admin api: a body that is not JSON, or not application/json → 400 naming the body', async () => {
  const { tp, token } = await setup();
  assert.deepEqual((await callAdmin(tp, token, 'POST', '/users', '{"username":')).body, { error: 'invalid_request', error_description: 'the body is not valid JSON', field: 'body' });
  const response = await tp.provider.fetch(new Request(`${ISSUER}/admin/api/users`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body: 'x' }));
  assert.equal(response.status, 400);
  assert.deepEqual(await response.json(), { error: 'invalid_request', error_description: 'content type must be application/json', field: 'body' });
});

test('admin api: a repeated query parameter, a bad limit or a foreign cursor → 400 naming it', async () => {
  const { tp, token } = await setup();
  assert.deepEqual((await callAdmin(tp, token, 'GET', '/clients?limit=1&limit=2')).body, { error: 'invalid_request', error_description: 'parameter limit is repeated' });
  assert.deepEqual((await callAdmin(tp, token, 'GET', '/clients?limit=500')).body, {
    error: 'invalid_request',
    error_description: 'limit: too big: expected number to be <=200',
    field: 'limit',
    errors: [{ field: 'limit', message: 'too big: expected number to be <=200' }],
  });
  assert.deepEqual((await callAdmin(tp, token, 'GET', '/consents?cursor=bm90LWEtY3Vyc29y')).body, { error: 'invalid_request', error_description: 'cursor is not one this list gave out', field: 'cursor' });
});
