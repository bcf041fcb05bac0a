import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConfigInput } from '../../src/core/config.js';
import { assertOAuthError, basicAuth, ISSUER, postForm, testProvider, type TestProvider } from '../../test/helpers/index.js';
import { digestSecret } from '../util/digest.js';

const METADATA = { client_name: 'Self-registered', redirect_uris: ['https://rp.example/cb'], grant_types: ['authorization_code', 'refresh_token'] };

async function call(tp: TestProvider, method: string, path: string, body?: unknown, token?: string, contentType = 'application/json') {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = contentType;
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const response = await tp.provider.fetch(new Request(`${ISSUER}${path}`, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) }));
  const text = await response.text();
  return { response, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function initialToken(tp: TestProvider, ttl = 3600): Promise<string> {
  const token = `iat-${Math.random().toString(36).slice(2)}`;
  await tp.provider.context.storage.artifacts.put('initial_access_token', digestSecret(token), { issued_at: tp.clock.now() }, ttl);
  return token;
}

function setup(config: ConfigInput = {}) {
  return testProvider({ config });
}

describe('dynamic client registration (RFC 7591, RFC 7592)', () => {
  test('register: with an initial access token → 201, server-assigned identifiers, a secret and management credentials', async () => {
    const tp = await setup();
    const { response, body } = await call(tp, 'POST', '/register', { ...METADATA, client_id: 'chosen', client_secret: 'x'.repeat(40) }, await initialToken(tp));
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.notEqual(body.client_id, 'chosen', 'client_id is assigned by the server');
    assert.match(String(body.client_secret), /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(body.client_secret, 'x'.repeat(40));
    assert.equal(body.client_secret_expires_at, 0);
    assert.equal(body.client_id_issued_at, tp.clock.now());
    assert.equal(body.registration_client_uri, `${ISSUER}/register/${String(body.client_id)}`);
    assert.equal(typeof body.registration_access_token, 'string');
    assert.deepEqual(body.redirect_uris, METADATA.redirect_uris);
    assert.equal(body.token_endpoint_auth_method, 'client_secret_basic');
    for (const hidden of ['client_secret_digest', 'client_secret_encrypted', 'registration_access_token_digest', 'updated_at']) assert.equal(body[hidden], undefined, hidden);

    // The new client works at once.
    const tokenCall = await postForm(tp, '/token', { grant_type: 'refresh_token', refresh_token: 'x' }, { authorization: basicAuth(String(body.client_id), String(body.client_secret)) });
    assertOAuthError(tokenCall.response, tokenCall.body, 400, 'invalid_grant', 'refresh token is invalid');
  });

  test('register: an initial access token registers one client only', async () => {
    const tp = await setup();
    const token = await initialToken(tp);
    assert.equal((await call(tp, 'POST', '/register', METADATA, token)).response.status, 201);
    const again = await call(tp, 'POST', '/register', METADATA, token);
    assert.equal(again.response.status, 401);
    assert.deepEqual(again.body, { error: 'invalid_token', error_description: 'initial access token is invalid, expired or already used' });
    assert.equal(again.response.headers.get('www-authenticate'), `Bearer realm="${ISSUER}", error="invalid_token"`);
  });

  test('register: without a token, or with an expired one → 401 invalid_token, nothing registered', async () => {
    const tp = await setup();
    const none = await call(tp, 'POST', '/register', METADATA);
    assert.equal(none.response.status, 401);
    assert.equal(none.body.error, 'invalid_token');
    const expired = await initialToken(tp, 60);
    tp.clock.advance(61);
    assert.equal((await call(tp, 'POST', '/register', METADATA, expired)).response.status, 401);
    assert.deepEqual((await tp.provider.context.storage.clients.list({ limit: 10 })).items.map((c) => c.client_id), ['latchkey-account', 'latchkey-admin'], 'only the consoles\' own');
  });

  test('register: open registration needs no token; off removes the endpoint and its discovery entry', async () => {
    const open = await setup({ registration: 'open' });
    assert.equal((await call(open, 'POST', '/register', METADATA)).response.status, 201);
    const off = await setup({ registration: 'off' });
    assert.equal((await call(off, 'POST', '/register', METADATA)).response.status, 404);
    const discovery = (await (await off.provider.fetch(new Request(`${ISSUER}/.well-known/openid-configuration`))).json()) as Record<string, unknown>;
    assert.equal(discovery.registration_endpoint, undefined);
  });

  test('register: invalid metadata → 400 with the RFC 7591 error, nothing registered', async () => {
    const tp = await setup({ registration: 'open' });
    const cases: [unknown, string, string][] = [
      [{ ...METADATA, redirect_uris: ['https://rp.example/cb#frag'] }, 'invalid_redirect_uri', 'redirect URI https://rp.example/cb#frag must not have a fragment'],
      [{ ...METADATA, redirect_uris: [] }, 'invalid_redirect_uri', 'redirect_uris is required for the authorization_code grant'],
      [{ ...METADATA, token_endpoint_auth_method: 'tls_client_auth' }, 'invalid_client_metadata', 'token_endpoint_auth_method tls_client_auth is not supported'],
      [{ ...METADATA, scope: 'openid admin:all' }, 'invalid_client_metadata', 'scope admin:all can be granted only by an administrator (latchkey clients create)'],
      [{ ...METADATA, software_statement: 'eyJ...' }, 'invalid_software_statement', 'software_statement is not a JWT'],
      [[METADATA], 'invalid_client_metadata', 'client metadata must be a JSON object'],
      ['{not json', 'invalid_client_metadata', 'the body is not valid JSON'],
    ];
    for (const [body, error, description] of cases) {
      const result = await call(tp, 'POST', '/register', body);
      assert.equal(result.response.status, 400, description);
      assert.deepEqual(result.body, { error, error_description: description });
    }
    const form = await call(tp, 'POST', '/register', 'client_name=x', undefined, 'application/x-www-form-urlencoded');
    assert.deepEqual(form.body, { error: 'invalid_request', error_description: 'content type must be application/json' });
    assert.deepEqual((await tp.provider.context.storage.clients.list({ limit: 10 })).items.map((c) => c.client_id), ['latchkey-account', 'latchkey-admin'], 'only the consoles\' own');
  });

  test('open registration: at most registrationMaxPerAddress clients per address per window → 429 temporarily_unavailable with Retry-After, nothing registered; another address goes on', async () => {
    const tp = await setup({ registration: 'open', registrationMaxPerAddress: 2 });
    const register = (address: string) =>
      tp.provider.fetch(new Request(`${ISSUER}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(METADATA) }), { remoteAddress: address });
    assert.equal((await register('198.51.100.4')).status, 201);
    assert.equal((await register('198.51.100.4')).status, 201);
    const refused = await register('198.51.100.4');
    assertOAuthError(refused, await refused.json(), 429, 'temporarily_unavailable', 'too many clients registered from this address; try again later');
    assert.equal(refused.headers.get('retry-after'), '900');
    assert.equal(tp.events.filter((event) => event.name === 'client.registered').length, 2);
    assert.equal((await register('198.51.100.5')).status, 201);
    // An IPv6 host is counted by its /64, through which it may rotate its addresses.
    assert.equal((await register('2001:db8::1')).status, 201);
    assert.equal((await register('2001:db8::2')).status, 201);
    assert.equal((await register('2001:db8:0:0:abcd::7')).status, 429, 'another address of the same /64');
    assert.equal((await register('2001:db8:0:1::1')).status, 201, 'the next /64');
  });

  test('manage: GET reads the client with its registration access token; another token or client → 401 alike', async () => {
    const tp = await setup({ registration: 'open' });
    const created = (await call(tp, 'POST', '/register', METADATA)).body;
    const other = (await call(tp, 'POST', '/register', METADATA)).body;
    const path = `/register/${String(created.client_id)}`;
    const read = await call(tp, 'GET', path, undefined, String(created.registration_access_token));
    assert.equal(read.response.status, 200);
    assert.equal(read.body.client_id, created.client_id);
    assert.equal(read.body.client_secret, undefined, 'the secret is not shown again');
    assert.equal(read.body.registration_access_token, undefined);
    assert.equal(read.body.registration_client_uri, created.registration_client_uri);

    for (const [p, token] of [[path, String(other.registration_access_token)], ['/register/nobody', String(created.registration_access_token)], [path, undefined]] as const) {
      const denied = await call(tp, 'GET', p, undefined, token);
      assert.equal(denied.response.status, 401);
      assert.equal(denied.body.error, 'invalid_token');
    }
  });

  test('manage: PUT replaces the metadata (omitted fields return to defaults); DELETE removes the client', async () => {
    const tp = await setup({ registration: 'open' });
    const created = (await call(tp, 'POST', '/register', { ...METADATA, client_name: 'Old', logo_uri: 'https://rp.example/logo.png' })).body;
    const path = `/register/${String(created.client_id)}`;
    const token = String(created.registration_access_token);
    tp.clock.advance(10);

    const updated = await call(tp, 'PUT', path, { ...METADATA, client_id: created.client_id, client_name: 'New', redirect_uris: ['https://rp.example/new'] }, token);
    assert.equal(updated.response.status, 200);
    assert.equal(updated.body.client_name, 'New');
    assert.deepEqual(updated.body.redirect_uris, ['https://rp.example/new']);
    assert.equal(updated.body.logo_uri, undefined);
    assert.equal(updated.body.client_secret, undefined, 'the secret stays as it was');
    assert.equal(updated.body.client_id_issued_at, created.client_id_issued_at);
    const auth = await postForm(tp, '/token', { grant_type: 'refresh_token', refresh_token: 'x' }, { authorization: basicAuth(String(created.client_id), String(created.client_secret)) });
    assert.equal(auth.body.error, 'invalid_grant', 'the old secret still authenticates');

    const wrongId = await call(tp, 'PUT', path, { ...METADATA, client_id: 'someone-else' }, token);
    assert.deepEqual(wrongId.body, { error: 'invalid_client_metadata', error_description: 'client_id must be the client\'s own' });
    const wrongSecret = await call(tp, 'PUT', path, { ...METADATA, client_id: created.client_id, client_secret: 'guess' }, token);
    assert.deepEqual(wrongSecret.body, { error: 'invalid_client_metadata', error_description: 'client_secret does not match the current secret' });

    const deleted = await call(tp, 'DELETE', path, undefined, token);
    assert.equal(deleted.response.status, 204);
    assert.equal(await tp.provider.context.storage.clients.find(String(created.client_id)), undefined);
    assert.equal((await call(tp, 'GET', path, undefined, token)).response.status, 401);
  });

  test('manage: PUT to client_secret_jwt keeps the secret usable for HMAC assertions (sealed on update)', async () => {
    const tp = await setup({ registration: 'open' });
    const created = (await call(tp, 'POST', '/register', { grant_types: ['client_credentials'] })).body;
    const updated = await call(tp, 'PUT', `/register/${String(created.client_id)}`, { client_id: created.client_id, grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_jwt' }, String(created.registration_access_token));
    assert.equal(updated.response.status, 200);
    assert.match(String(updated.body.client_secret), /^[A-Za-z0-9_-]{43}$/, 'a fresh secret, since the old one was never sealed');
    const stored = await tp.provider.context.storage.clients.find(String(created.client_id));
    assert.equal(typeof stored?.client_secret_encrypted, 'string');
  });
});
