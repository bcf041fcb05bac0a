/**
 * The admin API's upstream providers: what may be stored (each bad field named), what is shown
 * (the redirect URI to register, never the client secret), changes, deletion with every account's
 * identity there, and the audit log.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminClientToken, callAdmin } from '../../../test/helpers/admin.js';
import { ISSUER, testProvider } from '../../../test/helpers/index.js';
import { openUpstreamSecret } from '../../upstreams/upstream-providers.js';

const CORP = { id: 'corp', name: 'Corp SSO', issuer: 'https://idp.corp.example', client_id: 'latchkey-at-corp', client_secret: 'corp-client-secret-0123456789' };

async function setup() {
  const tp = await testProvider();
  return { tp, token: await adminClientToken(tp) };
}

test('admin upstreams: create → 201 with the redirect URI to register and has_client_secret, never the secret; defaults filled in; the secret is sealed at rest', async () => {
  const { tp, token } = await setup();
  const created = await callAdmin(tp, token, 'POST', '/upstreams', CORP);
  assert.equal(created.status, 201);
  const now = tp.clock.now();
  assert.deepEqual(created.body, {
    id: 'corp', name: 'Corp SSO', issuer: 'https://idp.corp.example', client_id: 'latchkey-at-corp', has_client_secret: true,
    scope: 'openid email profile', create_accounts: true, sync_profile: false, sync_groups: false, disabled: false, redirect_uri: `${ISSUER}/upstream/corp/callback`, created_at: now, updated_at: now,
  });
  assert.ok(!JSON.stringify(created.body).includes(CORP.client_secret), 'the secret is not shown');
  assert.deepEqual((await callAdmin(tp, token, 'GET', '/upstreams/corp')).body, created.body);

  const stored = (await tp.provider.context.storage.upstreams.find('corp'))!;
  assert.ok(stored.sealed_client_secret !== undefined && !stored.sealed_client_secret.includes(CORP.client_secret), 'sealed');
  assert.equal(await openUpstreamSecret(stored, tp.provider.context.config.secret!), CORP.client_secret);
});

test('admin upstreams: a public client (no secret), fields given → has_client_secret false, as given', async () => {
  const { tp, token } = await setup();
  const created = await callAdmin(tp, token, 'POST', '/upstreams', { id: 'lab-1', name: 'Lab', issuer: 'https://lab.example/realms/main', client_id: 'lk', scope: 'openid email', create_accounts: false, sync_profile: true, sync_groups: true, disabled: true });
  assert.equal(created.status, 201);
  assert.deepEqual([created.body.has_client_secret, created.body.scope, created.body.create_accounts, created.body.sync_profile, created.body.sync_groups, created.body.disabled], [false, 'openid email', false, true, true, true]);
  assert.equal(created.body.redirect_uri, `${ISSUER}/upstream/lab-1/callback`);
});

test('admin upstreams: a taken id → 409 conflict naming id', async () => {
  const { tp, token } = await setup();
  await callAdmin(tp, token, 'POST', '/upstreams', CORP);
  const taken = await callAdmin(tp, token, 'POST', '/upstreams', { ...CORP, name: 'Another' });
  assert.equal(taken.status, 409);
  assert.deepEqual(taken.body, { error: 'conflict', error_description: 'upstream provider corp exists', field: 'id' });
  assert.equal((await callAdmin(tp, token, 'GET', '/upstreams/corp')).body.name, 'Corp SSO', 'unchanged');
});

test('admin upstreams: each bad input → 400 invalid_request naming its field; nothing stored', async () => {
  const { tp, token } = await setup();
  const cases: [Record<string, unknown>, string, string][] = [
    [{ ...CORP, id: 'Corp_1' }, 'id', 'must be 1–63 lowercase letters, digits and hyphens, not starting with a hyphen'],
    [{ ...CORP, id: '-corp' }, 'id', 'must be 1–63 lowercase letters, digits and hyphens, not starting with a hyphen'],
    [{ ...CORP, issuer: 'http://idp.example' }, 'issuer', 'must be https (plain http only on localhost, 127.0.0.1 or [::1])'],
    [{ ...CORP, issuer: 'https://idp.example/?tenant=1' }, 'issuer', 'must have no query or fragment'],
    [{ ...CORP, issuer: 'https://idp.example/#top' }, 'issuer', 'must have no query or fragment'],
    [{ ...CORP, issuer: 'not a url' }, 'issuer', 'must be an absolute url'],
    [{ ...CORP, scope: 'email profile' }, 'scope', 'must include openid'],
    [{ ...CORP, scope: 'openid  email' }, 'scope', 'must be space-separated scope tokens'],
    [{ ...CORP, name: '   ' }, 'name', 'must not be empty'],
    [{ ...CORP, sealed_client_secret: 'x' }, 'sealed_client_secret', ''],
  ];
  for (const [body, field, message] of cases) {
    const answer = await callAdmin(tp, token, 'POST', '/upstreams', body);
    assert.equal(answer.status, 400, JSON.stringify(body));
    assert.equal(answer.body.error, 'invalid_request');
    assert.deepEqual(answer.body.errors.map((e: { field: string }) => e.field), [field], JSON.stringify(body));
    if (message !== '') assert.equal(answer.body.errors[0].message, message);
  }
  const missing = await callAdmin(tp, token, 'POST', '/upstreams', { id: 'corp' });
  assert.deepEqual(missing.body.errors.map((e: { field: string }) => e.field), ['name', 'issuer', 'client_id']);
  assert.deepEqual((await callAdmin(tp, token, 'GET', '/upstreams')).body, { items: [] });
});

test('admin upstreams: plain http on a loopback address is accepted (a development provider)', async () => {
  const { tp, token } = await setup();
  for (const [id, issuer] of [['local-a', 'http://127.0.0.1:9/'], ['local-b', 'http://localhost:8080/realms/dev'], ['local-c', 'http://[::1]:9']]) {
    const created = await callAdmin(tp, token, 'POST', '/upstreams', { ...CORP, id, issuer });
    assert.equal(created.status, 201, `${issuer}: ${JSON.stringify(created.body)}`);
    assert.equal(created.body.issuer, issuer);
  }
});

test('admin upstreams: list in id order', async () => {
  const { tp, token } = await setup();
  for (const id of ['zeta', 'alpha', 'mid-1']) await callAdmin(tp, token, 'POST', '/upstreams', { ...CORP, id });
  const listed = await callAdmin(tp, token, 'GET', '/upstreams');
  assert.deepEqual(listed.body.items.map((upstream: { id: string }) => upstream.id), ['alpha', 'mid-1', 'zeta']);
  assert.ok(listed.body.items.every((upstream: Record<string, unknown>) => upstream.sealed_client_secret === undefined && upstream.client_secret === undefined));
});

test('admin upstreams: PATCH changes the fields given; client_secret null removes the secret; the id cannot change; an unknown one → 404', async () => {
  const { tp, token } = await setup();
  const created = (await callAdmin(tp, token, 'POST', '/upstreams', CORP)).body;
  tp.clock.advance(60);
  const renamed = await callAdmin(tp, token, 'PATCH', '/upstreams/corp', { name: 'Corp Sign-In', disabled: true });
  assert.equal(renamed.status, 200);
  assert.deepEqual(renamed.body, { ...created, name: 'Corp Sign-In', disabled: true, updated_at: created.created_at + 60 });
  assert.ok((await tp.provider.context.storage.upstreams.find('corp'))!.sealed_client_secret, 'a change without client_secret keeps it');

  const secretless = await callAdmin(tp, token, 'PATCH', '/upstreams/corp', { client_secret: null });
  assert.equal(secretless.body.has_client_secret, false);
  assert.equal((await tp.provider.context.storage.upstreams.find('corp'))!.sealed_client_secret, undefined);
  const secretAgain = await callAdmin(tp, token, 'PATCH', '/upstreams/corp', { client_secret: 'a-new-client-secret' });
  assert.equal(secretAgain.body.has_client_secret, true);

  const moved = await callAdmin(tp, token, 'PATCH', '/upstreams/corp', { id: 'other' });
  assert.equal(moved.status, 400);
  assert.deepEqual(moved.body.errors.map((e: { field: string }) => e.field), ['id']);
  const badIssuer = await callAdmin(tp, token, 'PATCH', '/upstreams/corp', { issuer: 'http://idp.example' });
  assert.deepEqual(badIssuer.body.errors.map((e: { field: string }) => e.field), ['issuer']);
  assert.equal((await callAdmin(tp, token, 'GET', '/upstreams/corp')).body.issuer, CORP.issuer, 'unchanged');
  assert.deepEqual((await callAdmin(tp, token, 'PATCH', '/upstreams/nobody', { name: 'x' })).body, { error: 'not_found', error_description: 'no upstream provider nobody' });
});

test('admin upstreams: DELETE → 204 and every account’s identity there goes (the accounts stay); again → 404', async () => {
  const tp = await testProvider({ accounts: [{ username: 'carol', password: 'carol-password-1' }] });
  const token = await adminClientToken(tp);
  const { accounts } = tp.provider.context.storage;
  const carol = tp.accounts[0]!;
  await callAdmin(tp, token, 'POST', '/upstreams', CORP);
  await callAdmin(tp, token, 'POST', '/upstreams', { ...CORP, id: 'lab' });
  await accounts.connectUpstreamIdentity({ upstream_id: 'corp', subject: 'c-123', sub: carol.sub, email: 'carol@corp.example', created_at: tp.clock.now() });
  await accounts.connectUpstreamIdentity({ upstream_id: 'lab', subject: 'l-9', sub: carol.sub, created_at: tp.clock.now() });
  assert.equal((await accounts.findUpstreamIdentity('corp', 'c-123'))?.sub, carol.sub);

  const deleted = await callAdmin(tp, token, 'DELETE', '/upstreams/corp');
  assert.equal(deleted.status, 204);
  assert.equal(await accounts.findUpstreamIdentity('corp', 'c-123'), undefined);
  assert.equal((await accounts.findUpstreamIdentity('lab', 'l-9'))?.sub, carol.sub, 'another upstream’s identity stays');
  assert.ok(await accounts.findBySub(carol.sub), 'the account stays');
  assert.equal((await callAdmin(tp, token, 'GET', '/upstreams/corp')).status, 404);
  assert.deepEqual((await callAdmin(tp, token, 'DELETE', '/upstreams/corp')).body, { error: 'not_found', error_description: 'no upstream provider corp' });
});

test('admin upstreams: created, updated and deleted are in the audit log with the admin as actor, never the secret', async () => {
  const { tp, token } = await setup();
  await callAdmin(tp, token, 'POST', '/upstreams', CORP);
  await callAdmin(tp, token, 'PATCH', '/upstreams/corp', { client_secret: 'another-client-secret' });
  await callAdmin(tp, token, 'DELETE', '/upstreams/corp');
  for (const type of ['upstream.created', 'upstream.updated', 'upstream.deleted']) {
    const audited = await callAdmin(tp, token, 'GET', `/audit-events?type=${type}`);
    assert.deepEqual(audited.body.items.map(({ type, actor, target, data }: { type: string; actor: string; target?: string; data: Record<string, unknown> }) => ({ type, actor, target, data })), [
      { type, actor: 'client:ops-robot', target: 'corp', data: {} },
    ], type);
  }
  const all = JSON.stringify((await callAdmin(tp, token, 'GET', '/audit-events?limit=200')).body);
  assert.ok(!all.includes(CORP.client_secret) && !all.includes('another-client-secret'));
});
