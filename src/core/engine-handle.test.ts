/** `provider.handle()`: the engine for hosts with neither Fetch nor Node request objects. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { basicAuth, ISSUER, SEED_SECRET, testProvider } from '../../test/helpers/index.js';

test('handle: a client credentials token request as plain data → status, lowercased headers, body', async () => {
  const tp = await testProvider({ clients: [{ client_id: 'service', client_secret: SEED_SECRET, grant_types: ['client_credentials'], scope: 'api' }] });
  const answer = await tp.provider.handle({
    method: 'post',
    url: `${ISSUER}/token`,
    headers: { Authorization: basicAuth('service', SEED_SECRET), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  assert.equal(answer.status, 200);
  assert.equal(answer.headers['cache-control'], 'no-store');
  assert.match(answer.headers['content-type'] ?? '', /^application\/json/);
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  assert.equal(body.token_type, 'Bearer');
  assert.equal(body.scope, 'api');
});

test('handle: errors come back as the spec says, and GET bodies are ignored', async () => {
  const tp = await testProvider();
  const refused = await tp.provider.handle({ method: 'POST', url: `${ISSUER}/token`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password' });
  assert.equal(refused.status, 401);
  assert.deepEqual(JSON.parse(refused.body), { error: 'invalid_client', error_description: 'client authentication is required' });
  const discovery = await tp.provider.handle({ method: 'GET', url: `${ISSUER}/.well-known/openid-configuration`, body: 'ignored' });
  assert.equal(discovery.status, 200);
  assert.equal(JSON.parse(discovery.body).issuer, ISSUER);
});

test('handle: cookies of a login page come back in set-cookie, one per line', async () => {
  const tp = await testProvider({ clients: [{ client_id: 'app', client_secret: SEED_SECRET }] });
  const started = await tp.provider.handle({ method: 'GET', url: `${ISSUER}/authorize?response_type=code&client_id=app&redirect_uri=https%3A%2F%2Frp.example%2Fcb&scope=openid` });
  assert.equal(started.status, 303);
  assert.match(started.headers['set-cookie'] ?? '', /^\S+=/);
  assert.ok(started.headers.location?.startsWith(`${ISSUER}/`));
});
