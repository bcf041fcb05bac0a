/**
 * Two-step verification of built-in accounts: set up in the account console with an
 * authenticator's first code, then asked for after the password at every login (once per code,
 * throttled as logins are), turned off by the person with a code or by an administrator.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { adminClientToken, callAdmin } from '../../test/helpers/admin.js';
import { CookieJar, formAction, hiddenInput } from '../../test/helpers/browserless.js';
import { consoleGet, consolePost, signInToConsole, type ConsoleSession } from '../../test/helpers/console.js';
import { ALICE, authorizeUrl, basicAuth, ISSUER, PKCE, testProvider, type TestProvider } from '../../test/helpers/index.js';
import { codeOf, enroll, recoveryCodesOn } from '../../test/helpers/two-step.js';
import { builtinPages } from '../ui/index.js';

const APP = { client_id: 'app', client_secret: 'app-secret-0123456789abcdef0123456789ab', grant_types: ['authorization_code'], skip_consent: true };
const CB = 'https://rp.example/cb';
const BOB = { username: 'bob', password: 'bob-password-long' };

async function setup(config = {}): Promise<{ tp: TestProvider; alice: ConsoleSession; key: string; recoveryCodes: string[] }> {
  const tp = await testProvider({ accounts: [ALICE], clients: [APP], config });
  const alice = await signInToConsole(tp, 'alice', String(ALICE.password), { console: 'account' });
  return { tp, alice, ...(await enroll(tp, alice)) };
}

/** A login at the app up to the page after the password: the jar, that page and its answer. */
async function password(tp: TestProvider, typed = String(ALICE.password)) {
  const jar = new CookieJar();
  const start = await tp.provider.fetch(new Request(authorizeUrl({ client_id: 'app', response_type: 'code', redirect_uri: CB, scope: 'openid', nonce: 'n', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' })));
  jar.store(start);
  const login = await tp.provider.fetch(new Request(new URL(start.headers.get('location')!, ISSUER), { headers: { cookie: jar.header() } }));
  jar.store(login);
  const form = await login.text();
  const response = await tp.provider.fetch(new Request(formAction(form), {
    method: 'POST',
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf_token: hiddenInput(form, 'csrf_token')!, username: 'alice', password: typed }),
  }));
  jar.store(response);
  return { jar, response, text: await response.text() };
}

/** Follows the provider's redirects (a login done, the consent skipped) to the client's redirect URI. */
async function toClient(tp: TestProvider, jar: CookieJar, response: Response): Promise<URL> {
  for (let hops = 0; hops < 5; hops += 1) {
    const location = new URL(response.headers.get('location')!, ISSUER);
    if (location.href.startsWith(CB)) return location;
    response = await tp.provider.fetch(new Request(location, { headers: { cookie: jar.header() } }));
    jar.store(response);
  }
  throw new Error('the flow did not reach the client');
}

/** The second step: the code posted on the page `text`. */
function submitCode(tp: TestProvider, jar: CookieJar, text: string, code: string) {
  return postSecondStep(tp, jar, text, { code });
}

/** The code page's other form: a recovery code in place of the app's code. */
function submitRecovery(tp: TestProvider, jar: CookieJar, text: string, code: string) {
  return postSecondStep(tp, jar, text, { recovery_code: code });
}

/** A form of the code page (both post to the same action), with its CSRF token. */
async function postSecondStep(tp: TestProvider, jar: CookieJar, text: string, fields: Record<string, string>) {
  const response = await tp.provider.fetch(new Request(formAction(text), {
    method: 'POST',
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf_token: hiddenInput(text, 'csrf_token')!, ...fields }),
  }));
  jar.store(response);
  return { response, text: response.status === 303 ? '' : await response.text() };
}

describe('two-step verification', () => {
  test('two-step: set up in the account console — the QR code and the key; a wrong first code keeps the same key; the secret is stored sealed; user.two_step_enabled', async () => {
    const tp = await testProvider({ accounts: [ALICE, BOB] });
    const alice = await signInToConsole(tp, 'alice', String(ALICE.password), { console: 'account' });
    assert.match((await consoleGet(tp, alice, '/account')).text, /Off: your password alone signs you in/);
    const setupPage = await consoleGet(tp, alice, '/account/two-step');
    assert.match(setupPage.text, /<svg[^>]*viewBox/, 'a QR code, inline');
    assert.match(setupPage.text, /href="otpauth:\/\/totp\/op\.test:alice\?issuer=op\.test&amp;secret=[A-Z2-7]{32}&amp;algorithm=SHA1&amp;digits=6&amp;period=30"/);
    const key = /<code class="key">([A-Z2-7 ]+)<\/code>/.exec(setupPage.text)![1]!.replace(/ /g, '');
    assert.equal(key.length, 32, '160 bits in base32');
    const wrong = await consolePost(tp, alice, '/account/two-step', { enrollment: hiddenInput(setupPage.text, 'enrollment')!, code: codeOf(tp, key, 3) });
    assert.equal(wrong.response.status, 400);
    assert.match(wrong.text, /role="alert">That code is not right/);
    assert.ok(wrong.text.includes(key.replace(/(.{4})/g, '$1 ').trim()), 'the same key, to try again');
    const forged = await consolePost(tp, alice, '/account/two-step', { enrollment: 'forged', code: codeOf(tp, key) });
    assert.match(forged.text, /This setup is not valid any more/);
    const bob = await signInToConsole(tp, 'bob', BOB.password, { console: 'account' });
    const bobs = await consoleGet(tp, bob, '/account/two-step');
    const bobKey = /<code class="key">([A-Z2-7 ]+)<\/code>/.exec(bobs.text)![1]!.replace(/ /g, '');
    const another = await consolePost(tp, alice, '/account/two-step', { enrollment: hiddenInput(bobs.text, 'enrollment')!, code: codeOf(tp, bobKey) });
    assert.match(another.text, /This setup is not valid any more/, 'another account\'s setup');
    tp.clock.advance(601);
    const stale = await consolePost(tp, alice, '/account/two-step', { enrollment: hiddenInput(wrong.text, 'enrollment')!, code: codeOf(tp, key) });
    assert.match(stale.text, /This setup is not valid any more/, 'ten minutes on');
    tp.clock.advance(-601);

    const done = await consolePost(tp, alice, '/account/two-step', { enrollment: hiddenInput(wrong.text, 'enrollment')!, code: codeOf(tp, key) });
    assert.equal(done.response.status, 200);
    assert.equal(done.response.headers.get('cache-control'), 'no-store');
    const codes = recoveryCodesOn(done.text);
    assert.equal(new Set(codes).size, 10);
    assert.match(done.text, /<a href="\/account\?notice=two-step-on">I have saved them<\/a>/);
    const account = (await tp.provider.context.storage.accounts.findByUsername('alice'))!;
    assert.ok(account.totp && !JSON.stringify(account).includes(key), 'stored, sealed');
    assert.equal(account.totp.recovery_codes?.length, 10);
    assert.ok(codes.every((code) => !JSON.stringify(account).includes(code) && !JSON.stringify(account).includes(code.replace('-', ''))), 'the recovery codes are stored as digests');
    assert.deepEqual(tp.events.find((e) => e.name === 'user.two_step_enabled')?.data, { sub: account.sub, actor: `user:${account.sub}` });
    assert.deepEqual(tp.events.find((e) => e.name === 'user.recovery_codes_created')?.data, { sub: account.sub, actor: `user:${account.sub}` });
    const overview = (await consoleGet(tp, alice, '/account?notice=two-step-on')).text;
    assert.match(overview, /On since/);
    assert.match(overview, /10 left\./);
  });

  test('two-step: the password, then the code page (no session yet); a right code → the code to the app, amr pwd otp mfa in the ID token; the same code again → refused', async () => {
    const { tp, alice, key } = await setup();
    tp.clock.advance(90);
    const first = await password(tp);
    assert.equal(first.response.status, 200);
    assert.match(first.text, /autocomplete="one-time-code"/);
    assert.match(first.text, /Signing in as <strong>alice<\/strong>/);
    assert.ok(!first.response.headers.getSetCookie().some((line) => line.startsWith('latchkey_session=')), 'nobody is signed in after the password alone');
    const code = codeOf(tp, key);
    const forged = await tp.provider.fetch(new Request(formAction(first.text), {
      method: 'POST',
      headers: { cookie: first.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf_token: 'forged', code }),
    }));
    assert.equal(forged.status, 400, 'a code posted without the form\'s CSRF token');
    assert.match(await forged.text(), /the form has expired/);
    const signedIn = await submitCode(tp, first.jar, first.text, code);
    assert.equal(signedIn.response.status, 303);
    const redirect = await toClient(tp, first.jar, signedIn.response);
    assert.equal(`${redirect.origin}${redirect.pathname}`, CB);
    const tokens = await tp.provider.fetch(new Request(`${ISSUER}/token`, {
      method: 'POST',
      headers: { authorization: basicAuth('app', APP.client_secret) },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: redirect.searchParams.get('code')!, redirect_uri: CB, code_verifier: PKCE.code_verifier }),
    }));
    const { id_token } = (await tokens.json()) as { id_token: string };
    assert.deepEqual(decodeJwt(id_token).amr, ['pwd', 'otp', 'mfa']);
    assert.match((await consoleGet(tp, alice, '/account')).text, /signed in with password and a code from an authenticator app;/, 'the account console names the session\'s two steps');

    const again = await password(tp);
    const replayed = await submitCode(tp, again.jar, again.text, code);
    assert.equal(replayed.response.status, 401);
    assert.match(replayed.text, /role="alert">That code is not right, or was used already/);
  });

  test('two-step: wrong codes count as failed logins, and a right password does not clear them → 429, back to the password; past five minutes → sign in again', async () => {
    const { tp, key } = await setup({ loginMaxFailuresPerAccount: 2 });
    tp.clock.advance(90);
    const login = await password(tp);
    assert.equal((await submitCode(tp, login.jar, login.text, '000000')).response.status, 401);
    const again = await password(tp);
    assert.equal(again.response.status, 200, 'the password is still right');
    assert.equal((await submitCode(tp, again.jar, again.text, '111111')).response.status, 401);
    const throttled = await submitCode(tp, again.jar, again.text, codeOf(tp, key));
    assert.equal(throttled.response.status, 429, 'throttled: not even a right code');
    assert.match(throttled.text, /autocomplete="current-password"/, 'back to the password');
    assert.equal((await password(tp)).response.status, 429, 'the password page is throttled too');

    tp.clock.advance(901);
    const late = await password(tp);
    tp.clock.advance(301);
    const expired = await submitCode(tp, late.jar, late.text, codeOf(tp, key));
    assert.equal(expired.response.status, 400);
    assert.match(expired.text, /The code did not come in time/);
  });

  test('recovery codes: offered on the code page; each signs in once in place of the app\'s code (amr pwd otp mfa), whatever its case and dashes; a used or wrong one counts as a failed login', async () => {
    const { tp, alice, recoveryCodes } = await setup();
    tp.clock.advance(90);
    const login = await password(tp);
    assert.match(login.text, /<summary>Lost your phone\? Use a recovery code<\/summary>/);
    assert.match(login.text, /name="recovery_code"/);
    const typed = recoveryCodes[0]!.toUpperCase().replace('-', ' ');
    const signedIn = await submitRecovery(tp, login.jar, login.text, typed);
    assert.equal(signedIn.response.status, 303, signedIn.text.slice(0, 300));
    const redirect = await toClient(tp, login.jar, signedIn.response);
    const tokens = await tp.provider.fetch(new Request(`${ISSUER}/token`, {
      method: 'POST',
      headers: { authorization: basicAuth('app', APP.client_secret) },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: redirect.searchParams.get('code')!, redirect_uri: CB, code_verifier: PKCE.code_verifier }),
    }));
    const claims = decodeJwt(((await tokens.json()) as { id_token: string }).id_token);
    assert.deepEqual([claims.amr, claims.acr], [['pwd', 'otp', 'mfa'], 'urn:latchkey:loa:2fa']);
    const sub = (await tp.provider.context.storage.accounts.findByUsername('alice'))!.sub;
    assert.deepEqual(tp.events.find((e) => e.name === 'user.recovery_code_used')?.data, { sub, client_id: 'app' });
    assert.match((await consoleGet(tp, alice, '/account')).text, /9 left\./);

    const failures = () => tp.events.filter((e) => e.name === 'login.failed').length;
    const before = failures();
    const again = await password(tp);
    const used = await submitRecovery(tp, again.jar, again.text, recoveryCodes[0]!);
    assert.equal(used.response.status, 401);
    assert.match(used.text, /role="alert">That recovery code is not right, or was used already\./);
    assert.equal((await submitRecovery(tp, again.jar, again.text, 'zzzzz-zzzzz')).response.status, 401, 'not one of hers');
    assert.equal((await submitRecovery(tp, again.jar, again.text, recoveryCodes[0]!.slice(0, 6))).response.status, 401, 'not even the shape of one');
    assert.equal(failures(), before + 3, 'each counted as a failed login');
  });

  test('recovery codes: new ones in the account console only on a current code of the app (a wrong one counted); the earlier ones stop working; one turns two-step verification off', async () => {
    const { tp, alice, key, recoveryCodes } = await setup();
    tp.clock.advance(90);
    const wrong = await consolePost(tp, alice, '/account/two-step/recovery-codes', { code: '123456' });
    assert.equal(wrong.response.status, 401);
    assert.match(wrong.text, /role="alert">That code is not right/);
    const made = await consolePost(tp, alice, '/account/two-step/recovery-codes', { code: codeOf(tp, key) });
    assert.equal(made.response.status, 200);
    const fresh = recoveryCodesOn(made.text);
    assert.ok(fresh.every((code) => !recoveryCodes.includes(code)), 'new codes');
    assert.match(made.text, /<a href="\/account\?notice=recovery-codes-created">I have saved them<\/a>/);
    assert.equal(tp.events.filter((e) => e.name === 'user.recovery_codes_created').length, 2);

    const old = await password(tp);
    assert.equal((await submitRecovery(tp, old.jar, old.text, recoveryCodes[1]!)).response.status, 401, 'an earlier code no longer works');
    const login = await password(tp);
    assert.equal((await submitRecovery(tp, login.jar, login.text, fresh[3]!)).response.status, 303);

    // A lost phone: a recovery code turns it off too (the app's code input would not take one).
    assert.doesNotMatch((await consoleGet(tp, alice, '/account')).text, /id="off_code"[^>]*pattern=/);
    assert.equal((await consolePost(tp, alice, '/account/two-step/off', { code: fresh[3]! })).response.status, 401, 'a used one does not');
    const off = await consolePost(tp, alice, '/account/two-step/off', { code: fresh[4]! });
    assert.equal(off.response.headers.get('location'), '/account?notice=two-step-off');
    assert.equal((await tp.provider.context.storage.accounts.findByUsername('alice'))!.totp, undefined);
  });

  test('two-step: turned off in the account console only with a right code (a wrong one counted), or by an administrator; the admin API never shows the secret', async () => {
    const { tp, alice, key } = await setup();
    tp.clock.advance(90);
    const wrong = await consolePost(tp, alice, '/account/two-step/off', { code: '123456' });
    assert.equal(wrong.response.status, 401);
    assert.match(wrong.text, /role="alert">That code is not right/);
    assert.ok((await tp.provider.context.storage.accounts.findByUsername('alice'))!.totp, 'still on');
    const off = await consolePost(tp, alice, '/account/two-step/off', { code: codeOf(tp, key) });
    assert.equal(off.response.headers.get('location'), '/account?notice=two-step-off');
    assert.equal((await tp.provider.context.storage.accounts.findByUsername('alice'))!.totp, undefined);
    const login = await password(tp);
    assert.equal(login.response.status, 303, 'the password alone signs in again');

    const { key: key2 } = await enroll(tp, alice);
    assert.notEqual(key2, key, 'a new key each time');
    const token = await adminClientToken(tp);
    const sub = (await tp.provider.context.storage.accounts.findByUsername('alice'))!.sub;
    const shown = await callAdmin(tp, token, 'GET', `/users/${sub}`);
    assert.equal(shown.body.two_step, true);
    assert.equal(shown.body.totp, undefined, 'the sealed secret is not shown');
    assert.equal((await callAdmin(tp, token, 'DELETE', `/users/${sub}/two-step`)).status, 204);
    assert.equal((await callAdmin(tp, token, 'GET', `/users/${sub}`)).body.two_step, false);
    assert.equal(tp.events.filter((e) => e.name === 'user.two_step_disabled').at(-1)?.data.actor, 'client:ops-robot');
  });

  test('two-step: pages without a code page (a host\'s own) → an account with two-step verification cannot sign in; never signed in with the password alone', async () => {
    const { tp: enrolled } = await setup();
    const { oneTimeCode: _none, ...pages } = builtinPages;
    const tp = await testProvider({ storage: async () => enrolled.provider.context.storage, host: { pages } });
    const refused = await password(tp);
    assert.equal(refused.response.status, 400);
    assert.match(refused.text, /two-step verification is on for this account, and this sign-in page cannot ask for the code/);
  });
});
