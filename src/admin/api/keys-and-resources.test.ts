import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminClientToken, callAdmin } from '../../../test/helpers/admin.js';
import { ISSUER, testProvider } from '../../../test/helpers/index.js';

async function setup() {
  const tp = await testProvider();
  return { tp, token: await adminClientToken(tp) };
}

async function publishedKids(tp: Awaited<ReturnType<typeof setup>>['tp']): Promise<string[]> {
  const jwks = (await (await tp.provider.fetch(new Request(`${ISSUER}/jwks`))).json()) as { keys: { kid: string }[] };
  return jwks.keys.map((key) => key.kid).sort();
}

test('admin keys: list shows next and current per algorithm, signing and decryption keys, never a private part', async () => {
  const { tp, token } = await setup();
  const keys = (await callAdmin(tp, token, 'GET', '/keys')).body.items as { alg: string; state: string; public_jwk: Record<string, unknown> }[];
  assert.deepEqual(keys.map((k) => `${k.alg}:${k.state}`), [
    'ECDH-ES:next', 'ECDH-ES:current', 'EdDSA:next', 'EdDSA:current', 'ES256:next', 'ES256:current', 'PS256:next', 'PS256:current', 'RS256:next', 'RS256:current', 'RSA-OAEP-256:next', 'RSA-OAEP-256:current',
  ]);
  assert.deepEqual(keys.map((k) => k.public_jwk.use), keys.map((k) => (['ECDH-ES', 'RSA-OAEP-256'].includes(k.alg) ? 'enc' : 'sig')));
  assert.ok(keys.every((k) => k.public_jwk.d === undefined));
});

test('admin keys: rotate (one algorithm) → next becomes current, a new next; JWKS follows; retire a previous key', async () => {
  const { tp, token } = await setup();
  const before = (await callAdmin(tp, token, 'GET', '/keys')).body.items as { kid: string; alg: string; state: string }[];
  const rs256 = (state: string, items: { kid: string; alg: string; state: string }[]) => items.find((k) => k.alg === 'RS256' && k.state === state)!.kid;
  const rotated = await callAdmin(tp, token, 'POST', '/keys/rotate', { algorithms: ['RS256'] });
  assert.equal(rotated.status, 200);
  assert.equal(rs256('current', rotated.body.items), rs256('next', before));
  assert.equal(rs256('previous', rotated.body.items), rs256('current', before));
  assert.equal(rotated.body.items.filter((k: { alg: string }) => k.alg === 'ES256').length, 2, 'ES256 untouched');
  const previous = rs256('previous', rotated.body.items);
  assert.ok((await publishedKids(tp)).includes(previous));

  const retired = await callAdmin(tp, token, 'POST', `/keys/${previous}/retire`);
  assert.equal(retired.body.state, 'retired');
  assert.ok(!(await publishedKids(tp)).includes(previous));
  const all = (await callAdmin(tp, token, 'GET', '/keys?include_retired=true')).body.items as { kid: string }[];
  assert.ok(all.some((k) => k.kid === previous));
});

test('admin keys: retiring a current key → 409; an unknown kid → 404; an unknown algorithm → 400', async () => {
  const { tp, token } = await setup();
  const current = ((await callAdmin(tp, token, 'GET', '/keys')).body.items as { kid: string; state: string }[]).find((k) => k.state === 'current')!.kid;
  assert.deepEqual((await callAdmin(tp, token, 'POST', `/keys/${current}/retire`)).body, { error: 'conflict', error_description: `key ${current} is current; only a previous key can be retired` });
  assert.deepEqual((await callAdmin(tp, token, 'POST', '/keys/nope/retire')).body, { error: 'not_found', error_description: 'no key nope' });
  const bad = await callAdmin(tp, token, 'POST', '/keys/rotate', { algorithms: ['HS256'] });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'algorithms.0');
});

test('admin resource servers: create, read by its percent-encoded identifier, replace, list, delete', async () => {
  const { tp, token } = await setup();
  const resource = 'https://api.example.com/v1/orders';
  const path = `/resource-servers/${encodeURIComponent(resource)}`;
  const created = await callAdmin(tp, token, 'POST', '/resource-servers', { resource, name: 'Orders', scope: 'orders:read orders:write', access_token_format: 'jwt' });
  assert.equal(created.status, 201);
  assert.deepEqual((await callAdmin(tp, token, 'GET', path)).body, created.body);
  const replaced = await callAdmin(tp, token, 'PUT', path, { resource, scope: 'orders:read', access_token_ttl_seconds: 600 });
  assert.deepEqual([replaced.body.name, replaced.body.scope, replaced.body.access_token_format, replaced.body.access_token_ttl_seconds, replaced.body.created_at], [undefined, 'orders:read', 'opaque', 600, created.body.created_at]);
  assert.deepEqual((await callAdmin(tp, token, 'GET', '/resource-servers')).body.items.map((r: { resource: string }) => r.resource), [resource]);
  assert.equal((await callAdmin(tp, token, 'DELETE', path)).status, 204);
  assert.deepEqual((await callAdmin(tp, token, 'GET', path)).body, { error: 'not_found', error_description: `no resource server ${resource}` });
});

test('admin resource servers: bad definitions → 400 naming the field; a taken identifier → 409', async () => {
  const { tp, token } = await setup();
  assert.deepEqual((await callAdmin(tp, token, 'POST', '/resource-servers', { resource: 'https://api.example.com#x', scope: 'read' })).body, { error: 'invalid_client_metadata', error_description: 'resource must not have a fragment' });
  assert.deepEqual((await callAdmin(tp, token, 'POST', '/resource-servers', { resource: 'https://api.example.com', scope: 'openid' })).body, { error: 'invalid_client_metadata', error_description: 'scope openid is an end-user scope of latchkey, not an API scope' });
  assert.deepEqual((await callAdmin(tp, token, 'POST', '/resource-servers', { resource: 'https://api.example.com' })).body.errors, [{ field: 'scope', message: 'invalid input: expected string, received undefined' }]);
  await callAdmin(tp, token, 'POST', '/resource-servers', { resource: 'https://api.example.com', scope: 'read' });
  assert.deepEqual((await callAdmin(tp, token, 'POST', '/resource-servers', { resource: 'https://api.example.com', scope: 'read' })).body, { error: 'conflict', error_description: 'resource server https://api.example.com is already registered', field: 'resource' });
  assert.deepEqual((await callAdmin(tp, token, 'POST', '/resource-servers', { resource: 'https://b.example.com', scope: 'read', client_id: 'ghost' })).body.errors, [{ field: 'client_id', message: 'ghost is not a registered client' }]);
  const other = await callAdmin(tp, token, 'PUT', `/resource-servers/${encodeURIComponent('https://api.example.com')}`, { resource: 'https://other.example.com', scope: 'read' });
  assert.deepEqual(other.body.errors, [{ field: 'resource', message: 'must be the resource server’s own identifier' }]);
});

test('admin initial access tokens: issue (shown once), list, use at /register once; revoke', async () => {
  const { tp, token } = await setup();
  const issued = await callAdmin(tp, token, 'POST', '/initial-access-tokens', { ttl_seconds: 600 });
  assert.equal(issued.status, 201);
  assert.equal(issued.body.expires_at, tp.clock.now() + 600);
  const listed = await callAdmin(tp, token, 'GET', '/initial-access-tokens');
  assert.deepEqual(listed.body, { items: [{ id: issued.body.id, issued_at: tp.clock.now(), expires_at: tp.clock.now() + 600, issued_by: 'client:ops-robot' }] });

  const register = () => tp.provider.fetch(new Request(`${ISSUER}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${issued.body.initial_access_token}` },
    body: JSON.stringify({ redirect_uris: ['https://rp.example/cb'] }),
  }));
  assert.equal((await register()).status, 201);
  assert.equal((await register()).status, 401);
  assert.deepEqual((await callAdmin(tp, token, 'GET', '/initial-access-tokens')).body, { items: [] });

  const second = await callAdmin(tp, token, 'POST', '/initial-access-tokens', {});
  assert.equal(second.body.expires_at, tp.clock.now() + 86_400);
  assert.equal((await callAdmin(tp, token, 'DELETE', `/initial-access-tokens/${second.body.id}`)).status, 204);
  assert.equal((await callAdmin(tp, token, 'DELETE', `/initial-access-tokens/${second.body.id}`)).status, 404);
  assert.deepEqual((await callAdmin(tp, token, 'POST', '/initial-access-tokens', { ttl_seconds: 5 })).body.errors, [{ field: 'ttl_seconds', message: 'too small: expected number to be >=60' }]);
});
