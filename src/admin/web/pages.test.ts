/**
 * The admin console's pages, each driven as an administrator would: what they show, and that
 * each change goes through the admin API (and so is in the audit log as the administrator's).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import { consoleGet, consolePost, signInToConsole } from '../../../test/helpers/console.js';
import { ALICE, authorizeUrl, runBrowserlessFlow, testProvider, type TestProvider } from '../../../test/helpers/index.js';
import { clientMetadataSchema } from '../../core/client-metadata.js';
import { CLIENT_FORM_FIELDS } from './pages/client-form.js';

const BOB = { username: 'bob', password: 'bob-password-long', email: 'bob@example.com', name: 'Bob Builder' };
const CLIENT = { client_id: 'shop', client_secret: 'shop-secret-0123456789abcdef0123456789', client_name: 'Shop' };

/** bob signs in to the shop and consents: a session and a consent of his to show. */
async function bobUsesTheShop(tp: TestProvider): Promise<void> {
  const url = authorizeUrl({ client_id: 'shop', response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid' });
  const flow = await runBrowserlessFlow((request) => tp.provider.fetch(request), url, { credentials: { username: BOB.username, password: BOB.password }, decision: 'allow' });
  assert.ok(flow.redirect?.searchParams.get('code'));
}

async function setup() {
  const tp = await testProvider({ accounts: [{ ...ALICE, roles: ['admin'] }, BOB], clients: [CLIENT] });
  return { tp, admin: await signInToConsole(tp, 'alice', String(ALICE.password)) };
}

test('console pages: the client form holds every client metadata field (an edit replaces the metadata: a field the form lacked would be lost); the encryption fields show what is stored, folded away unless one is set', async () => {
  // The software statement a client registered with is kept by an edit, never edited.
  for (const field of Object.keys(clientMetadataSchema.shape).filter((name) => name !== 'software_statement')) assert.ok(CLIENT_FORM_FIELDS.includes(field), `the client form lacks ${field}`);
  const jwk = { ...(await exportJWK((await generateKeyPair('RSA-OAEP-256', { extractable: true })).publicKey)), use: 'enc' };
  const sealed = { client_id: 'sealed', jwks: { keys: [jwk] }, id_token_encrypted_response_alg: 'RSA-OAEP-256', id_token_encrypted_response_enc: 'A256GCM' };
  const tp = await testProvider({ accounts: [{ ...ALICE, roles: ['admin'] }], clients: [sealed] });
  const admin = await signInToConsole(tp, 'alice', String(ALICE.password));
  const edit = await consoleGet(tp, admin, '/admin/clients/sealed/edit');
  assert.match(edit.text, /<select id="id_token_encrypted_response_alg"[^>]*>(?:(?!<\/select>).)*<option value="RSA-OAEP-256" selected/s);
  assert.match(edit.text, /<select id="id_token_encrypted_response_enc"[^>]*>(?:(?!<\/select>).)*<option value="A256GCM" selected/s);
  assert.match(edit.text, /<details open[^>]*>\s*<summary>ID tokens, UserInfo and JWT authorization responses encrypted/, 'the encryption fields unfolded: one is set');
  const plain = await consoleGet(tp, admin, '/admin/clients/new');
  assert.match(plain.text, /<details>\s*<summary>ID tokens, UserInfo and JWT authorization responses encrypted/, 'folded on a new client');
});

test('console pages: clients — list with search, detail with discovery settings and snippets, edit, enable/disable, delete', async () => {
  const { tp, admin } = await setup();
  const list = await consoleGet(tp, admin, '/admin/clients?search=sho');
  assert.match(list.text, /href="\/admin\/clients\/shop"/);
  assert.ok(!(await consoleGet(tp, admin, '/admin/clients?search=zzz')).text.includes('/admin/clients/shop"'));

  const detail = await consoleGet(tp, admin, '/admin/clients/shop');
  assert.match(detail.text, /Discovery-relevant settings/);
  assert.match(detail.text, /https:\/\/op\.test\/\.well-known\/openid-configuration/);
  assert.match(detail.text, /-u &quot;shop:\$CLIENT_SECRET&quot;/, 'the curl snippet authenticates as the client does');
  assert.match(detail.text, /client\.ClientSecretBasic\(process\.env\.CLIENT_SECRET\)/);
  assert.match(detail.text, /redirect_uri=https%3A%2F%2Frp\.example%2Fcb/);

  const edit = await consoleGet(tp, admin, '/admin/clients/shop/edit');
  assert.match(edit.text, /<textarea id="redirect_uris"[^>]*>https:\/\/rp\.example\/cb<\/textarea>/);
  const saved = await consolePost(tp, admin, '/admin/clients/shop', {
    client_name: 'Shop Renamed', redirect_uris: 'https://rp.example/cb\nhttps://rp.example/cb2', grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'client_secret_post', application_type: 'web', id_token_signed_response_alg: 'ES256', subject_type: 'public',
    post_logout_redirect_uris: 'https://rp.example/bye', skip_consent: 'true', refresh_token_rotation: 'true', contacts: 'ops@rp.example',
    default_acr_values: 'urn:latchkey:loa:2fa', default_max_age: '900',
  });
  assert.equal(saved.response.status, 303);
  assert.equal(saved.response.headers.get('location'), '/admin/clients/shop?notice=client-saved');
  const stored = (await tp.provider.context.storage.clients.find('shop'))!;
  assert.equal(stored.client_name, 'Shop Renamed');
  assert.deepEqual(stored.redirect_uris, ['https://rp.example/cb', 'https://rp.example/cb2']);
  assert.equal(stored.token_endpoint_auth_method, 'client_secret_post');
  assert.equal(stored.id_token_signed_response_alg, 'ES256');
  assert.equal(stored.skip_consent, true);
  assert.deepEqual([stored.default_acr_values, stored.default_max_age], [['urn:latchkey:loa:2fa'], 900]);
  assert.match((await consoleGet(tp, admin, '/admin/clients/shop/edit')).text, /<input type="number" id="default_max_age" name="default_max_age" value="900"/);
  const notANumber = await consolePost(tp, admin, '/admin/clients/shop', { redirect_uris: 'https://rp.example/cb', grant_types: 'authorization_code', default_max_age: 'an hour' });
  assert.equal(notANumber.response.status, 400);
  assert.match(notANumber.text, /must be a whole number of seconds/);
  assert.ok(stored.client_secret_digest, 'the secret stays');
  assert.match((await consoleGet(tp, admin, '/admin/clients/shop?notice=client-saved')).text, /The client was saved\./);

  assert.equal((await consolePost(tp, admin, '/admin/clients/shop/disable', {})).response.status, 303);
  assert.match((await consoleGet(tp, admin, '/admin/clients/shop')).text, /badge off">disabled/);
  await consolePost(tp, admin, '/admin/clients/shop/enable', {});
  assert.equal((await tp.provider.context.storage.clients.find('shop'))!.disabled, undefined);
  const admins = await consoleGet(tp, admin, '/admin/clients/latchkey-admin');
  assert.match(admins.text, /latchkey manages it/);
  assert.ok(!admins.text.includes('/admin/clients/latchkey-admin/delete'));

  assert.equal((await consolePost(tp, admin, '/admin/clients/shop/delete', {})).response.headers.get('location'), '/admin/clients?notice=client-deleted');
  assert.equal((await consoleGet(tp, admin, '/admin/clients/shop')).response.status, 404);
  const audit = await consoleGet(tp, admin, '/admin/audit-events?client_id=shop');
  for (const type of ['client.deleted', 'client.enabled', 'client.disabled', 'client.updated']) assert.match(audit.text, new RegExp(`<code>${type.replace('.', '\\.')}</code>`));
  assert.match(audit.text, new RegExp(`user:${tp.accounts[0]!.sub}`), 'changes are the administrator\'s');
});

test('console pages: users — create, search, edit claims and roles, set password, disable (ends sessions), unlock, sessions and consents', async () => {
  const { tp, admin } = await setup();
  const created = await consolePost(tp, admin, '/admin/users', { username: 'carol', password: 'carol-password', email: 'carol@example.com', email_verified: 'true', name: 'Carol', claims: '{"locale":"en-GB"}' });
  assert.equal(created.response.status, 303);
  const carol = (await tp.provider.context.storage.accounts.findByUsername('carol'))!;
  assert.equal(created.response.headers.get('location'), `/admin/users/${carol.sub}?notice=user-created`);
  assert.deepEqual(carol.claims, { locale: 'en-GB' });
  assert.match((await consoleGet(tp, admin, '/admin/users?search=caro')).text, />carol</);

  const saved = await consolePost(tp, admin, `/admin/users/${carol.sub}`, { username: 'carol', email: '', name: 'Carol C', claims: '{"locale":"fr"}', admin: 'true' });
  assert.equal(saved.response.status, 303);
  const edited = (await tp.provider.context.storage.accounts.findBySub(carol.sub))!;
  assert.equal(edited.email, undefined, 'an emptied field is removed');
  assert.equal(edited.name, 'Carol C');
  assert.deepEqual(edited.roles, ['admin']);
  assert.equal((await consolePost(tp, admin, `/admin/users/${carol.sub}/password`, { password: 'a-new-password' })).response.status, 303);

  const bob = tp.accounts[1]!;
  await bobUsesTheShop(tp);
  const page = await consoleGet(tp, admin, `/admin/users/${bob.sub}`);
  assert.match(page.text, /<h2>Sessions<\/h2>/);
  const sessionAction = /action="(\/admin\/sessions\/[^"]+\/end)"/.exec(page.text)?.[1];
  assert.ok(sessionAction, 'a session with an End button');
  assert.match(page.text, /action="\/admin\/consents\/[^"]+\/shop\/revoke"/);
  const revoked = await consolePost(tp, admin, `/admin/consents/${bob.sub}/shop/revoke`, { return_to: `/admin/users/${bob.sub}` });
  assert.equal(revoked.response.headers.get('location'), `/admin/users/${bob.sub}?notice=consent-revoked`);
  assert.equal(await tp.provider.context.storage.consents.find(bob.sub, 'shop'), undefined);
  const sessionsBefore = (await tp.provider.context.storage.artifacts.list('session', { owner: bob.sub, limit: 10 })).items.length;
  const ended = await consolePost(tp, admin, sessionAction, { return_to: 'https://evil.example/' });
  assert.equal(ended.response.headers.get('location'), '/admin/sessions?notice=session-ended', 'a return_to off the console is ignored');
  assert.equal((await tp.provider.context.storage.artifacts.list('session', { owner: bob.sub, limit: 10 })).items.length, sessionsBefore - 1);

  assert.equal((await consolePost(tp, admin, `/admin/users/${bob.sub}/disable`, {})).response.headers.get('location'), `/admin/users/${bob.sub}?notice=user-disabled`);
  assert.equal((await tp.provider.context.storage.accounts.findBySub(bob.sub))!.disabled, true);
  assert.match((await consoleGet(tp, admin, `/admin/users/${bob.sub}?notice=user-disabled`)).text, /The user is disabled: their sessions have ended and every token they were given is revoked, for good\./);
  await consolePost(tp, admin, `/admin/users/${bob.sub}/enable`, {});
  assert.equal((await consolePost(tp, admin, `/admin/users/${bob.sub}/unlock`, {})).response.status, 303);
  assert.match((await consoleGet(tp, admin, '/admin/audit-events?type=user.unlocked')).text, /<code>user\.unlocked<\/code>/);

  assert.match((await consoleGet(tp, admin, `/admin/users/${carol.sub}`)).text, new RegExp(`action="/admin/users/${carol.sub}/delete"`));
  const deleted = await consolePost(tp, admin, `/admin/users/${carol.sub}/delete`, {});
  assert.equal(deleted.response.headers.get('location'), '/admin/users?notice=user-deleted');
  assert.equal(await tp.provider.context.storage.accounts.findBySub(carol.sub), undefined);
  assert.match((await consoleGet(tp, admin, '/admin/users?notice=user-deleted')).text, /The user was deleted/);
});

test('console pages: groups — given a user one per line, shown and filtered in the list, replaced by an edit; a client admits only some', async () => {
  const { tp, admin } = await setup();
  const created = await consolePost(tp, admin, '/admin/users', { username: 'carol', password: 'carol-password', groups: 'staff\r\n\r\n  k8s:admins  \r\nstaff' });
  assert.equal(created.response.status, 303);
  const carol = (await tp.provider.context.storage.accounts.findByUsername('carol'))!;
  assert.deepEqual(carol.groups, ['staff', 'k8s:admins']);
  const list = await consoleGet(tp, admin, '/admin/users?group=k8s%3Aadmins');
  assert.match(list.text, />carol</);
  assert.match(list.text, /<td>staff, k8s:admins<\/td>/);
  assert.doesNotMatch(list.text, />bob</, 'only the members');
  assert.match((await consoleGet(tp, admin, `/admin/users/${carol.sub}`)).text, /<textarea id="groups" name="groups"[^>]*>staff\nk8s:admins<\/textarea>/);

  const bad = await consolePost(tp, admin, `/admin/users/${carol.sub}`, { username: 'carol', groups: 'say "hi"' });
  assert.equal(bad.response.status, 400);
  assert.match(bad.text, /id="groups-error">[^<]*double quotes/);
  assert.equal((await consolePost(tp, admin, `/admin/users/${carol.sub}`, { username: 'carol', groups: 'on-call' })).response.status, 303);
  assert.deepEqual((await tp.provider.context.storage.accounts.findBySub(carol.sub))!.groups, ['on-call']);
  await consolePost(tp, admin, `/admin/users/${tp.accounts[1]!.sub}`, { username: 'bob', groups: 'on-call\nk8s:admins' });
  const groups = await consoleGet(tp, admin, '/admin/groups');
  assert.match(groups.text, /<a href="\/admin\/users\?group=k8s%3Aadmins">k8s:admins<\/a><\/td><td>1<\/td>/);
  assert.match(groups.text, /<a href="\/admin\/users\?group=on-call">on-call<\/a><\/td><td>2<\/td>/);
  assert.match(groups.text, /href="\/admin\/groups"[^>]*aria-current="page"/, 'a section of its own');

  const saved = await consolePost(tp, admin, '/admin/clients/shop', { client_name: 'Shop', redirect_uris: 'https://rp.example/cb', grant_types: 'authorization_code', token_endpoint_auth_method: 'client_secret_basic', application_type: 'web', allowed_groups: 'staff\non-call', allowed_upstreams: 'corp\nlab' });
  assert.equal(saved.response.status, 303, saved.text);
  assert.deepEqual((await tp.provider.context.storage.clients.find('shop'))!.allowed_groups, ['staff', 'on-call']);
  assert.deepEqual((await tp.provider.context.storage.clients.find('shop'))!.allowed_upstreams, ['corp', 'lab']);
  assert.match((await consoleGet(tp, admin, '/admin/clients/shop')).text, /allowed_groups/);
  // None offered ([]), which an empty list cannot say; shown ticked again; both at once refused.
  const shopForm = { client_name: 'Shop', redirect_uris: 'https://rp.example/cb', grant_types: 'authorization_code', token_endpoint_auth_method: 'client_secret_basic', application_type: 'web' };
  assert.equal((await consolePost(tp, admin, '/admin/clients/shop', { ...shopForm, allowed_upstreams_none: 'true' })).response.status, 303);
  assert.deepEqual((await tp.provider.context.storage.clients.find('shop'))!.allowed_upstreams, []);
  assert.match((await consoleGet(tp, admin, '/admin/clients/shop/edit')).text, /name="allowed_upstreams_none"[^>]*checked/);
  const both = await consolePost(tp, admin, '/admin/clients/shop', { ...shopForm, allowed_upstreams: 'corp', allowed_upstreams_none: 'true' });
  assert.equal(both.response.status, 400);
  assert.match(both.text, /list providers or tick “Offer none”, not both/);
  assert.deepEqual((await tp.provider.context.storage.clients.find('shop'))!.allowed_upstreams, [], 'nothing changed');
  assert.equal((await consolePost(tp, admin, '/admin/clients/shop', shopForm)).response.status, 303);
  assert.equal((await tp.provider.context.storage.clients.find('shop'))!.allowed_upstreams, undefined, 'empty and unticked: every provider');
});

test('console pages: consents and sessions lists with filters; keys rotate and retire; resource servers; initial access tokens shown once', async () => {
  const { tp, admin } = await setup();
  await bobUsesTheShop(tp);
  assert.match((await consoleGet(tp, admin, '/admin/consents?client_id=shop')).text, /\/admin\/clients\/shop"><code>shop/);
  assert.match((await consoleGet(tp, admin, '/admin/consents?client_id=other')).text, /No consents\./);
  assert.match((await consoleGet(tp, admin, `/admin/sessions?sub=${tp.accounts[1]!.sub}`)).text, /action="\/admin\/sessions\/[^"]+\/end"/);

  const keys = await consoleGet(tp, admin, '/admin/keys');
  assert.match(keys.text, /badge current">current/);
  assert.match(keys.text, /badge next">next/);
  assert.equal((await consolePost(tp, admin, '/admin/keys/rotate', { algorithm: 'ES256' })).response.headers.get('location'), '/admin/keys?notice=keys-rotated');
  const rotated = await consoleGet(tp, admin, '/admin/keys');
  const retire = /action="(\/admin\/keys\/[^"]+\/retire)"/.exec(rotated.text)?.[1];
  assert.ok(retire, 'the previous ES256 key can be retired');
  assert.equal((await consolePost(tp, admin, retire, {})).response.headers.get('location'), '/admin/keys?notice=key-retired');
  const current = /<code>([^<]+)<\/code><\/td><td><span class="badge current">/.exec(rotated.text)![1]!;
  const refused = await consolePost(tp, admin, `/admin/keys/${current}/retire`, {});
  assert.equal(refused.response.status, 409);
  assert.match(refused.text, /only a previous key can be retired/);

  const api = encodeURIComponent('https://api.example.com');
  const bad = await consolePost(tp, admin, '/admin/resource-servers', { resource: 'not a uri', scope: 'orders:read' });
  assert.equal(bad.response.status, 400);
  assert.match(bad.text, /id="resource-error">resource must be an absolute URI/);
  assert.equal((await consolePost(tp, admin, '/admin/resource-servers', { resource: 'https://api.example.com', name: 'Orders', scope: 'orders:read', access_token_format: 'jwt', access_token_ttl_seconds: '600' })).response.status, 303);
  assert.match((await consoleGet(tp, admin, '/admin/resource-servers')).text, /<code>https:\/\/api\.example\.com<\/code>/);
  assert.equal((await consolePost(tp, admin, `/admin/resource-servers/${api}`, { name: 'Orders API', scope: 'orders:read orders:write', access_token_format: 'opaque' })).response.status, 303);
  assert.equal((await tp.provider.context.storage.resourceServers.find('https://api.example.com'))!.scope, 'orders:read orders:write');
  assert.match((await consoleGet(tp, admin, `/admin/resource-servers/${api}`)).text, /value="Orders API"/);
  await consolePost(tp, admin, `/admin/resource-servers/${api}/delete`, {});
  assert.equal(await tp.provider.context.storage.resourceServers.find('https://api.example.com'), undefined);

  const issued = await consolePost(tp, admin, '/admin/initial-access-tokens', { ttl_seconds: '3600' });
  const token = /<code id="initial-access-token">([^<]+)<\/code>/.exec(issued.text)?.[1];
  assert.ok(token);
  const listed = await consoleGet(tp, admin, '/admin/initial-access-tokens');
  assert.ok(!listed.text.includes(token), 'the list shows no token');
  const revoke = /action="(\/admin\/initial-access-tokens\/[^"]+\/revoke)"/.exec(listed.text)![1]!;
  assert.equal((await consolePost(tp, admin, revoke, {})).response.headers.get('location'), '/admin/initial-access-tokens?notice=initial-access-token-revoked');
  assert.match((await consoleGet(tp, admin, '/admin/initial-access-tokens')).text, /No unused tokens\./);
  const tooLong = await consolePost(tp, admin, '/admin/initial-access-tokens', { ttl_seconds: '99999999' });
  assert.equal(tooLong.response.status, 400);
  assert.match(tooLong.text, /id="ttl_seconds-error">/);
});

test('console pages: the audit log filters by type, actor, client, user and time; a bad time is reported', async () => {
  const { tp, admin } = await setup();
  await consolePost(tp, admin, '/admin/clients/shop/disable', {});
  const actor = `user:${tp.accounts[0]!.sub}`;
  const filtered = await consoleGet(tp, admin, `/admin/audit-events?type=client.disabled&actor=${encodeURIComponent(actor)}&client_id=shop&since=2029-12-31T00:00&until=2030-01-02T00:00`);
  assert.match(filtered.text, /<code>client\.disabled<\/code>/);
  assert.ok(!filtered.text.includes('<code>login.succeeded</code>'));
  assert.match((await consoleGet(tp, admin, '/admin/audit-events?since=2031-01-01T00:00')).text, /No events\./);
  const bad = await consoleGet(tp, admin, '/admin/audit-events?since=yesterday');
  assert.equal(bad.response.status, 400);
  assert.match(bad.text, /“From” is not a date and time/);
});

test('console pages: the dashboard draws its figures and SVG charts from the admin API; the figures fragment is what the script refreshes', async () => {
  const { tp, admin } = await setup();
  await bobUsesTheShop(tp);
  const { response, text } = await consoleGet(tp, admin, '/admin');
  assert.equal(response.status, 200);
  assert.equal(text.match(/<svg [^>]*role="img"/g)?.length, 5, 'five charts');
  assert.match(text, /<figcaption id="chart-tokens">Tokens issued per minute, by grant<\/figcaption>/);
  assert.match(text, /<polyline class="s0" data-series="authorization_code" points="[\d., ]+"/);
  assert.match(text, /<rect class="s0" data-series="succeeded" /, 'a bar for the minute of the logins');
  assert.match(text, /aria-label="Logins per minute, per minute from \d\d:\d\d to \d\d:\d\d UTC: succeeded 2 in total/);
  assert.match(text, /data-figure="Active sessions \(now\)">2</, "alice's console sign-in and bob's session");
  assert.match(text, /aria-label="Error rate per minute \(%\), per minute from \d\d:\d\d to \d\d:\d\d UTC: 4xx \+ 5xx, % at most 0\."/);
  assert.match(text, /data-refresh="\/admin\/dashboard\/figures\?minutes=60"/);
  assert.match(text, /<a class="button" href="\/admin" aria-current="true">last hour<\/a>/);
  assert.match(text, /<script src="\/admin\/assets\/admin\.js\?v=[\w-]+" defer=""><\/script>/);

  const quarter = await consoleGet(tp, admin, '/admin?minutes=15');
  assert.match(quarter.text, /data-figure="Tokens issued \(last 15 minutes\)">1</);
  assert.match(quarter.text, /aria-label="Tokens issued per minute, by grant, per minute from 23:46 to 00:00 UTC/);
  assert.match((await consoleGet(tp, admin, '/admin?minutes=7')).text, /data-refresh="\/admin\/dashboard\/figures\?minutes=60"/, 'an unknown window: the last hour');

  const fragment = await consoleGet(tp, admin, '/admin/dashboard/figures?minutes=60');
  assert.equal(fragment.response.status, 200);
  assert.match(fragment.text, /<div data-fragment="">/);
  assert.equal(fragment.text.match(/<svg [^>]*role="img"/g)?.length, 5);
  assert.equal(fragment.response.headers.get('cache-control'), 'no-store');
});

test('console pages: upstream providers — the add form (defaults, errors beside their fields), the list with the redirect URI to register, edit (an empty secret keeps it; removed), delete after a confirm page', async () => {
  const { tp, admin } = await setup();
  const { upstreams } = tp.provider.context.storage;
  const empty = await consoleGet(tp, admin, '/admin/upstreams');
  assert.match(empty.text, /href="\/admin\/upstreams"[^>]*aria-current="page">Upstream providers</, 'a section of its own');
  assert.match(empty.text, /No upstream providers\./);
  assert.match(empty.text, /name="scope" value="openid email profile"/);
  assert.match(empty.text, /<input type="checkbox" id="create_accounts" name="create_accounts" value="true" checked=""/);
  assert.match(empty.text, /<input type="password" id="client_secret" name="client_secret" value=""/);

  const bad = await consolePost(tp, admin, '/admin/upstreams', { id: 'Corp_1', name: 'Corp SSO', issuer: 'http://idp.example', client_id: 'lk', scope: 'openid' });
  assert.equal(bad.response.status, 400);
  assert.match(bad.text, /id="id-error">must be 1–63 lowercase letters/);
  assert.match(bad.text, /id="issuer-error">must be https/);
  assert.match(bad.text, /name="name" value="Corp SSO"/, 'what was typed is kept');
  assert.doesNotMatch(bad.text, /name="create_accounts" value="true" checked/, 'unticked as it was posted');

  const secret = 'corp-client-secret-0123456789';
  const added = await consolePost(tp, admin, '/admin/upstreams', { id: 'corp', name: 'Corp SSO', issuer: 'https://idp.corp.example', client_id: 'lk', client_secret: secret, scope: 'openid email profile', create_accounts: 'true' });
  assert.equal(added.response.status, 303);
  assert.equal(added.response.headers.get('location'), '/admin/upstreams/corp?notice=upstream-created');
  const stored = (await upstreams.find('corp'))!;
  assert.deepEqual([stored.name, stored.create_accounts, stored.disabled, stored.sealed_client_secret !== undefined], ['Corp SSO', true, false, true]);
  const taken = await consolePost(tp, admin, '/admin/upstreams', { id: 'corp', name: 'Again', issuer: 'https://idp.example', client_id: 'lk' });
  assert.equal(taken.response.status, 400);
  assert.match(taken.text, /id="id-error">upstream provider corp exists</);

  const list = await consoleGet(tp, admin, '/admin/upstreams');
  assert.match(list.text, /<a href="\/admin\/upstreams\/corp">Corp SSO<\/a><\/td><td><code>corp<\/code><\/td><td><code>https:\/\/idp\.corp\.example<\/code><\/td><td><span class="badge ok">enabled<\/span><\/td><td><code>https:\/\/op\.test\/upstream\/corp\/callback<\/code>/);
  const edit = await consoleGet(tp, admin, '/admin/upstreams/corp?notice=upstream-created');
  assert.match(edit.text, /Register the redirect URI below at it\./);
  assert.match(edit.text, /<code id="redirect-uri">https:\/\/op\.test\/upstream\/corp\/callback<\/code>/);
  assert.match(edit.text, /name="name" value="Corp SSO"/);
  assert.match(edit.text, /name="remove_client_secret"/);
  for (const text of [list.text, edit.text, added.text]) assert.ok(!text.includes(secret), 'the secret is never shown');

  assert.doesNotMatch(edit.text, /name="sync_groups" value="true" checked/, 'groups not kept in step by default');
  const saved = await consolePost(tp, admin, '/admin/upstreams/corp', { name: 'Corp Sign-In', issuer: 'https://idp.corp.example', client_id: 'lk', client_secret: '', scope: 'openid email', sync_groups: 'true', disabled: 'true' });
  assert.equal(saved.response.headers.get('location'), '/admin/upstreams/corp?notice=upstream-saved');
  const changed = (await upstreams.find('corp'))!;
  assert.deepEqual([changed.name, changed.scope, changed.create_accounts, changed.sync_profile, changed.sync_groups, changed.disabled], ['Corp Sign-In', 'openid email', false, false, true, true]);
  assert.match((await consoleGet(tp, admin, '/admin/upstreams/corp')).text, /name="sync_groups" value="true" checked/);
  assert.equal(changed.sealed_client_secret, stored.sealed_client_secret, 'an empty secret keeps the stored one');
  assert.match((await consoleGet(tp, admin, '/admin/upstreams')).text, /badge off">disabled/);

  const both = await consolePost(tp, admin, '/admin/upstreams/corp', { name: 'Corp Sign-In', issuer: 'https://idp.corp.example', client_id: 'lk', client_secret: 'new-secret', remove_client_secret: 'true', scope: 'openid' });
  assert.equal(both.response.status, 400);
  assert.match(both.text, /id="client_secret-error">type a new secret or remove the secret, not both</);
  const badScope = await consolePost(tp, admin, '/admin/upstreams/corp', { name: 'Corp Sign-In', issuer: 'https://idp.corp.example', client_id: 'lk', scope: 'email' });
  assert.match(badScope.text, /id="scope-error">must include openid</);
  assert.equal((await upstreams.find('corp'))!.scope, 'openid email', 'nothing changed');
  await consolePost(tp, admin, '/admin/upstreams/corp', { name: 'Corp Sign-In', issuer: 'https://idp.corp.example', client_id: 'lk', remove_client_secret: 'true', scope: 'openid', create_accounts: 'true' });
  assert.equal((await upstreams.find('corp'))!.sealed_client_secret, undefined, 'removed');
  assert.match((await consoleGet(tp, admin, '/admin/upstreams/corp')).text, /none: a public client/);

  const confirm = await consoleGet(tp, admin, '/admin/upstreams/corp/delete');
  assert.equal(confirm.response.status, 200);
  assert.match(confirm.text, /every account&#39;s connection to it goes/);
  assert.match(confirm.text, /<form method="post" action="\/admin\/upstreams\/corp\/delete">/);
  assert.ok(await upstreams.find('corp'), 'the confirm page deletes nothing');
  const deleted = await consolePost(tp, admin, '/admin/upstreams/corp/delete', {});
  assert.equal(deleted.response.headers.get('location'), '/admin/upstreams?notice=upstream-deleted');
  assert.equal(await upstreams.find('corp'), undefined);
  assert.equal((await consoleGet(tp, admin, '/admin/upstreams/corp')).response.status, 404);
  const audit = await consoleGet(tp, admin, '/admin/audit-events?type=upstream.updated');
  assert.match(audit.text, /<code>upstream\.updated<\/code>/);
  assert.match(audit.text, new RegExp(`user:${tp.accounts[0]!.sub}`), 'changes are the administrator\'s');
});

test("console pages: a user's upstream identities, each with Disconnect (through the admin API, audited as the administrator's)", async () => {
  const { tp, admin } = await setup();
  const bob = tp.accounts[1]!;
  await consolePost(tp, admin, '/admin/upstreams', { id: 'corp', name: 'Corp SSO', issuer: 'https://idp.corp.example', client_id: 'lk', create_accounts: 'true' });
  const { accounts } = tp.provider.context.storage;
  await accounts.connectUpstreamIdentity({ upstream_id: 'corp', subject: 'b-42', sub: bob.sub, email: 'bob@corp.example', created_at: tp.clock.now() });
  const page = await consoleGet(tp, admin, `/admin/users/${bob.sub}`);
  assert.match(page.text, /<h2>Upstream identities<\/h2>/);
  assert.match(page.text, /<a href="\/admin\/upstreams\/corp"><code>corp<\/code><\/a><\/td><td><code>b-42<\/code><\/td><td>bob@corp\.example<\/td><td><span class="muted">never<\/span>/);
  const action = `/admin/users/${bob.sub}/upstream-identities/corp/disconnect`;
  assert.ok(page.text.includes(`action="${action}"`), 'a Disconnect button');
  assert.match((await consoleGet(tp, admin, `/admin/users/${tp.accounts[0]!.sub}`)).text, /No upstream identities\./);

  const disconnected = await consolePost(tp, admin, action, {});
  assert.equal(disconnected.response.headers.get('location'), `/admin/users/${bob.sub}?notice=user-upstream-disconnected`);
  assert.equal(await accounts.findUpstreamIdentity('corp', 'b-42'), undefined);
  assert.match((await consoleGet(tp, admin, `/admin/users/${bob.sub}?notice=user-upstream-disconnected`)).text, /The upstream identity was disconnected/);
  assert.deepEqual(tp.events.find((e) => e.name === 'user.upstream_disconnected')?.data, { sub: bob.sub, upstream: 'corp', actor: `user:${tp.accounts[0]!.sub}` });
  assert.equal((await consolePost(tp, admin, action, {})).response.status, 404, 'none left to disconnect');
});
