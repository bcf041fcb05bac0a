/**
 * The account console in process: signing in as `latchkey-account`, the profile, the password
 * (checked and throttled as a login), the applications allowed and their removal, the sessions
 * and ending them, CSRF and Origin checks, the headers of every page, and when it is not served.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { callAdmin, adminClientToken } from '../../test/helpers/admin.js';
import { CookieJar, formAction, hiddenInput, runBrowserlessFlow } from '../../test/helpers/browserless.js';
import { consoleGet, consolePost, signInToConsole, type ConsoleSession } from '../../test/helpers/console.js';
import { ALICE, authorizeUrl, basicAuth, hostAccounts, ISSUER, PKCE, testProvider, type TestProvider } from '../../test/helpers/index.js';
import { verifyPassword } from '../accounts/password.js';
import { renderAccountPage } from './account-pages.js';

const SHOP = { client_id: 'shop', client_secret: 'shop-secret-0123456789abcdef0123456789', client_name: 'Shop <Online>', grant_types: ['authorization_code', 'refresh_token'] };
const CB = 'https://rp.example/cb';
const BOB = { username: 'bob', password: 'bob-password-long' };

async function setup(config = {}): Promise<{ tp: TestProvider; alice: ConsoleSession }> {
  const tp = await testProvider({ accounts: [{ ...ALICE, email: 'alice@example.com', email_verified: true }, BOB], clients: [SHOP], config });
  return { tp, alice: await signInToConsole(tp, 'alice', String(ALICE.password), { console: 'account' }) };
}

async function aliceAccount(tp: TestProvider) {
  return (await tp.provider.context.storage.accounts.findByUsername('alice'))!;
}

/**
 * Alice allows Shop in a browser of her own (another login session); the tokens Shop got. With
 * `offline_access` (the default here) they outlive that session's end, as a logout leaves them.
 */
async function shopTokens(tp: TestProvider, options: { scope?: string; password?: string } = {}): Promise<{ refresh_token: string; access_token: string }> {
  const url = authorizeUrl({ client_id: 'shop', response_type: 'code', redirect_uri: CB, scope: options.scope ?? 'openid profile offline_access', prompt: 'consent', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' });
  const flow = await runBrowserlessFlow((request) => tp.provider.fetch(request), url, { credentials: { username: 'alice', password: options.password ?? String(ALICE.password) }, decision: 'allow', jar: new CookieJar() });
  const code = flow.redirect?.searchParams.get('code');
  assert.ok(code, `a code: ${flow.response.status}`);
  const response = await tp.provider.fetch(new Request(`${ISSUER}/token`, {
    method: 'POST',
    headers: { authorization: basicAuth('shop', SHOP.client_secret) },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: PKCE.code_verifier }),
  }));
  const body = (await response.json()) as { refresh_token?: string; access_token?: string };
  assert.ok(body.refresh_token && body.access_token, `tokens: ${JSON.stringify(body)}`);
  return { refresh_token: body.refresh_token, access_token: body.access_token };
}

/** Whether `token` is active, by introspection as Shop. */
async function isActive(tp: TestProvider, token: string): Promise<boolean> {
  const response = await tp.provider.fetch(new Request(`${ISSUER}/introspect`, { method: 'POST', headers: { authorization: basicAuth('shop', SHOP.client_secret) }, body: new URLSearchParams({ token }) }));
  return ((await response.json()) as { active: boolean }).active;
}

describe('account console: sign-in and pages', () => {
  test('account console: /account without a session → /authorize as latchkey-account (openid, PKCE S256, state); the login page and no consent; the session cookie is Strict on /account', async () => {
    const tp = await testProvider({ accounts: [ALICE] });
    const start = await tp.provider.fetch(new Request(`${ISSUER}/account/password`));
    assert.equal(start.status, 302);
    const location = new URL(start.headers.get('location')!);
    assert.equal(`${location.origin}${location.pathname}`, `${ISSUER}/authorize`);
    assert.deepEqual(
      { client_id: location.searchParams.get('client_id'), scope: location.searchParams.get('scope'), redirect_uri: location.searchParams.get('redirect_uri'), method: location.searchParams.get('code_challenge_method') },
      { client_id: 'latchkey-account', scope: 'openid', redirect_uri: `${ISSUER}/account/callback`, method: 'S256' },
    );
    const jar = new CookieJar();
    jar.store(start);
    const flow = await runBrowserlessFlow((request) => tp.provider.fetch(request), location.href, { credentials: { username: 'alice', password: String(ALICE.password) }, jar });
    assert.deepEqual(flow.pages, ['login'], 'no consent for latchkey\'s own console');
    const other = new CookieJar();
    const toLogin = await tp.provider.fetch(new Request(location.href));
    other.store(toLogin);
    const login = await tp.provider.fetch(new Request(new URL(toLogin.headers.get('location')!, ISSUER), { headers: { cookie: other.header() } }));
    assert.match(await login.text(), /to continue to your account settings/);
    const callback = await tp.provider.fetch(new Request(flow.redirect!.href, { headers: { cookie: jar.header() } }));
    assert.equal(callback.status, 200);
    assert.match(await callback.text(), /<meta http-equiv="refresh" content="0;url=\/account\/password"/, 'back to the page first asked for');
    const cookie = callback.headers.getSetCookie().find((line) => line.startsWith('latchkey_account='))!;
    for (const attribute of ['; Path=/account;', '; HttpOnly', '; Secure', '; SameSite=Strict']) assert.ok(cookie.includes(attribute), `${attribute} in ${cookie}`);
  });

  test('account console: the overview names the account, its profile, the applications allowed (escaped) and the sessions, this browser first; every page has the pages\' headers and no-store', async () => {
    const { tp, alice } = await setup();
    await shopTokens(tp);
    const { response, text } = await consoleGet(tp, alice, '/account');
    assert.equal(response.status, 200);
    assert.match(text, /Signed in as <strong>alice<\/strong>/);
    assert.match(text, /value="alice@example.com"/);
    assert.match(text, /Your email address is verified/);
    assert.ok(text.includes('Shop &lt;Online&gt;'), 'the client name, escaped');
    assert.ok(!text.includes('Shop <Online>'), 'never as markup');
    assert.match(text, /Your basic profile: name, username, picture and locale · Stay connected/);
    const sessions = text.slice(text.indexOf('id="sessions"'), text.indexOf('id="activity"'));
    assert.equal((sessions.match(/<li>/g) ?? []).length, 2, 'the console\'s browser and Shop\'s');
    assert.ok(sessions.indexOf('This browser') < sessions.indexOf('Since '), 'this browser first');
    assert.equal((sessions.match(/End session/g) ?? []).length, 1, 'only the other session can be ended here');
    assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
  });

  test('sessions say where they were signed in from: the browser and system of the login\'s User-Agent and its address — in the account console, the admin API and the admin console', async () => {
    const tp = await testProvider({ accounts: [{ ...ALICE, roles: ['admin'] }], clients: [SHOP] });
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
    const fromLaptop = (request: Request) => {
      const headers = new Headers(request.headers);
      headers.set('user-agent', firefox);
      return tp.provider.fetch(new Request(request, { headers }), { remoteAddress: '198.51.100.4' });
    };
    const url = authorizeUrl({ client_id: 'shop', response_type: 'code', redirect_uri: CB, scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' });
    await runBrowserlessFlow(fromLaptop, url, { credentials: { username: 'alice', password: String(ALICE.password) }, decision: 'allow' });
    const alice = await signInToConsole(tp, 'alice', String(ALICE.password), { console: 'account' });
    const sessions = (await consoleGet(tp, alice, '/account')).text;
    assert.match(sessions, /<span class="block">Firefox on Linux, from 198\.51\.100\.4<\/span>/);
    assert.equal((sessions.match(/<span class="block">/g) ?? []).length, 1, 'the console\'s own login sent no User-Agent and no address: nothing said');

    const sub = tp.accounts[0]!.sub;
    const listed = await callAdmin(tp, await adminClientToken(tp), 'GET', `/sessions?sub=${sub}`);
    const laptop = (listed.body.items as { user_agent?: string; address?: string }[]).find((session) => session.user_agent !== undefined);
    assert.deepEqual([laptop?.user_agent, laptop?.address], [firefox, '198.51.100.4']);
    const admin = await signInToConsole(tp, 'alice', String(ALICE.password));
    assert.match((await consoleGet(tp, admin, `/admin/users/${sub}`)).text, /<td>Firefox on Linux, from 198\.51\.100\.4<\/td>/);
  });

  test('account console: deleting the account takes the ticked box and the password (a wrong one counted as a failed login); then the applications\' tokens are revoked, the console is signed out, the login fails', async () => {
    const { tp, alice } = await setup();
    const shop = await shopTokens(tp);
    const unticked = await consolePost(tp, alice, '/account/delete', { current_password: String(ALICE.password) });
    assert.equal(unticked.response.status, 400);
    assert.match(unticked.text, /Tick the box to confirm/);
    const wrong = await consolePost(tp, alice, '/account/delete', { current_password: 'not it', confirm: 'yes' });
    assert.equal(wrong.response.status, 401);
    assert.match(wrong.text, /role="alert">The password is wrong\./);
    assert.ok(tp.events.some((e) => e.name === 'login.failed' && e.data.username === 'alice'));
    assert.ok(await tp.provider.context.storage.accounts.findByUsername('alice'), 'still there');

    const deleted = await consolePost(tp, alice, '/account/delete', { current_password: String(ALICE.password), confirm: 'yes' });
    assert.equal(deleted.response.status, 200);
    assert.match(deleted.text, /The account alice is deleted/);
    assert.ok(deleted.response.headers.getSetCookie().some((line) => /^latchkey_account=;/.test(line) && /Max-Age=0/i.test(line)), 'the console cookie cleared');
    assert.equal(await tp.provider.context.storage.accounts.findByUsername('alice'), undefined);
    const refresh = await tp.provider.fetch(new Request(`${ISSUER}/token`, { method: 'POST', headers: { authorization: basicAuth('shop', SHOP.client_secret) }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: shop.refresh_token }) }));
    assert.equal(refresh.status, 400, 'the application lost its access');
    const sub = tp.accounts[0]!.sub;
    assert.deepEqual(tp.events.find((e) => e.name === 'user.deleted')?.data, { sub, username: 'alice', actor: `user:${sub}` });
    assert.equal((await consoleGet(tp, alice, '/account')).response.status, 302, 'signed out: back to sign-in');
  });

  test('account console: an account without a password (made from an upstream provider) is deleted with the ticked box alone, its form asking no password', async () => {
    const { tp, alice } = await setup();
    assert.match((await consoleGet(tp, alice, '/account')).text, /id="delete_password"/, 'with a password, it is asked');
    const { password_hash: _hash, ...passwordless } = await aliceAccount(tp);
    await tp.provider.context.storage.accounts.update(passwordless);
    const page = await consoleGet(tp, alice, '/account');
    assert.doesNotMatch(page.text, /id="delete_password"/);
    const unticked = await consolePost(tp, alice, '/account/delete', {});
    assert.equal(unticked.response.status, 400);
    assert.ok(await tp.provider.context.storage.accounts.findByUsername('alice'), 'still there');
    const deleted = await consolePost(tp, alice, '/account/delete', { confirm: 'yes' });
    assert.equal(deleted.response.status, 200);
    assert.equal(await tp.provider.context.storage.accounts.findByUsername('alice'), undefined);
  });

  test('account console: an account without a password (made from an upstream provider) sets its first one with no current one to give; then it changes it as any account does', async () => {
    const { tp, alice } = await setup();
    assert.match((await consoleGet(tp, alice, '/account')).text, /Change password/);
    const { password_hash: _hash, ...passwordless } = await aliceAccount(tp);
    await tp.provider.context.storage.accounts.update(passwordless);
    const overview = await consoleGet(tp, alice, '/account');
    assert.match(overview.text, /<a href="\/account\/password">Set a password<\/a>/);
    const form = await consoleGet(tp, alice, '/account/password');
    assert.match(form.text, /<h1>Set a password<\/h1>/);
    assert.doesNotMatch(form.text, /name="current_password"/, 'no current password to ask');
    const mismatch = await consolePost(tp, alice, '/account/password', { new_password: 'a first password here', confirm_password: 'something else entirely' });
    assert.equal(mismatch.response.status, 400);
    assert.equal((await aliceAccount(tp)).password_hash, undefined, 'nothing set');
    const set = await consolePost(tp, alice, '/account/password', { new_password: 'a first password here', confirm_password: 'a first password here' });
    assert.equal(set.response.status, 303);
    assert.match(set.response.headers.get('location') ?? '', /notice=password-set$/);
    assert.match((await consoleGet(tp, alice, set.response.headers.get('location')!)).text, /Your password is set: it signs you in here too\./);
    assert.equal((await tp.provider.context.accounts.authenticate!('alice', 'a first password here'))?.sub, (await aliceAccount(tp)).sub);
    assert.ok(tp.events.some((event) => event.name === 'user.password_set' && event.data.sub === passwordless.sub));
    // Now it has one: changing it asks it.
    const change = await consoleGet(tp, alice, '/account/password');
    assert.match(change.text, /name="current_password"/);
    const wrong = await consolePost(tp, alice, '/account/password', { current_password: 'not it at all', new_password: 'a second password here', confirm_password: 'a second password here' });
    assert.equal(wrong.response.status, 401);
  });

  test('account console: a logout at /end_session, a disabled account or a console session cookie of another secret → signed in again', async () => {
    const { tp, alice } = await setup();
    assert.equal((await consoleGet(tp, alice, '/account')).response.status, 200);
    await tp.provider.context.storage.accounts.update({ ...(await aliceAccount(tp)), disabled: true });
    assert.equal((await consoleGet(tp, alice, '/account')).response.status, 302, 'a disabled account');
    await tp.provider.context.storage.accounts.update({ ...(await aliceAccount(tp)), disabled: false });

    const again = await setup();
    const logout = await again.tp.provider.fetch(new Request(`${ISSUER}/end_session`, { headers: { cookie: again.alice.jar.header() } }));
    again.alice.jar.store(logout);
    const form = await logout.text();
    const fields = { csrf_token: hiddenInput(form, 'csrf_token') ?? '', logout_request: hiddenInput(form, 'logout_request') ?? '', decision: 'logout' };
    assert.ok(fields.csrf_token && fields.logout_request, 'the logout confirmation page');
    const confirmed = await again.tp.provider.fetch(new Request(formAction(form), { method: 'POST', headers: { cookie: again.alice.jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) }));
    assert.ok(confirmed.status < 400, `logged out: ${confirmed.status}`);
    assert.equal(again.tp.events.filter((e) => e.name === 'session.ended').length, 1, 'the login session ended');
    const after = await consoleGet(again.tp, again.alice, '/account');
    assert.equal(after.response.status, 302, 'the logout revoked the console\'s token with its session');
    assert.match(after.response.headers.get('location') ?? '', /\/authorize\?/);

    const forged = new CookieJar();
    forged.values.set('latchkey_account', alice.jar.values.get('latchkey_account')!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
    assert.equal((await consoleGet(tp, { jar: forged, csrfToken: '' }, '/account')).response.status, 302);
  });
});

describe('account console: profile and password', () => {
  test('account console: the profile is saved (an emptied field removed); a changed email is unverified; user.updated with the person as actor', async () => {
    const { tp, alice } = await setup();
    const saved = await consolePost(tp, alice, '/account/profile', { name: '  Alice P. Liddell ', given_name: 'Alice', family_name: '', email: 'alice@wonderland.example' });
    assert.equal(saved.response.status, 303);
    assert.equal(saved.response.headers.get('location'), '/account?notice=profile-saved');
    const account = await aliceAccount(tp);
    assert.deepEqual({ name: account.name, given_name: account.given_name, family_name: account.family_name, email: account.email, email_verified: account.email_verified }, { name: 'Alice P. Liddell', given_name: 'Alice', family_name: undefined, email: 'alice@wonderland.example', email_verified: false });
    const event = tp.events.find((e) => e.name === 'user.updated');
    assert.deepEqual(event?.data, { sub: account.sub, fields: ['name', 'family_name', 'email', 'email_verified'], actor: `user:${account.sub}` });
    assert.match((await consoleGet(tp, alice, '/account?notice=profile-saved')).text, /role="status">Your profile is saved\./);
    assert.ok(!(await consoleGet(tp, alice, '/account?notice=%3Cscript%3E')).text.includes('role="status"'), 'an unknown notice shows nothing');

    const unchanged = await consolePost(tp, alice, '/account/profile', { name: 'Alice P. Liddell', given_name: 'Alice', family_name: '', email: 'alice@wonderland.example' });
    assert.equal(unchanged.response.headers.get('location'), '/account?notice=profile-unchanged');
  });

  test('account console: a profile refused (bad email, too long) → 400, the alert and what was typed, nothing changed', async () => {
    const { tp, alice } = await setup();
    const before = await aliceAccount(tp);
    const refused = await consolePost(tp, alice, '/account/profile', { name: 'Al', given_name: '', family_name: 'x'.repeat(256), email: 'not an email' });
    assert.equal(refused.response.status, 400);
    assert.match(refused.text, /role="alert">family name is longer than 255 characters; email is not a valid address\./);
    assert.match(refused.text, /value="not an email"/);
    assert.deepEqual(await aliceAccount(tp), before);
  });

  test('account console: a password change needs the current password; mismatch, too short, wrong → refused, nothing changed; a wrong one counts as a failed login (429 past the limit)', async () => {
    const { tp, alice } = await setup({ loginMaxFailuresPerAccount: 2 });
    const hash = (await aliceAccount(tp)).password_hash;
    const change = (current: string, next: string, confirmation = next) => consolePost(tp, alice, '/account/password', { current_password: current, new_password: next, confirm_password: confirmation });
    const cases: Array<[Awaited<ReturnType<typeof change>>, number, string]> = [
      [await change(String(ALICE.password), 'a new passphrase', 'another passphrase'), 400, 'The new passwords do not match.'],
      [await change(String(ALICE.password), 'short'), 400, 'The new password must have at least 8 characters.'],
      [await change('not my password', 'a new passphrase'), 401, 'The current password is wrong.'],
      [await change('not my password either', 'a new passphrase'), 401, 'The current password is wrong.'],
      [await change(String(ALICE.password), 'a new passphrase'), 429, 'Too many wrong passwords. Wait a while and try again.'],
    ];
    for (const [answer, status, message] of cases) {
      assert.equal(answer.response.status, status, message);
      assert.ok(answer.text.includes(`role="alert">${message}`), `page says: ${message}`);
      assert.match(answer.text, /autocomplete="current-password"/);
    }
    assert.equal((await aliceAccount(tp)).password_hash, hash, 'the password is unchanged');
    assert.equal(tp.events.filter((e) => e.name === 'login.failed').length, 2);
    assert.equal(tp.events.filter((e) => e.name === 'login.throttled').length, 1);
  });

  test('account console: a password changed → the new one signs in, the old one not; other sessions ended with their tokens (unless asked not to), this browser kept', async () => {
    const { tp, alice } = await setup();
    const elsewhere = await shopTokens(tp, { scope: 'openid profile' });
    const offline = await shopTokens(tp);
    const changed = await consolePost(tp, alice, '/account/password', { current_password: String(ALICE.password), new_password: 'a new passphrase', confirm_password: 'a new passphrase', end_other_sessions: 'yes' });
    assert.equal(changed.response.status, 303);
    assert.equal(changed.response.headers.get('location'), '/account?notice=password-changed-elsewhere-ended');
    const account = await aliceAccount(tp);
    assert.ok(await verifyPassword('a new passphrase', account.password_hash));
    assert.ok(!(await verifyPassword(String(ALICE.password), account.password_hash)));
    assert.equal(await isActive(tp, elsewhere.access_token), false, 'the other session\'s tokens are revoked');
    assert.equal(await isActive(tp, offline.refresh_token), true, 'offline access outlives its session, as at a logout (removed under Applications)');
    assert.deepEqual(tp.events.find((e) => e.name === 'user.password_set')?.data, { sub: account.sub, actor: `user:${account.sub}` });
    const sessions = (await tp.provider.context.storage.artifacts.list('session', { owner: account.sub, limit: 10 })).items;
    assert.equal(sessions.length, 1, 'this browser\'s session is kept, the two others ended');
    assert.equal((await consoleGet(tp, alice, '/account')).response.status, 200, 'and the console with it');

    const kept = await shopTokens(tp, { scope: 'openid profile', password: 'a new passphrase' });
    const again = await consolePost(tp, alice, '/account/password', { current_password: 'a new passphrase', new_password: 'a third passphrase', confirm_password: 'a third passphrase' });
    assert.equal(again.response.headers.get('location'), '/account?notice=password-changed');
    assert.equal(await isActive(tp, kept.access_token), true, 'without the box ticked, other sessions go on');
  });
});

describe('account console: applications and sessions', () => {
  test('account console: removing an application withdraws the consent and revokes its tokens (consent.revoked, actor the person); one never allowed → nothing changes', async () => {
    const { tp, alice } = await setup();
    const tokens = await shopTokens(tp);
    const sub = (await aliceAccount(tp)).sub;
    const nothing = await consolePost(tp, alice, '/account/applications/remove', { client_id: 'nobody' });
    assert.equal(nothing.response.headers.get('location'), '/account?notice=application-not-found');
    assert.equal(await isActive(tp, tokens.refresh_token), true);

    const removed = await consolePost(tp, alice, '/account/applications/remove', { client_id: 'shop' });
    assert.equal(removed.response.status, 303);
    assert.equal(removed.response.headers.get('location'), '/account?notice=application-removed');
    assert.equal(await tp.provider.context.storage.consents.find(sub, 'shop'), undefined);
    assert.equal(await isActive(tp, tokens.refresh_token), false);
    assert.equal(await isActive(tp, tokens.access_token), false);
    assert.deepEqual(tp.events.find((e) => e.name === 'consent.revoked')?.data, { sub, client_id: 'shop', grants: 1, actor: `user:${sub}` });
    assert.match((await consoleGet(tp, alice, '/account')).text, /You have not allowed any application\./);
  });

  test('account console: End every other session → each of the account\'s other sessions is a logout (tokens revoked), this browser and other people\'s go on; none left → the button is gone', async () => {
    const { tp, alice } = await setup();
    const first = await shopTokens(tp, { scope: 'openid profile' });
    const second = await shopTokens(tp, { scope: 'openid profile' });
    const bob = await signInToConsole(tp, 'bob', BOB.password, { console: 'account' });
    const storage = tp.provider.context.storage;
    const sessionsOf = async (username: string) => (await storage.artifacts.list('session', { owner: (await storage.accounts.findByUsername(username))!.sub, limit: 10 })).items.length;
    assert.equal(await sessionsOf('alice'), 3);
    assert.match((await consoleGet(tp, alice, '/account')).text, /action="\/account\/sessions\/end-others"[^]*?End every other session/);

    assert.equal((await consolePost(tp, alice, '/account/sessions/end-others', {}, { csrfToken: null })).response.status, 403, 'the CSRF token is needed');
    assert.equal(await sessionsOf('alice'), 3, 'nothing ended');
    const ended = await consolePost(tp, alice, '/account/sessions/end-others', {});
    assert.equal(ended.response.headers.get('location'), '/account?notice=other-sessions-ended');
    assert.equal(await sessionsOf('alice'), 1, 'this browser\'s alone');
    assert.deepEqual([await isActive(tp, first.access_token), await isActive(tp, second.access_token)], [false, false], 'their tokens are revoked');
    assert.equal(tp.events.filter((event) => event.name === 'session.ended').length, 2);
    assert.equal(await sessionsOf('bob'), 1, 'bob\'s goes on');
    assert.equal((await consoleGet(tp, bob, '/account')).response.status, 200);

    const page = await consoleGet(tp, alice, '/account?notice=other-sessions-ended');
    assert.equal(page.response.status, 200, 'this browser goes on');
    assert.match(page.text, /role="status">\s*Every other session is ended: only this browser is signed in\./);
    assert.doesNotMatch(page.text, /end-others/, 'nothing more to end');
  });

  test('account console: ending another session of one\'s own is a logout of it; another person\'s session id → nothing ends', async () => {
    const { tp, alice } = await setup();
    const elsewhere = await shopTokens(tp, { scope: 'openid profile' });
    const bob = await signInToConsole(tp, 'bob', BOB.password, { console: 'account' });
    const storage = tp.provider.context.storage;
    const aliceSub = (await aliceAccount(tp)).sub;
    const bobSub = (await storage.accounts.findByUsername('bob'))!.sub;
    const bobSession = (await storage.artifacts.list('session', { owner: bobSub, limit: 10 })).items[0]!;

    const refused = await consolePost(tp, alice, '/account/sessions/end', { session: bobSession.id });
    assert.equal(refused.response.headers.get('location'), '/account?notice=session-not-found');
    assert.ok(await storage.artifacts.find('session', bobSession.id), 'bob\'s session goes on');
    assert.equal((await consoleGet(tp, bob, '/account')).response.status, 200);

    assert.equal((await storage.artifacts.list('session', { owner: aliceSub, limit: 10 })).items.length, 2);
    const { text } = await consoleGet(tp, alice, '/account');
    const listed = [...text.matchAll(/name="session" value="([^"]+)"/g)].map((match) => match[1]);
    assert.equal(listed.length, 1);
    const ended = await consolePost(tp, alice, '/account/sessions/end', { session: listed[0]! });
    assert.equal(ended.response.headers.get('location'), '/account?notice=session-ended');
    assert.equal(await storage.artifacts.find('session', listed[0]!), undefined);
    assert.equal(await isActive(tp, elsewhere.access_token), false, 'its tokens are revoked');
    assert.equal((await consoleGet(tp, alice, '/account')).response.status, 200, 'this browser goes on');
    assert.equal(tp.events.filter((e) => e.name === 'session.ended').at(-1)?.data.actor, `user:${aliceSub}`);
  });

  test('account console: a form without the CSRF token, with another session\'s, or from a foreign Origin → 403, nothing changed', async () => {
    const { tp, alice } = await setup();
    const bob = await signInToConsole(tp, 'bob', BOB.password, { console: 'account' });
    const before = await aliceAccount(tp);
    const attempts = [
      await consolePost(tp, alice, '/account/profile', { name: 'Mallory' }, { csrfToken: null }),
      await consolePost(tp, alice, '/account/profile', { name: 'Mallory' }, { csrfToken: bob.csrfToken }),
      await consolePost(tp, alice, '/account/profile', { name: 'Mallory' }, { origin: 'https://evil.example' }),
    ];
    for (const attempt of attempts) {
      assert.equal(attempt.response.status, 403);
      assert.match(attempt.text, /Nothing was changed/);
    }
    assert.deepEqual(await aliceAccount(tp), before);
  });

  test('account console: sign-out revokes the console\'s token and ends the login session at /end_session, back to /account/signed-out', async () => {
    const { tp, alice } = await setup();
    const out = await consolePost(tp, alice, '/account/sign-out', {});
    assert.equal(out.response.status, 303);
    const location = new URL(out.response.headers.get('location')!);
    assert.equal(`${location.origin}${location.pathname}`, `${ISSUER}/end_session`);
    assert.equal(location.searchParams.get('client_id'), 'latchkey-account');
    assert.equal(location.searchParams.get('post_logout_redirect_uri'), `${ISSUER}/account/signed-out`);
    assert.match(out.response.headers.getSetCookie().join('\n'), /latchkey_account=; Max-Age=0/);
    assert.equal(tp.events.filter((e) => e.name === 'token.revoked').length, 1, 'the console\'s access token');
  });
});

describe('account console: connected sign-ins', () => {
  /** Upstream providers corp and lab, and alice's identity at `ids` of them. */
  async function connect(tp: TestProvider, ...ids: string[]) {
    const token = await adminClientToken(tp);
    const { accounts } = tp.provider.context.storage;
    const sub = (await aliceAccount(tp)).sub;
    for (const id of ids) {
      await callAdmin(tp, token, 'POST', '/upstreams', { id, name: id === 'corp' ? 'Corp <SSO>' : 'Lab', issuer: `https://${id}.example`, client_id: 'latchkey' });
      await accounts.connectUpstreamIdentity({ upstream_id: id, subject: `${id}-alice`, sub, ...(id === 'corp' ? { email: 'alice@corp.example' } : {}), created_at: tp.clock.now() });
    }
    return sub;
  }

  test('account console: connected sign-ins are listed by the upstream\'s name (escaped) with the address there; Disconnect → it no longer signs in, user.upstream_disconnected with the person as actor', async () => {
    const { tp, alice } = await setup();
    assert.doesNotMatch((await consoleGet(tp, alice, '/account')).text, /Connected sign-ins/, 'none: the part is not shown');
    const sub = await connect(tp, 'corp');
    await tp.provider.context.storage.accounts.touchUpstreamIdentity('corp', 'corp-alice', tp.clock.now());
    const { text } = await consoleGet(tp, alice, '/account');
    assert.match(text, /<h2 id="connected-sign-ins">Connected sign-ins<\/h2>/);
    assert.ok(text.includes('<strong>Corp &lt;SSO&gt;</strong><span class="block">alice@corp.example</span>'), 'the name, escaped, and the address there');
    assert.match(text, /connected 2030-01-01 00:00 UTC; last used 2030-01-01 00:00 UTC/);
    assert.match(text, /<form method="post" action="\/account\/upstreams\/disconnect">(?:(?!<\/form>).)*name="upstream" value="corp"(?:(?!<\/form>).)*aria-label="Disconnect Corp &lt;SSO&gt;">\s*Disconnect/s);

    const disconnected = await consolePost(tp, alice, '/account/upstreams/disconnect', { upstream: 'corp' });
    assert.equal(disconnected.response.status, 303);
    assert.equal(disconnected.response.headers.get('location'), '/account?notice=upstream-disconnected');
    assert.equal(await tp.provider.context.storage.accounts.findUpstreamIdentity('corp', 'corp-alice'), undefined);
    assert.deepEqual(tp.events.find((e) => e.name === 'user.upstream_disconnected')?.data, { sub, upstream: 'corp', actor: `user:${sub}` });
    assert.match((await consoleGet(tp, alice, '/account?notice=upstream-disconnected')).text, /role="status">That sign-in is disconnected/);

    const again = await consolePost(tp, alice, '/account/upstreams/disconnect', { upstream: 'corp' });
    assert.equal(again.response.headers.get('location'), '/account?notice=upstream-not-found');
    assert.equal(tp.events.filter((e) => e.name === 'user.upstream_disconnected').length, 1);
  });

  test('account console: the only way to sign in (no password, no passkey, no other connected sign-in) → refused with why, nothing changed; another connected sign-in or a passkey lets it go', async () => {
    const { tp, alice } = await setup();
    const { accounts } = tp.provider.context.storage;
    await connect(tp, 'corp', 'lab');
    const { password_hash: _hash, ...passwordless } = await aliceAccount(tp);
    await accounts.update(passwordless);

    const lab = (await tp.provider.context.storage.upstreams.find('lab'))!;
    await tp.provider.context.storage.upstreams.update({ ...lab, disabled: true });
    const whileOff = await consolePost(tp, alice, '/account/upstreams/disconnect', { upstream: 'corp' });
    assert.equal(whileOff.response.status, 400, 'lab, not offered, signs nobody in');
    await tp.provider.context.storage.upstreams.update(lab);
    const first = await consolePost(tp, alice, '/account/upstreams/disconnect', { upstream: 'corp' });
    assert.equal(first.response.headers.get('location'), '/account?notice=upstream-disconnected', 'lab still signs her in');

    const refused = await consolePost(tp, alice, '/account/upstreams/disconnect', { upstream: 'lab' });
    assert.equal(refused.response.status, 400);
    assert.match(refused.text, /role="alert">Add a passkey first: this is your only way to sign in\./);
    assert.match(refused.text, /<strong>Lab<\/strong>/, 'still listed');
    assert.ok(await accounts.findUpstreamIdentity('lab', 'lab-alice'), 'still connected');
    assert.equal(tp.events.filter((e) => e.name === 'user.upstream_disconnected').length, 1);

    const passkey = { id: 'cred-1', public_key: 'pk', counter: 0, name: 'Laptop', synced: true, created_at: tp.clock.now() };
    await accounts.update({ ...(await aliceAccount(tp)), passkeys: [passkey] });
    const allowed = await consolePost(tp, alice, '/account/upstreams/disconnect', { upstream: 'lab' });
    assert.equal(allowed.response.headers.get('location'), '/account?notice=upstream-disconnected', 'a passkey signs her in');
    assert.deepEqual(await accounts.upstreamIdentities((await aliceAccount(tp)).sub), []);
  });

  test('account console: disconnecting needs the CSRF token and the issuer\'s origin (403, nothing changed); another person\'s identity is never touched', async () => {
    const { tp, alice } = await setup();
    await connect(tp, 'corp');
    const { accounts } = tp.provider.context.storage;
    const bobSub = (await accounts.findByUsername('bob'))!.sub;
    await callAdmin(tp, await adminClientToken(tp), 'POST', '/upstreams', { id: 'lab', name: 'Lab', issuer: 'https://lab.example', client_id: 'latchkey' });
    await accounts.connectUpstreamIdentity({ upstream_id: 'lab', subject: 'lab-bob', sub: bobSub, created_at: tp.clock.now() });
    for (const options of [{ csrfToken: null }, { origin: 'https://evil.example' }]) {
      assert.equal((await consolePost(tp, alice, '/account/upstreams/disconnect', { upstream: 'corp' }, options)).response.status, 403);
    }
    assert.ok(await accounts.findUpstreamIdentity('corp', 'corp-alice'));
    assert.equal((await consolePost(tp, alice, '/account/upstreams/disconnect', { upstream: 'lab' })).response.headers.get('location'), '/account?notice=upstream-not-found');
    assert.ok(await accounts.findUpstreamIdentity('lab', 'lab-bob'), "bob's identity stays");
  });
});

describe('account console: recent activity', () => {
  test('account console: Recent activity lists the account\'s sign-ins, the applications it allowed and removed and its changes, newest first — an administrator\'s marked — and nobody else\'s', async () => {
    const { tp, alice } = await setup();
    await shopTokens(tp);
    await consolePost(tp, alice, '/account/profile', { name: 'Alice P. Liddell', given_name: 'Alice', family_name: 'Liddell', email: 'alice@example.com' });
    const sub = (await aliceAccount(tp)).sub;
    assert.equal((await callAdmin(tp, await adminClientToken(tp), 'PUT', `/users/${sub}/password`, { password: 'set by the administrator' })).status, 204);
    await consolePost(tp, alice, '/account/applications/remove', { client_id: 'shop' });
    // bob signs in too: none of it is alice's.
    const bobs = await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ client_id: 'shop', response_type: 'code', redirect_uri: CB, scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' }), { credentials: BOB, decision: 'allow', jar: new CookieJar() });
    assert.ok(bobs.redirect?.searchParams.get('code'));
    // Someone types a wrong password for alice: hers to know, nobody's doing she can name.
    const wrong = await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ client_id: 'shop', response_type: 'code', redirect_uri: CB, scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' }), { credentials: { username: 'Alice', password: 'not her password' }, jar: new CookieJar() });
    assert.equal(wrong.redirect, undefined);

    const page = (await consoleGet(tp, alice, '/account')).text;
    const section = /<h2 id="activity">Recent activity<\/h2>[\s\S]*?<ul class="activity">([\s\S]*?)<\/ul>/.exec(page)?.[1];
    assert.ok(section, page);
    const lines = [...section.matchAll(/<li>(.*?)<\/li>/g)].map((match) => match[1]!.replace(/ — \d{4}-\d\d-\d\d \d\d:\d\d UTC/, ' — WHEN'));
    assert.deepEqual(lines, [
      'A failed sign-in to Shop &lt;Online&gt;: a wrong password or code — WHEN',
      'Access of Shop &lt;Online&gt; removed — WHEN',
      'Password changed — WHEN, by an administrator',
      'Profile changed — WHEN',
      'Allowed Shop &lt;Online&gt; — WHEN',
      'Signed in to Shop &lt;Online&gt; — WHEN',
      'Signed in to your account settings — WHEN',
    ]);
  });

  test('account console: Download your data → the account\'s data as a JSON attachment, no secret in it, nobody else\'s; on record', async () => {
    const { tp, alice } = await setup();
    await shopTokens(tp);
    const sub = (await aliceAccount(tp)).sub;
    const bobs = await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ client_id: 'shop', response_type: 'code', redirect_uri: CB, scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' }), { credentials: BOB, decision: 'allow', jar: new CookieJar() });
    assert.ok(bobs.redirect?.searchParams.get('code'));

    assert.match((await consoleGet(tp, alice, '/account')).text, /<a href="\/account\/export" download="">Download your data<\/a>/);
    const { response, text } = await consoleGet(tp, alice, '/account/export');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(response.headers.get('content-disposition'), 'attachment; filename="account-data.json"');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const data = JSON.parse(text) as { account: Record<string, unknown>; sign_in: Record<string, unknown>; applications: Array<Record<string, unknown>>; sessions: unknown[]; activity: Array<{ type: string }> };
    assert.deepEqual([data.account.sub, data.account.username, data.account.email, data.account.email_verified], [sub, 'alice', 'alice@example.com', true]);
    assert.equal(data.sign_in.password, true);
    assert.deepEqual(data.applications.map((application) => [application.client_id, application.client_name, application.scope]), [['shop', 'Shop <Online>', 'openid profile offline_access']]);
    assert.equal(data.sessions.length, 2, 'the console\'s browser and Shop\'s — not bob\'s');
    assert.ok(data.activity.some((event) => event.type === 'login.succeeded'));
    assert.doesNotMatch(text, /\$argon2|password_hash|sealed_secret|public_key|bob/, 'no secret, nobody else');

    const after = (await consoleGet(tp, alice, '/account')).text;
    assert.match(after, /<li>Your data downloaded — \d{4}-\d\d-\d\d \d\d:\d\d UTC<\/li>/);
    assert.deepEqual(tp.events.filter((event) => event.name === 'user.exported').map((event) => event.data), [{ sub, actor: `user:${sub}` }]);

    const signedOut = await tp.provider.fetch(new Request(`${ISSUER}/account/export`));
    assert.equal(signedOut.status, 302, 'no data without the console session: signed in first');
  });

  test('account console: nothing on record → Recent activity says so', async () => {
    const page = await renderAccountPage({ root: '/account', csrfToken: 'c', account: (await (await setup()).tp.provider.context.storage.accounts.findByUsername('bob'))!, applications: [], sessions: [], activity: [] });
    assert.match(page, /<h2 id="activity">Recent activity<\/h2><p class="muted">[^<]+<\/p><p class="muted">Nothing yet\.<\/p>/);
  });
});

describe('account console: where it is served', () => {
  test('account console: off with accountConsole false, and with a host\'s own accounts → /account is not the provider\'s', async () => {
    for (const tp of [await testProvider({ accounts: [ALICE], config: { accountConsole: false } }), await testProvider({ host: { accounts: hostAccounts() } })]) {
      assert.equal(tp.provider.handles('/account'), false);
      assert.equal((await tp.provider.fetch(new Request(`${ISSUER}/account`))).status, 404);
      assert.equal(await tp.provider.context.storage.clients.find('latchkey-account'), undefined, 'no console client registered');
    }
  });

  test('account console: its client is latchkey\'s to manage → the admin API refuses to change it (409)', async () => {
    const tp = await testProvider({ accounts: [ALICE] });
    assert.equal(tp.provider.handles('/account'), true);
    const token = await adminClientToken(tp);
    const answer = await callAdmin(tp, token, 'DELETE', '/clients/latchkey-account');
    assert.equal(answer.status, 409);
    assert.deepEqual(answer.body, { error: 'conflict', error_description: "latchkey-account is the account console's own client; latchkey manages it" });
  });
});
