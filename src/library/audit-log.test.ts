import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminClientToken, callAdmin } from '../../test/helpers/admin.js';
import { ALICE, authorizeUrl, runBrowserlessFlow, testProvider } from '../../test/helpers/index.js';
import { silentLogger } from '../core/context.js';
import { createMemoryStorage } from '../storage/memory/index.js';
import type { AuditEvent, Storage } from '../storage/types.js';
import { fixedClock } from '../util/clock.js';
import { AUDITED_EVENTS, createAuditLog, toAuditEvent } from './audit-log.js';

test('audit log: an administrator’s change names its actor, and its target when not a client or user', () => {
  assert.deepEqual(toAuditEvent('key.retired', { kid: 'k1', alg: 'RS256', actor: 'user:u1' }, 100), { at: 100, type: 'key.retired', actor: 'user:u1', target: 'k1', data: { alg: 'RS256' } });
  assert.deepEqual(toAuditEvent('client.disabled', { client_id: 'app', actor: 'cli' }, 100), { at: 100, type: 'client.disabled', actor: 'cli', client_id: 'app', data: {} });
});

test('audit log: protocol events name the user, else the client that caused them, else system or anonymous', () => {
  assert.deepEqual(toAuditEvent('login.succeeded', { sub: 'u1', client_id: 'app', amr: ['pwd'] }, 1), { at: 1, type: 'login.succeeded', actor: 'user:u1', client_id: 'app', sub: 'u1', data: { amr: ['pwd'] } });
  assert.deepEqual(toAuditEvent('login.failed', { username: 'mallory', client_id: 'app' }, 1), { at: 1, type: 'login.failed', actor: 'anonymous', client_id: 'app', data: { username: 'mallory' } });
  assert.deepEqual(toAuditEvent('client.registered', { client_id: 'app', origin: 'dynamic' }, 1), { at: 1, type: 'client.registered', actor: 'client:app', client_id: 'app', data: { origin: 'dynamic' } });
  assert.deepEqual(toAuditEvent('client.registered', { client_id: 'app', origin: 'admin' }, 1), { at: 1, type: 'client.registered', actor: 'system', client_id: 'app', data: { origin: 'admin' } });
  assert.deepEqual(toAuditEvent('refresh_token.reused', { client_id: 'app', grant_id: 'g1' }, 1), { at: 1, type: 'refresh_token.reused', actor: 'client:app', client_id: 'app', data: { grant_id: 'g1' } });
  assert.deepEqual(toAuditEvent('backchannel_logout.failed', { client_id: 'app', sid: 's1', outcome: 'answered 500' }, 1), { at: 1, type: 'backchannel_logout.failed', actor: 'system', client_id: 'app', target: 's1', data: { outcome: 'answered 500' } });
  assert.deepEqual(toAuditEvent('session.ended', { sid: 's1', sub: 'u1', clients: ['app'], actor: 'client:ops' }, 1), { at: 1, type: 'session.ended', actor: 'client:ops', sub: 'u1', target: 's1', data: { clients: ['app'] } });
});

test('audit log: high-volume token events are not recorded; security events are', () => {
  for (const name of ['access_token.issued', 'authorization_code.issued', 'refresh_token.rotated', 'client_credentials.granted'] as const) assert.equal(AUDITED_EVENTS.has(name), false, name);
  for (const name of ['login.failed', 'refresh_token.reused', 'authorization_code.replayed', 'client_authentication.failed', 'user.disabled', 'key.rotated'] as const) assert.equal(AUDITED_EVENTS.has(name), true, name);
});

test('audit log: events are written in batches; a failing store keeps them for the next flush', async () => {
  const clock = fixedClock('2030-01-01T00:00:00Z');
  const storage = createMemoryStorage({ clock });
  let failing = true;
  const appended: AuditEvent[][] = [];
  const flaky: Storage = { ...storage, audit: { ...storage.audit, append: async (events) => { if (failing) throw new Error('database is down'); appended.push([...events]); await storage.audit.append(events); } } };
  const log = createAuditLog(flaky, clock, silentLogger, { flushIntervalMs: 60_000, batchSize: 2 });
  log.record('login.failed', { username: 'a', client_id: 'app' });
  log.record('access_token.issued', { client_id: 'app', grant_id: 'g', format: 'opaque', expires_at: 1 });
  await log.flush();
  assert.equal(appended.length, 0, "nothing stored while the store fails");
  failing = false;
  log.record('login.failed', { username: 'b', client_id: 'app' });
  log.record('login.failed', { username: 'c', client_id: 'app' });
  await log.close();
  assert.deepEqual(appended.map((batch) => batch.map((event) => event.data.username)), [['a', 'b'], ['c']]);
  assert.equal((await storage.audit.list({}, { limit: 10 })).items.length, 3);
});

test('audit log: through the provider — admin writes with actor, time and target; logins; filters of the admin API', async () => {
  const tp = await testProvider({ clients: [{ client_id: 'app', client_secret: '37b1c4ff826f8d78bd45e25bad75a2c0' }], accounts: [ALICE] });
  const token = await adminClientToken(tp);
  await callAdmin(tp, token, 'POST', '/clients', { client_id: 'shop', redirect_uris: ['https://shop.example/cb'] });
  tp.clock.advance(60);
  await callAdmin(tp, token, 'PATCH', '/clients/shop', { disabled: true });
  await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ client_id: 'app', response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid' }), {
    credentials: { username: 'alice', password: 'wrong password' },
  });

  const all = (await callAdmin(tp, token, 'GET', '/audit-events')).body.items as AuditEvent[];
  assert.deepEqual(all.map((event) => [event.type, event.actor, event.client_id]), [
    ['login.failed', 'anonymous', 'app'],
    ['client.disabled', 'client:ops-robot', 'shop'],
    ['client.registered', 'client:ops-robot', 'shop'],
  ]);
  assert.equal(all[2]!.at, tp.clock.now() - 60);
  assert.deepEqual(all[2]!.data, { origin: 'admin' });

  const only = async (query: string) => ((await callAdmin(tp, token, 'GET', `/audit-events?${query}`)).body.items as AuditEvent[]).map((event) => event.type);
  assert.deepEqual(await only('type=client.disabled'), ['client.disabled']);
  assert.deepEqual(await only('actor=anonymous'), ['login.failed']);
  assert.deepEqual(await only('client_id=shop'), ['client.disabled', 'client.registered']);
  assert.deepEqual(await only(`since=${tp.clock.now()}`), ['login.failed', 'client.disabled']);
  assert.deepEqual(await only(`until=${tp.clock.now()}`), ['client.registered']);
  assert.deepEqual(await only('sub=nobody'), []);
  const page = await callAdmin(tp, token, 'GET', '/audit-events?limit=2');
  assert.deepEqual((await callAdmin(tp, token, 'GET', `/audit-events?limit=2&cursor=${page.body.next_cursor}`)).body.items.map((event: AuditEvent) => event.type), ['client.registered']);
  assert.deepEqual((await callAdmin(tp, token, 'GET', '/audit-events?since=yesterday')).body.errors, [{ field: 'since', message: 'invalid input: expected number, received nan' }]);
});

test('audit log: a failed login names the account of the username typed (any case), its actor still anonymous; an unknown name, none', async () => {
  const tp = await testProvider({ accounts: [ALICE], clients: [{ client_id: 'app', client_secret: '37b1c4ff826f8d78bd45e25bad75a2c0' }] });
  const attempt = (username: string) => runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ client_id: 'app', response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid' }), { credentials: { username, password: 'not the password' } });
  await attempt('ALICE');
  await attempt('nobody');
  const failed = (await callAdmin(tp, await adminClientToken(tp), 'GET', '/audit-events?type=login.failed')).body.items as AuditEvent[];
  const sub = (await tp.provider.context.storage.accounts.findByUsername('alice'))!.sub;
  assert.deepEqual(failed.map((event) => [event.data.username, event.sub, event.actor]), [['nobody', undefined, 'anonymous'], ['ALICE', sub, 'anonymous']]);
});
