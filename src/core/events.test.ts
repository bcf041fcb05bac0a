/** Typed events for host applications: `provider.on()`, `off()`, `'*'`, and listeners that fail. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { basicAuth, postForm, SEED_SECRET, testProvider } from '../../test/helpers/index.js';
import type { ProviderEventName, ProviderEvents } from './events.js';

const SERVICE = { client_id: 'service', client_secret: SEED_SECRET, grant_types: ['client_credentials'], scope: 'api' };

test('events: on(name) gets that event with its data; "*" gets every event with its name; off() stops', async () => {
  const tp = await testProvider({ clients: [SERVICE] });
  const issued: ProviderEvents['access_token.issued'][] = [];
  const all: ProviderEventName[] = [];
  const listener = (data: Readonly<ProviderEvents['access_token.issued']>) => issued.push(data);
  tp.provider.on('access_token.issued', listener);
  const unsubscribeAll = tp.provider.on('*', (_data, name) => all.push(name));

  const { body } = await postForm(tp, '/token', { grant_type: 'client_credentials' }, { authorization: basicAuth('service', SEED_SECRET) });
  assert.equal(issued.length, 1);
  assert.equal(issued[0]!.client_id, 'service');
  assert.equal(issued[0]!.format, 'opaque');
  assert.equal(issued[0]!.grant_type, 'client_credentials');
  assert.equal(issued[0]!.sub, undefined);
  assert.equal(issued[0]!.expires_at, tp.clock.now() + Number(body.expires_in));
  assert.deepEqual(all, ['access_token.issued', 'client_credentials.granted']);
  assert.equal(JSON.stringify(issued).includes(String(body.access_token)), false, 'events never carry a token');

  tp.provider.off('access_token.issued', listener);
  unsubscribeAll();
  await postForm(tp, '/token', { grant_type: 'client_credentials' }, { authorization: basicAuth('service', SEED_SECRET) });
  assert.equal(issued.length, 1);
  assert.equal(all.length, 2);
});

test('events: a listener that throws does not disturb the request or the other listeners', async () => {
  const tp = await testProvider({ clients: [SERVICE] });
  const seen: string[] = [];
  tp.provider.on('client_authentication.failed', () => {
    throw new Error('listener bug');
  });
  tp.provider.on('client_authentication.failed', (data) => seen.push(data.reason));
  const { response, body } = await postForm(tp, '/token', { grant_type: 'client_credentials' }, { authorization: basicAuth('service', 'wrong-secret') });
  assert.equal(response.status, 401);
  assert.equal(body.error, 'invalid_client');
  assert.equal(seen.length, 1);
  assert.equal(tp.events.filter((event) => event.name === 'client_authentication.failed').length, 1, 'the events option still receives it');
});
