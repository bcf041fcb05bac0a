import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertOAuthError, basicAuth, ISSUER, postForm, SEED_SECRET, testProvider, type TestProvider } from '../../test/helpers/index.js';

const SERVICE = { client_id: 'service', client_secret: SEED_SECRET, grant_types: ['client_credentials'], scope: 'api:read api:write' };
const WEB = { client_id: 'app', client_secret: SEED_SECRET };

function setup(): Promise<TestProvider> {
  return testProvider({ clients: [SERVICE, WEB] });
}

function grant(tp: TestProvider, fields: Record<string, string> = {}, client_id = 'service') {
  return postForm(tp, '/token', { grant_type: 'client_credentials', ...fields }, { authorization: basicAuth(client_id, SEED_SECRET) });
}

test('client_credentials: no scope → an access token for every registered scope; no refresh or ID token', async () => {
  const tp = await setup();
  const { response, body } = await grant(tp);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.equal(response.headers.get('pragma'), 'no-cache');
  assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
  assert.equal(body.token_type, 'Bearer');
  assert.equal(body.expires_in, 3600);
  assert.equal(body.scope, 'api:read api:write');
});

test('client_credentials: a narrower scope → a token for that scope', async () => {
  const tp = await setup();
  const { body } = await grant(tp, { scope: 'api:read' });
  assert.equal(body.scope, 'api:read');
});

test('client_credentials: an unregistered scope → 400 invalid_scope', async () => {
  const tp = await setup();
  const { response, body } = await grant(tp, { scope: 'api:read api:admin' });
  assertOAuthError(response, body, 400, 'invalid_scope', 'scope api:admin is not registered for this client');
});

test('client_credentials: an end-user scope → 400 invalid_scope', async () => {
  const tp = await setup();
  const { response, body } = await grant(tp, { scope: 'openid api:read' });
  assertOAuthError(response, body, 400, 'invalid_scope', 'scope openid needs an end-user; the client_credentials grant has none');
});

test('client_credentials: a client not registered for the grant → 400 unauthorized_client', async () => {
  const tp = await setup();
  const { response, body } = await grant(tp, {}, 'app');
  assertOAuthError(response, body, 400, 'unauthorized_client', 'client is not allowed to use grant_type client_credentials');
});

test('client_credentials: wrong secret → 401 invalid_client', async () => {
  const tp = await setup();
  const { response, body } = await postForm(tp, '/token', { grant_type: 'client_credentials' }, { authorization: basicAuth('service', `${SEED_SECRET}x`) });
  assertOAuthError(response, body, 401, 'invalid_client', 'client authentication failed');
});

test('client_credentials: the token is refused at /userinfo (no end-user) → 401 invalid_token', async () => {
  const tp = await setup();
  const { body } = await grant(tp);
  const response = await tp.provider.fetch(new Request(`${ISSUER}/userinfo`, { headers: { authorization: `Bearer ${String(body.access_token)}` } }));
  assert.equal(response.status, 401);
  assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/);
});

test('client_credentials: introspection shows the client and scope, and no sub', async () => {
  const tp = await setup();
  const { body } = await grant(tp);
  const introspection = await postForm(tp, '/introspect', { token: String(body.access_token) }, { authorization: basicAuth('service', SEED_SECRET) });
  assert.equal(introspection.body.active, true);
  assert.equal(introspection.body.client_id, 'service');
  assert.equal(introspection.body.scope, 'api:read api:write');
  assert.equal(introspection.body.sub, undefined);
});
