import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminClientToken, adminUserToken, callAdmin } from '../../../test/helpers/admin.js';
import { ALICE, authorizeUrl, basicAuth, CookieJar, postForm, runBrowserlessFlow, testProvider, tokenRequest, type TestProvider } from '../../../test/helpers/index.js';

const APP_SECRET = '37b1c4ff826f8d78bd45e25bad75a2c0';

async function setup() {
  const tp = await testProvider({ clients: [{ client_id: 'app', client_secret: APP_SECRET }], config: { loginMaxFailuresPerAccount: 3 } });
  return { tp, token: await adminClientToken(tp) };
}

/** Logs in at the built-in pages for client `app`; the pages seen and the code, if any. */
async function logIn(tp: TestProvider, username: string, password: string, jar = new CookieJar()) {
  const result = await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ client_id: 'app', response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid' }), {
    credentials: { username, password },
    decision: 'allow',
    jar,
  });
  return { code: result.redirect?.searchParams.get('code') ?? undefined, status: result.response.status, pages: result.pages };
}

/** Carol, created through the admin API, signed in at `app` in a browser of her own; whether her access token is active. */
async function carolSignedIn(tp: TestProvider, token: string) {
  const { sub } = (await callAdmin(tp, token, 'POST', '/users', CAROL)).body as { sub: string };
  const jar = new CookieJar();
  const { code } = await logIn(tp, 'carol', CAROL.password, jar);
  const tokens = await (await tp.provider.fetch(tokenRequest({ grant_type: 'authorization_code', code: code!, redirect_uri: 'https://rp.example/cb' }, { authorization: basicAuth('app', APP_SECRET) }))).json();
  const introspect = async () => (await postForm(tp, '/introspect', { token: String(tokens.access_token) }, { authorization: basicAuth('app', APP_SECRET) })).body.active;
  return { sub, jar, introspect };
}

const CAROL = { username: 'carol', password: 'carol-password-1', email: 'carol@example.com', email_verified: true, name: 'Carol Ann', claims: { locale: 'en-GB' } };

test('admin users: create → 201 without the password hash; the user can log in', async () => {
  const { tp, token } = await setup();
  const created = await callAdmin(tp, token, 'POST', '/users', CAROL);
  assert.equal(created.status, 201);
  const { sub, created_at, updated_at, ...rest } = created.body;
  assert.match(sub, /^[0-9a-f-]{36}$/);
  assert.deepEqual(rest, { username: 'carol', email: 'carol@example.com', email_verified: true, name: 'Carol Ann', claims: { locale: 'en-GB' }, roles: [], groups: [], disabled: false, has_password: true, two_step: false, passkeys: [] });
  assert.equal(created_at, updated_at);
  assert.ok((await logIn(tp, 'carol', CAROL.password)).code);
});

test('admin users: create with password_hash from another system (bcrypt) → 201; the user logs in with that password; a hash of no accepted kind, or with a password too → 400, nothing created', async () => {
  const { tp, token } = await setup();
  // bcrypt of "correct horse battery staple", as Apache's htpasswd -B makes it.
  const created = await callAdmin(tp, token, 'POST', '/users', { username: 'dave', password_hash: '$2y$10$PUqAeRpuDiiv1181IMevE.aIpw6/JjL5n2D5qzIb7Uu1ifYMFiiVy' });
  assert.equal(created.status, 201);
  assert.equal(created.body.has_password, true);
  assert.equal(created.body.password_hash, undefined, 'never shown');
  assert.equal((await logIn(tp, 'dave', 'correct horse battery stapler')).code, undefined);
  assert.ok((await logIn(tp, 'dave', 'correct horse battery staple')).code);
  assert.match((await tp.provider.context.storage.accounts.findByUsername('dave'))!.password_hash!, /^\$argon2id\$/, 'hashed again at the login');

  const unknownKind = await callAdmin(tp, token, 'POST', '/users', { username: 'erin', password_hash: '{SSHA}c2FsdGVkaGFzaA==' });
  assert.equal(unknownKind.status, 400);
  assert.match(unknownKind.body.errors[0].message, /^password_hash must be an argon2 PHC string/);
  const both = await callAdmin(tp, token, 'POST', '/users', { username: 'erin', password: 'a long enough password', password_hash: '$2y$10$PUqAeRpuDiiv1181IMevE.aIpw6/JjL5n2D5qzIb7Uu1ifYMFiiVy' });
  assert.equal(both.status, 400);
  assert.equal(both.body.errors[0].message, 'password and password_hash are exclusive: give one');
  assert.equal((await tp.provider.context.storage.accounts.findByUsername('erin')), undefined);
});

test('admin users: invalid fields → 400 naming each one; an unknown field is named too', async () => {
  const { tp, token } = await setup();
  const answer = await callAdmin(tp, token, 'POST', '/users', { username: 'has space', password: 'short', email: 'not-an-email', roles: ['root'], shoe_size: 42 });
  assert.equal(answer.status, 400);
  assert.equal(answer.body.error, 'invalid_request');
  assert.deepEqual(answer.body.errors.map((e: { field: string }) => e.field), ['username', 'password', 'email', 'roles.0', 'shoe_size']);
  assert.deepEqual(answer.body.errors[1], { field: 'password', message: 'must have at least 8 characters' });
  assert.deepEqual((await callAdmin(tp, token, 'POST', '/users', {})).body.errors, [{ field: 'username', message: 'invalid input: expected string, received undefined' }]);
  assert.deepEqual((await callAdmin(tp, token, 'GET', '/users')).body, { items: [] });
});

test('admin users: a taken username, in any case → 409 conflict naming username', async () => {
  const { tp, token } = await setup();
  await callAdmin(tp, token, 'POST', '/users', CAROL);
  assert.deepEqual((await callAdmin(tp, token, 'POST', '/users', { username: 'CAROL' })).body, { error: 'conflict', error_description: 'username CAROL is taken', field: 'username' });
  const dave = await callAdmin(tp, token, 'POST', '/users', { username: 'dave' });
  assert.equal(dave.body.has_password, false);
  assert.deepEqual((await callAdmin(tp, token, 'PATCH', `/users/${dave.body.sub}`, { username: 'Carol' })).body, { error: 'conflict', error_description: 'username Carol is taken', field: 'username' });
});

test('admin users: list in username order, search, paging', async () => {
  const { tp, token } = await setup();
  for (const username of ['zoe', 'Adam', 'mike']) await callAdmin(tp, token, 'POST', '/users', { username, email: `${username.toLowerCase()}@example.com` });
  const first = await callAdmin(tp, token, 'GET', '/users?limit=2');
  assert.deepEqual(first.body.items.map((u: { username: string }) => u.username), ['Adam', 'mike']);
  assert.deepEqual((await callAdmin(tp, token, 'GET', `/users?limit=2&cursor=${first.body.next_cursor}`)).body.items.map((u: { username: string }) => u.username), ['zoe']);
  assert.deepEqual((await callAdmin(tp, token, 'GET', '/users?search=ZOE%40')).body.items.map((u: { username: string }) => u.username), ['zoe']);
});

test('admin users: PATCH edits claims and fields; null removes an optional field', async () => {
  const { tp, token } = await setup();
  const { sub } = (await callAdmin(tp, token, 'POST', '/users', CAROL)).body;
  const patched = await callAdmin(tp, token, 'PATCH', `/users/${sub}`, { name: null, given_name: 'Carol', claims: { locale: 'fr-FR', phone_number: '+33 1 23 45 67 89' }, email_verified: false });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.name, undefined);
  assert.equal(patched.body.given_name, 'Carol');
  assert.deepEqual(patched.body.claims, { locale: 'fr-FR', phone_number: '+33 1 23 45 67 89' });
  assert.equal(patched.body.email_verified, false);
  assert.deepEqual((await callAdmin(tp, token, 'GET', `/users/${sub}`)).body, { ...patched.body, locked: false });
  assert.deepEqual((await callAdmin(tp, token, 'PATCH', `/users/${sub}`, { email: 'nope' })).body.errors, [{ field: 'email', message: 'invalid email address' }]);
});

test('admin users: a new or removed address is unverified unless the same PATCH says it is verified', async () => {
  const { tp, token } = await setup();
  const { sub } = (await callAdmin(tp, token, 'POST', '/users', CAROL)).body;
  const patch = async (body: Record<string, unknown>) => (await callAdmin(tp, token, 'PATCH', `/users/${sub}`, body)).body;
  assert.equal((await patch({ name: 'Carol B' })).email_verified, true, 'another field: the address stays verified');
  assert.equal((await patch({ email: 'carol@example.com' })).email_verified, true, 'the same address');
  assert.equal((await patch({ email: 'carol@elsewhere.example' })).email_verified, false, 'a new address');
  assert.equal((await patch({ email: 'carol@third.example', email_verified: true })).email_verified, true, 'said verified');
  const removed = await patch({ email: null });
  assert.equal(removed.email, undefined);
  assert.equal(removed.email_verified, false);
});

test('admin users: claims are further OIDC standard claims with their types; others, or ones with their own field, are refused by name', async () => {
  const { tp, token } = await setup();
  const { sub } = (await callAdmin(tp, token, 'POST', '/users', CAROL)).body;
  const address = { street_address: '1 Main St', locality: 'Springfield', country: 'US' };
  assert.deepEqual((await callAdmin(tp, token, 'PATCH', `/users/${sub}`, { claims: { address, birthdate: '1990-04-01', phone_number_verified: true } })).body.claims, { address, birthdate: '1990-04-01', phone_number_verified: true });
  const refused = await callAdmin(tp, token, 'PATCH', `/users/${sub}`, { claims: { email: 'forged@example.com', shoe_size: 42, birthdate: 'April', address: { planet: 'Mars' }, phone_number_verified: 'yes' } });
  assert.equal(refused.status, 400);
  assert.deepEqual(refused.body.errors.map((e: { field: string }) => e.field).sort(), ['claims.address.planet', 'claims.birthdate', 'claims.email', 'claims.phone_number_verified', 'claims.shoe_size']);
});

test('admin users: disabling ends the user’s sessions, revokes their tokens and the login fails; enabling lets them back in, the tokens stay revoked', async () => {
  const { tp, token } = await setup();
  const { sub, jar, introspect } = await carolSignedIn(tp, token);
  assert.equal(await introspect(), true);
  assert.equal((await callAdmin(tp, token, 'GET', `/users/${sub}/sessions`)).body.items.length, 1);

  assert.equal((await callAdmin(tp, token, 'PATCH', `/users/${sub}`, { disabled: true })).body.disabled, true);
  assert.deepEqual((await callAdmin(tp, token, 'GET', `/users/${sub}/sessions`)).body, { items: [] });
  assert.equal(await introspect(), false);
  const refused = await logIn(tp, 'carol', CAROL.password, jar);
  assert.deepEqual([refused.code, refused.status, refused.pages], [undefined, 401, ['login']]);

  await callAdmin(tp, token, 'PATCH', `/users/${sub}`, { disabled: false });
  assert.ok((await logIn(tp, 'carol', CAROL.password)).code);
  assert.equal(await introspect(), false);
});

test('admin users: DELETE → 204: the sessions end, the tokens are revoked, the consents go, the login fails; the username is free again; an unknown user → 404', async () => {
  const { tp, token } = await setup();
  const { sub, jar, introspect } = await carolSignedIn(tp, token);
  assert.equal(await introspect(), true);
  assert.equal((await callAdmin(tp, token, 'GET', `/users/${sub}/consents`)).body.items.length, 1);

  assert.equal((await callAdmin(tp, token, 'DELETE', `/users/${sub}`)).status, 204);
  assert.equal((await callAdmin(tp, token, 'GET', `/users/${sub}`)).status, 404);
  assert.equal(await introspect(), false);
  assert.equal(await tp.provider.context.storage.consents.find(sub, 'app'), undefined);
  assert.deepEqual((await tp.provider.context.storage.artifacts.list('session', { owner: sub, limit: 10 })).items, []);
  assert.deepEqual((await logIn(tp, 'carol', CAROL.password, jar)).status, 401);
  assert.deepEqual(tp.events.find((e) => e.name === 'user.deleted')?.data, { sub, username: 'carol', actor: 'client:ops-robot' });
  const again = await callAdmin(tp, token, 'POST', '/users', CAROL);
  assert.equal(again.status, 201);
  assert.notEqual(again.body.sub, sub, 'a new account, a new sub');
  assert.equal((await callAdmin(tp, token, 'DELETE', `/users/${sub}`)).status, 404);
});

test('admin users: setting the password → 204; the new one works, the old one does not', async () => {
  const { tp, token } = await setup();
  const { sub } = (await callAdmin(tp, token, 'POST', '/users', CAROL)).body;
  assert.equal((await callAdmin(tp, token, 'PUT', `/users/${sub}/password`, { password: 'a-brand-new-password' })).status, 204);
  assert.equal((await logIn(tp, 'carol', CAROL.password)).code, undefined);
  assert.ok((await logIn(tp, 'carol', 'a-brand-new-password')).code);
  assert.deepEqual((await callAdmin(tp, token, 'PUT', `/users/${sub}/password`, { password: 'short' })).body.errors, [{ field: 'password', message: 'must have at least 8 characters' }]);
});

test('admin users: failed logins lock the account (locked: true); unlock → 204 and the user can log in', async () => {
  const { tp, token } = await setup();
  const { sub } = (await callAdmin(tp, token, 'POST', '/users', CAROL)).body;
  for (let i = 0; i < 3; i += 1) assert.equal((await logIn(tp, 'carol', 'wrong-password')).status, 401);
  assert.equal((await callAdmin(tp, token, 'GET', `/users/${sub}`)).body.locked, true);
  assert.equal((await logIn(tp, 'carol', CAROL.password)).status, 429);

  assert.equal((await callAdmin(tp, token, 'POST', `/users/${sub}/unlock`)).status, 204);
  assert.equal((await callAdmin(tp, token, 'GET', `/users/${sub}`)).body.locked, false);
  assert.ok((await logIn(tp, 'carol', CAROL.password)).code);
});

test("admin users: a user's sessions and consents are listed", async () => {
  const { tp, token } = await setup();
  const { sub } = (await callAdmin(tp, token, 'POST', '/users', CAROL)).body;
  assert.ok((await logIn(tp, 'carol', CAROL.password)).code);
  const sessions = (await callAdmin(tp, token, 'GET', `/users/${sub}/sessions`)).body.items;
  assert.equal(sessions.length, 1);
  assert.deepEqual([sessions[0].sub, sessions[0].amr, sessions[0].expires_at - sessions[0].auth_time], [sub, ['pwd'], 86_400]);
  assert.deepEqual((await callAdmin(tp, token, 'GET', `/users/${sub}/consents`)).body, { items: [{ sub, client_id: 'app', scope: 'openid', claims: '', granted_at: tp.clock.now() }] });
});

test('admin users: an unknown user → 404 on every user route', async () => {
  const { tp, token } = await setup();
  const expected = { error: 'not_found', error_description: 'no user nobody' };
  for (const [method, path, body] of [['GET', '/users/nobody'], ['PATCH', '/users/nobody', { name: 'x' }], ['PUT', '/users/nobody/password', { password: 'long-enough-password' }], ['POST', '/users/nobody/unlock'], ['GET', '/users/nobody/sessions'], ['GET', '/users/nobody/consents']] as const) {
    const answer = await callAdmin(tp, token, method, path, body);
    assert.deepEqual([answer.status, answer.body], [404, expected], `${method} ${path}`);
  }
});

test('admin users: an admin created with the admin role can use the API through the console', async () => {
  const { tp, token } = await setup();
  const created = await callAdmin(tp, token, 'POST', '/users', { ...ALICE, roles: ['admin'] });
  assert.deepEqual(created.body.roles, ['admin']);
  const alice = await adminUserToken(tp, 'alice', String(ALICE.password));
  assert.equal(alice.scope, 'openid latchkey:admin');
  assert.equal((await callAdmin(tp, alice.access_token, 'GET', `/users/${created.body.sub}`)).body.username, 'alice');
});

test("admin users: a user's upstream identities are listed, without the user's sub; DELETE disconnects one → 204, user.upstream_disconnected by the admin, audited; none there → 404", async () => {
  const { tp, token } = await setup();
  const { sub } = (await callAdmin(tp, token, 'POST', '/users', CAROL)).body;
  for (const id of ['corp', 'lab']) await callAdmin(tp, token, 'POST', '/upstreams', { id, name: id, issuer: `https://${id}.example`, client_id: 'latchkey' });
  const { accounts } = tp.provider.context.storage;
  const now = tp.clock.now();
  await accounts.connectUpstreamIdentity({ upstream_id: 'lab', subject: 'l-9', sub, created_at: now });
  await accounts.connectUpstreamIdentity({ upstream_id: 'corp', subject: 'c-123', sub, email: 'carol@corp.example', created_at: now });
  await accounts.touchUpstreamIdentity('corp', 'c-123', now + 60);

  const listed = await callAdmin(tp, token, 'GET', `/users/${sub}/upstream-identities`);
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body, { items: [
    { upstream_id: 'corp', subject: 'c-123', email: 'carol@corp.example', created_at: now, last_used_at: now + 60 },
    { upstream_id: 'lab', subject: 'l-9', created_at: now },
  ] });

  assert.equal((await callAdmin(tp, token, 'DELETE', `/users/${sub}/upstream-identities/corp`)).status, 204);
  assert.equal(await accounts.findUpstreamIdentity('corp', 'c-123'), undefined);
  assert.deepEqual((await callAdmin(tp, token, 'GET', `/users/${sub}/upstream-identities`)).body.items.map((identity: { upstream_id: string }) => identity.upstream_id), ['lab']);
  assert.deepEqual(tp.events.find((e) => e.name === 'user.upstream_disconnected')?.data, { sub, upstream: 'corp', actor: 'client:ops-robot' });
  const audited = await callAdmin(tp, token, 'GET', '/audit-events?type=user.upstream_disconnected');
  assert.deepEqual(audited.body.items.map(({ actor, sub: of, data }: { actor: string; sub: string; data: Record<string, unknown> }) => ({ actor, sub: of, data })), [{ actor: 'client:ops-robot', sub, data: { upstream: 'corp' } }]);

  assert.deepEqual((await callAdmin(tp, token, 'DELETE', `/users/${sub}/upstream-identities/corp`)).body, { error: 'not_found', error_description: `user ${sub} has no identity at upstream provider corp` });
  assert.equal((await callAdmin(tp, token, 'DELETE', `/users/${sub}/upstream-identities/nowhere`)).status, 404);
  for (const [method, path] of [['GET', '/users/nobody/upstream-identities'], ['DELETE', '/users/nobody/upstream-identities/lab']] as const) {
    const answer = await callAdmin(tp, token, method, path);
    assert.deepEqual([answer.status, answer.body], [404, { error: 'not_found', error_description: 'no user nobody' }], `${method} ${path}`);
  }
  assert.equal(tp.events.filter((e) => e.name === 'user.upstream_disconnected').length, 1, 'a refused DELETE records nothing');
});

test('admin users: export → everything latchkey holds of the user as one document, never a secret; user.exported with the administrator as actor; unknown → 404', async () => {
  const { tp, token } = await setup();
  const { sub } = await carolSignedIn(tp, token);
  const answer = await callAdmin(tp, token, 'GET', `/users/${sub}/export`);
  assert.equal(answer.status, 200);
  const data = answer.body as { account: Record<string, unknown>; sign_in: Record<string, unknown>; applications: Array<{ client_id: string }>; sessions: unknown[]; activity: Array<{ type: string }>; issuer: string };
  assert.deepEqual([data.account.sub, data.account.username, data.account.email, data.account.claims], [sub, 'carol', 'carol@example.com', { locale: 'en-GB' }]);
  assert.equal(data.sign_in.password, true);
  assert.equal(data.sessions.length, 1);
  assert.ok(data.activity.some((event) => event.type === 'login.succeeded'));
  assert.doesNotMatch(JSON.stringify(answer.body), /\$argon2|password_hash|sealed_secret|public_key/);
  const exported = tp.events.filter((event) => event.name === 'user.exported');
  assert.equal(exported.length, 1);
  assert.equal(exported[0]!.data.sub, sub);
  assert.notEqual(exported[0]!.data.actor, `user:${sub}`, 'the administrator, not the person');
  assert.equal((await callAdmin(tp, token, 'GET', '/users/no-such-user/export')).status, 404);
});
