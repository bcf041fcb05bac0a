import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminClientToken, callAdmin, clientCredentialsToken } from '../../../test/helpers/admin.js';
import { ALICE, authorizeUrl, basicAuth, ISSUER, postForm, runBrowserlessFlow, testProvider } from '../../../test/helpers/index.js';

async function setup() {
  const tp = await testProvider();
  return { tp, token: await adminClientToken(tp) };
}

const WEB_APP = { client_name: 'Shop Front', redirect_uris: ['https://shop.example/cb'], grant_types: ['authorization_code', 'refresh_token'] };

test('admin clients: create → 201 with the secret shown once; get and list never show it', async () => {
  const { tp, token } = await setup();
  const created = await callAdmin(tp, token, 'POST', '/clients', WEB_APP);
  assert.equal(created.status, 201);
  assert.match(created.body.client_secret, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(created.body.has_secret, true);
  assert.equal(created.body.disabled, false);
  assert.deepEqual(created.body.redirect_uris, ['https://shop.example/cb']);
  const shown = await callAdmin(tp, token, 'GET', `/clients/${created.body.client_id}`);
  assert.equal(shown.body.client_secret, undefined);
  const { client_secret: _secret, ...withoutSecret } = created.body;
  assert.deepEqual(shown.body, withoutSecret);
  const listed = await callAdmin(tp, token, 'GET', '/clients?search=shop');
  assert.deepEqual(listed.body, { items: [withoutSecret] });
});

test('admin clients: bad metadata → 400 naming the field', async () => {
  const { tp, token } = await setup();
  const cases: [unknown, string, string, string][] = [
    [{ redirect_uris: ['http://shop.example/cb'] }, 'invalid_redirect_uri', 'redirect_uris.0', 'redirect URI http://shop.example/cb must use https (http is allowed only on a loopback host)'],
    [{ redirect_uris: ['https://a.example/cb', 'nope'] }, 'invalid_redirect_uri', 'redirect_uris.1', 'redirect URI nope is not an absolute URI'],
    [{ ...WEB_APP, token_endpoint_auth_method: 'magic' }, 'invalid_client_metadata', 'token_endpoint_auth_method', 'token_endpoint_auth_method magic is not supported'],

    [{ ...WEB_APP, grant_types: ['password'] }, 'invalid_client_metadata', 'grant_types', 'grant_type password is not supported'],
    [{ ...WEB_APP, client_secret: 'short' }, 'invalid_client_metadata', 'client_secret', 'client_secret must carry at least 128 bits of entropy (e.g. 32 random hex digits)'],
    [{ ...WEB_APP, client_id: 'has space' }, 'invalid_client_metadata', 'client_id', 'client_id must be 1 to 255 visible ASCII characters'],
  ];
  for (const [body, error, field, description] of cases) {
    const answer = await callAdmin(tp, token, 'POST', '/clients', body);
    assert.equal(answer.status, 400, JSON.stringify(body));
    assert.deepEqual(answer.body, { error, error_description: description, field }, JSON.stringify(body));
  }
  // Field types are checked before the rules across fields, and every bad field is named.
  assert.deepEqual((await callAdmin(tp, token, 'POST', '/clients', { ...WEB_APP, client_uri: 'ftp://x', skip_consent: 'yes' })).body, {
    error: 'invalid_client_metadata',
    error_description: 'client_uri: must be an http(s) url; skip_consent: invalid input: expected boolean, received string',
    field: 'client_uri',
    errors: [{ field: 'client_uri', message: 'must be an http(s) url' }, { field: 'skip_consent', message: 'invalid input: expected boolean, received string' }],
  });
  assert.deepEqual((await callAdmin(tp, token, 'GET', '/clients?search=Shop')).body, { items: [] });
});

test('admin clients: a taken client_id → 400 invalid_client_metadata naming client_id', async () => {
  const { tp, token } = await setup();
  assert.equal((await callAdmin(tp, token, 'POST', '/clients', { ...WEB_APP, client_id: 'shop' })).status, 201);
  assert.deepEqual((await callAdmin(tp, token, 'POST', '/clients', { ...WEB_APP, client_id: 'shop' })).body, {
    error: 'invalid_client_metadata',
    error_description: 'client_id shop is already registered',
    field: 'client_id',
  });
});

test('admin clients: list pages with a cursor in client_id order', async () => {
  const { tp, token } = await setup();
  for (const id of ['c', 'a', 'b']) await callAdmin(tp, token, 'POST', '/clients', { ...WEB_APP, client_id: id });
  const first = await callAdmin(tp, token, 'GET', '/clients?limit=2');
  assert.deepEqual(first.body.items.map((c: { client_id: string }) => c.client_id), ['a', 'b']);
  const second = await callAdmin(tp, token, 'GET', `/clients?limit=2&cursor=${first.body.next_cursor}`);
  assert.deepEqual(second.body.items.map((c: { client_id: string }) => c.client_id), ['c', 'latchkey-account']);
  const third = await callAdmin(tp, token, 'GET', `/clients?limit=2&cursor=${second.body.next_cursor}`);
  assert.deepEqual(third.body.items.map((c: { client_id: string }) => c.client_id), ['latchkey-admin', 'ops-robot']);
  assert.equal(third.body.next_cursor, undefined);
});

test('admin clients: an unknown client → 404 not_found', async () => {
  const { tp, token } = await setup();
  for (const [method, path] of [['GET', '/clients/nobody'], ['DELETE', '/clients/nobody'], ['POST', '/clients/nobody/secret'], ['PATCH', '/clients/nobody']] as const) {
    const answer = await callAdmin(tp, token, method, path, method === 'PATCH' ? { client_name: 'x' } : undefined);
    assert.deepEqual([answer.status, answer.body], [404, { error: 'not_found', error_description: 'no client nobody' }], `${method} ${path}`);
  }
});

test('admin clients: PATCH changes the fields given, null removes one, the secret stays', async () => {
  const { tp, token } = await setup();
  const created = await callAdmin(tp, token, 'POST', '/clients', { ...WEB_APP, client_id: 'shop', client_uri: 'https://shop.example' });
  const patched = await callAdmin(tp, token, 'PATCH', '/clients/shop', { client_name: 'Shop', client_uri: null, scope: 'openid profile orders:read' });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.client_name, 'Shop');
  assert.equal(patched.body.client_uri, undefined);
  assert.equal(patched.body.scope, 'openid profile orders:read');
  assert.deepEqual(patched.body.redirect_uris, ['https://shop.example/cb']);
  assert.equal(patched.body.client_secret, undefined);
  // The secret still works: an administrator may grant API scopes a client could not give itself.
  const { response } = await postForm(tp, '/token', { grant_type: 'refresh_token', refresh_token: 'none' }, { authorization: basicAuth('shop', created.body.client_secret) });
  assert.equal(response.status, 400, 'authenticated (invalid_grant), not 401');
  assert.deepEqual((await callAdmin(tp, token, 'PATCH', '/clients/shop', { redirect_uris: ['nope'] })).body, {
    error: 'invalid_redirect_uri',
    error_description: 'redirect URI nope is not an absolute URI',
    field: 'redirect_uris.0',
  });
});

test('admin clients: PUT replaces the metadata; omitted fields return to their defaults', async () => {
  const { tp, token } = await setup();
  await callAdmin(tp, token, 'POST', '/clients', { ...WEB_APP, client_id: 'shop', client_uri: 'https://shop.example' });
  const replaced = await callAdmin(tp, token, 'PUT', '/clients/shop', { redirect_uris: ['https://shop.example/new'] });
  assert.equal(replaced.status, 200);
  assert.deepEqual([replaced.body.client_name, replaced.body.client_uri, replaced.body.grant_types, replaced.body.redirect_uris], [undefined, undefined, ['authorization_code'], ['https://shop.example/new']]);
});

test('admin clients: disabling refuses client authentication and new authorizations; enabling restores them', async () => {
  const { tp, token } = await setup();
  const created = await callAdmin(tp, token, 'POST', '/clients', { client_id: 'robot', grant_types: ['client_credentials'], scope: 'jobs' });
  const secret = created.body.client_secret as string;
  await clientCredentialsToken(tp, 'robot', secret);
  const disabled = await callAdmin(tp, token, 'PATCH', '/clients/robot', { disabled: true });
  assert.equal(disabled.body.disabled, true);
  const refused = await postForm(tp, '/token', { grant_type: 'client_credentials' }, { authorization: basicAuth('robot', secret) });
  assert.deepEqual([refused.response.status, refused.body], [401, { error: 'invalid_client', error_description: 'client authentication failed' }]);

  await callAdmin(tp, token, 'POST', '/clients', { ...WEB_APP, client_id: 'shop', disabled: true });
  const authorize = await tp.provider.fetch(new Request(`${ISSUER}/authorize?client_id=shop&redirect_uri=https://shop.example/cb&response_type=code&scope=openid`));
  assert.equal(authorize.status, 400);
  assert.match(await authorize.text(), /the application has been disabled by the administrator/);

  assert.equal((await callAdmin(tp, token, 'PATCH', '/clients/robot', { disabled: false })).body.disabled, false);
  await clientCredentialsToken(tp, 'robot', secret);
  assert.deepEqual((await callAdmin(tp, token, 'PATCH', '/clients/robot', { disabled: 'no' })).body, {
    error: 'invalid_client_metadata', error_description: 'disabled: expected boolean', field: 'disabled', errors: [{ field: 'disabled', message: 'expected boolean' }],
  });
});

test('admin clients: an update keeps a disabled client disabled', async () => {
  const { tp, token } = await setup();
  await callAdmin(tp, token, 'POST', '/clients', { ...WEB_APP, client_id: 'shop', disabled: true });
  assert.equal((await callAdmin(tp, token, 'PATCH', '/clients/shop', { client_name: 'Renamed' })).body.disabled, true);
  assert.equal((await callAdmin(tp, token, 'PUT', '/clients/shop', WEB_APP)).body.disabled, true);
});

test('admin clients: rotating the secret shows the new one once; the old one stops working at once', async () => {
  const { tp, token } = await setup();
  const created = await callAdmin(tp, token, 'POST', '/clients', { client_id: 'robot', grant_types: ['client_credentials'], scope: 'jobs' });
  const rotated = await callAdmin(tp, token, 'POST', '/clients/robot/secret');
  assert.equal(rotated.status, 200);
  assert.deepEqual(Object.keys(rotated.body).sort(), ['client_id', 'client_secret', 'client_secret_expires_at']);
  assert.notEqual(rotated.body.client_secret, created.body.client_secret);
  const old = await postForm(tp, '/token', { grant_type: 'client_credentials' }, { authorization: basicAuth('robot', created.body.client_secret) });
  assert.equal(old.response.status, 401);
  await clientCredentialsToken(tp, 'robot', rotated.body.client_secret);
});

test('admin clients: a client without a secret has none to rotate → 400 naming the method', async () => {
  const { tp, token } = await setup();
  await callAdmin(tp, token, 'POST', '/clients', { ...WEB_APP, client_id: 'spa', token_endpoint_auth_method: 'none', grant_types: ['authorization_code'] });
  assert.deepEqual((await callAdmin(tp, token, 'POST', '/clients/spa/secret')).body, {
    error: 'invalid_client_metadata',
    error_description: 'a client with token_endpoint_auth_method none has no client_secret',
    field: 'token_endpoint_auth_method',
  });
});

test('admin clients: delete → 204; its tokens stop working', async () => {
  const { tp, token } = await setup();
  const created = await callAdmin(tp, token, 'POST', '/clients', { client_id: 'robot', grant_types: ['client_credentials'], scope: 'jobs' });
  const robotToken = await clientCredentialsToken(tp, 'robot', created.body.client_secret);
  assert.equal((await callAdmin(tp, token, 'DELETE', '/clients/robot')).status, 204);
  assert.equal((await callAdmin(tp, token, 'GET', '/clients/robot')).status, 404);
  const introspection = await postForm(tp, '/introspect', { token: robotToken }, { authorization: basicAuth('ops-robot', 'admin-secret-0123456789abcdef0123456789abcdef') });
  assert.deepEqual(introspection.body, { active: false });
});

test("admin clients: the admin console's own client cannot be changed, rotated or deleted → 409", async () => {
  const { tp, token } = await setup();
  const expected = { error: 'conflict', error_description: "latchkey-admin is the admin console's own client; latchkey manages it" };
  for (const [method, path, body] of [['PATCH', '/clients/latchkey-admin', { disabled: true }], ['PUT', '/clients/latchkey-admin', WEB_APP], ['DELETE', '/clients/latchkey-admin', undefined], ['POST', '/clients/latchkey-admin/secret', undefined]] as const) {
    const answer = await callAdmin(tp, token, method, path, body);
    assert.deepEqual([answer.status, answer.body], [409, expected], `${method} ${path}`);
  }
  assert.equal((await callAdmin(tp, token, 'GET', '/clients/latchkey-admin')).body.skip_consent, true);
});

test('admin clients: skip_consent lets a first-party client skip the consent page, unless prompt=consent', async () => {
  const tp = await testProvider({ accounts: [ALICE] });
  const token = await adminClientToken(tp);
  await callAdmin(tp, token, 'POST', '/clients', { ...WEB_APP, client_id: 'first-party', skip_consent: true });
  await callAdmin(tp, token, 'POST', '/clients', { ...WEB_APP, client_id: 'third-party' });
  const flow = (client_id: string, extra: Record<string, string> = {}) =>
    runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ client_id, response_type: 'code', redirect_uri: 'https://shop.example/cb', scope: 'openid profile', ...extra }), {
      credentials: { username: 'alice', password: String(ALICE.password) },
      decision: 'allow',
    });
  const first = await flow('first-party');
  assert.deepEqual(first.pages, ['login']);
  assert.ok(first.redirect?.searchParams.get('code'));
  assert.deepEqual((await flow('third-party')).pages, ['login', 'consent']);
  assert.deepEqual((await flow('first-party', { prompt: 'consent' })).pages, ['login', 'consent']);
});

test('admin clients: dynamic registration cannot set skip_consent', async () => {
  const { tp, token } = await setup();
  const dynamic = await tp.provider.fetch(new Request(`${ISSUER}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...WEB_APP, skip_consent: true }) }));
  assert.equal(dynamic.status, 401, 'registration needs an initial access token by default');
  const issued = await callAdmin(tp, token, 'POST', '/initial-access-tokens', {});
  const withToken = await tp.provider.fetch(new Request(`${ISSUER}/register`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${issued.body.initial_access_token}` }, body: JSON.stringify({ ...WEB_APP, skip_consent: true }) }));
  assert.equal(withToken.status, 400);
  assert.deepEqual(await withToken.json(), { error: 'invalid_client_metadata', error_description: 'skip_consent can be set only by an administrator' });
});
