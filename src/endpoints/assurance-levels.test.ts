/**
 * Authentication assurance levels: the `acr` of a login (one factor, two factors), asked for with
 * `acr_values`, an essential `acr` claim or a client's `default_acr_values`; a session below the
 * level asked is stepped up with its account's second factor; a requirement the account cannot
 * meet ends the request with `unmet_authentication_requirements`. Administrators may be required
 * to sign in with two factors (RFC 9470 at the admin API).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeJwt, type JWTPayload } from 'jose';
import { adminClientToken, adminUserToken, callAdmin } from '../../test/helpers/admin.js';
import { CookieJar, formAction, hiddenInput, runBrowserlessFlow, type FlowResult } from '../../test/helpers/browserless.js';
import { consoleGet, signInToConsole } from '../../test/helpers/console.js';
import { ALICE, authorizeUrl, basicAuth, ISSUER, PKCE, postForm, testProvider, type TestProvider } from '../../test/helpers/index.js';
import { codeOf, enroll } from '../../test/helpers/two-step.js';
import { endSession } from '../interaction/logout.js';
import { digestSecret } from '../util/digest.js';

const ONE = 'urn:latchkey:loa:1fa';
const TWO = 'urn:latchkey:loa:2fa';
const SECRET = 'app-secret-0123456789abcdef0123456789ab';
const CB = 'https://rp.example/cb';
const APP = { client_id: 'app', client_secret: SECRET, grant_types: ['authorization_code'], skip_consent: true };
/** A client that asks for two factors unless a request says otherwise, and for a login at most ten minutes old. */
const STRICT_APP = { ...APP, client_id: 'strict-app', default_acr_values: [TWO], default_max_age: 600 };
const BOB = { username: 'bob', password: 'bob-password-long' };

/** Runs an authorization of `client_id` in the browser `jar`, answering the login page as `who` and the code page with `code`. */
function authorize(tp: TestProvider, jar: CookieJar, params: Record<string, string>, who?: { username: string; password: string }, code?: () => string): Promise<FlowResult> {
  const url = authorizeUrl({ client_id: 'app', response_type: 'code', redirect_uri: CB, scope: 'openid', nonce: 'n', state: 's', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256', ...params });
  return runBrowserlessFlow((request) => tp.provider.fetch(request), url, { jar, ...(who === undefined ? {} : { credentials: who }), ...(code === undefined ? {} : { oneTimeCode: code }) });
}

/** The ID token's claims and the access token of the code a flow ended with. */
async function exchange(tp: TestProvider, flow: FlowResult, client_id = 'app'): Promise<{ claims: JWTPayload; access_token: string }> {
  const code = flow.redirect?.searchParams.get('code');
  assert.ok(code, `a code: ${flow.redirect?.href ?? flow.pages.join(',')}`);
  const { body } = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: PKCE.code_verifier }, { authorization: basicAuth(client_id, SECRET) });
  assert.equal(typeof body.id_token, 'string', JSON.stringify(body));
  return { claims: decodeJwt(body.id_token as string), access_token: body.access_token as string };
}

const ALICE_LOGIN = { username: 'alice', password: String(ALICE.password) };

/**
 * Alice signed in to the app in `oneFactor` browsers before she set up an authenticator (their
 * sessions are one-factor), then set one up.
 */
async function setup(options: { oneFactor?: number; config?: Record<string, unknown> } = {}) {
  const tp = await testProvider({ accounts: [ALICE, BOB], clients: [APP, STRICT_APP], config: options.config ?? {} });
  const jars: CookieJar[] = [];
  for (let i = 0; i < (options.oneFactor ?? 0); i += 1) {
    const jar = new CookieJar();
    assert.deepEqual((await authorize(tp, jar, {}, ALICE_LOGIN)).pages, ['login']);
    jars.push(jar);
  }
  const { key } = await enroll(tp, await signInToConsole(tp, 'alice', ALICE_LOGIN.password, { console: 'account' }));
  tp.clock.advance(90);
  return { tp, jars, code: () => codeOf(tp, key) };
}

describe('assurance levels (acr)', () => {
  test('acr: a password login → 1fa, a two-step login → 2fa, in the ID token and in introspection with auth_time (RFC 9470 §6.2); discovery lists both', async () => {
    const { tp, code } = await setup();
    const bob = await authorize(tp, new CookieJar(), {}, BOB);
    assert.deepEqual(bob.pages, ['login']);
    const bobs = await exchange(tp, bob);
    assert.equal(bobs.claims.acr, ONE);
    const introspected = await postForm(tp, '/introspect', { token: bobs.access_token }, { authorization: basicAuth('app', SECRET) });
    assert.equal(introspected.body.acr, ONE);
    assert.equal(introspected.body.auth_time, bobs.claims.auth_time);

    const alice = await authorize(tp, new CookieJar(), {}, ALICE_LOGIN, code);
    assert.deepEqual(alice.pages, ['login', 'otp']);
    const alices = await exchange(tp, alice);
    assert.equal(alices.claims.acr, TWO);
    assert.equal((await postForm(tp, '/introspect', { token: alices.access_token }, { authorization: basicAuth('app', SECRET) })).body.acr, TWO);

    const discovery = (await (await tp.provider.fetch(new Request(`${ISSUER}/.well-known/openid-configuration`))).json()) as Record<string, unknown>;
    assert.deepEqual(discovery.acr_values_supported, [ONE, TWO, 'phr', 'phrh']);
  });

  test('step up: a one-factor session asked for two factors → only the code (no password), a new session at 2fa, then no page at all; prompt=none → login_required', async () => {
    const { tp, jars, code } = await setup({ oneFactor: 1 });
    const jar = jars[0]!;
    const first = await exchange(tp, await authorize(tp, jar, {}));
    assert.equal(first.claims.acr, ONE, 'the session is one-factor: nothing asked of it');

    const silent = await authorize(tp, jar, { acr_values: TWO, prompt: 'none' });
    assert.equal(silent.redirect?.searchParams.get('error'), 'login_required');

    const stepped = await authorize(tp, jar, { acr_values: TWO }, undefined, code);
    assert.deepEqual(stepped.pages, ['otp'], 'the code page, not the password');
    const { claims } = await exchange(tp, stepped);
    assert.equal(claims.acr, TWO);
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
    assert.equal(claims.sid, first.claims.sid, 'the same session, stepped up: the grants made in it before are still its own');

    const after = await authorize(tp, jar, { acr_values: TWO });
    assert.deepEqual(after.pages, [], 'the session is at two factors now');
    assert.equal((await exchange(tp, after)).claims.acr, TWO);

    // Logging out ends what was granted before the step up too: it was the same session.
    const id = digestSecret(jar.values.get('latchkey_session')!);
    await endSession({ id, record: (await tp.provider.context.storage.artifacts.find('session', id))! }, tp.provider.context, { actor: 'user:test' });
    const introspected = await postForm(tp, '/introspect', { token: first.access_token }, { authorization: basicAuth('app', SECRET) });
    assert.equal(introspected.body.active, false);
  });

  test('step up: a session ended while the code page is open → the code signs nobody in, back to the password', async () => {
    const { tp, jars, code } = await setup({ oneFactor: 1 });
    const jar = jars[0]!;
    const page = await authorize(tp, jar, { acr_values: TWO });
    const text = await page.response.text();
    assert.match(text, /autocomplete="one-time-code"/);
    await tp.provider.context.storage.artifacts.delete('session', digestSecret(jar.values.get('latchkey_session')!));
    const response = await tp.provider.fetch(new Request(formAction(text), {
      method: 'POST',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf_token: hiddenInput(text, 'csrf_token')!, code: code() }),
    }));
    assert.equal(response.status, 400);
    const refused = await response.text();
    assert.match(refused, /You were signed out/);
    assert.match(refused, /autocomplete="current-password"/);
    assert.ok(!response.headers.getSetCookie().some((line) => line.startsWith('latchkey_session=')), 'no session');
  });

  test('acr_values is a preference: an account without a second factor signs in with its password and gets 1fa, and is not asked again', async () => {
    const { tp } = await setup();
    const jar = new CookieJar();
    const login = await authorize(tp, jar, { acr_values: `${TWO} ${ONE}` }, BOB);
    assert.deepEqual(login.pages, ['login']);
    assert.equal((await exchange(tp, login)).claims.acr, ONE);
    const again = await authorize(tp, jar, { acr_values: TWO });
    assert.deepEqual(again.pages, []);
    assert.equal((await exchange(tp, again)).claims.acr, ONE, 'the level reached, not the one asked');
  });

  test('an essential acr is a requirement: unmet_authentication_requirements after the password, at once with a session, under prompt=none; met → one of the values asked', async () => {
    const { tp, code } = await setup();
    const essential = (values: string[]) => ({ claims: JSON.stringify({ id_token: { acr: { essential: true, values } } }) });
    const jar = new CookieJar();
    const refused = await authorize(tp, jar, essential([TWO]), BOB);
    assert.deepEqual(refused.pages, ['login']);
    assert.equal(refused.redirect?.searchParams.get('error'), 'unmet_authentication_requirements');
    assert.equal(refused.redirect?.searchParams.get('error_description'), 'the end-user did not sign in at the assurance level (acr) the request requires');
    assert.equal(refused.redirect?.searchParams.get('state'), 's');
    const atOnce = await authorize(tp, jar, essential([TWO]));
    assert.deepEqual(atOnce.pages, [], 'no page: nothing the account can do here');
    assert.equal(atOnce.redirect?.searchParams.get('error'), 'unmet_authentication_requirements');
    assert.equal((await authorize(tp, jar, { ...essential([TWO]), prompt: 'none' })).redirect?.searchParams.get('error'), 'unmet_authentication_requirements');
    const voluntary = await authorize(tp, jar, { claims: JSON.stringify({ id_token: { acr: { values: [TWO] } } }) });
    assert.equal((await exchange(tp, voluntary)).claims.acr, ONE, 'the claim without essential is a preference');

    const alice = new CookieJar();
    const met = await authorize(tp, alice, essential([ONE]), ALICE_LOGIN, code);
    assert.equal((await exchange(tp, met)).claims.acr, ONE, 'a two-factor login meets 1fa, and the ID token says a value asked for');
    const asClaim = await authorize(tp, alice, { claims: JSON.stringify({ id_token: { acr: { values: [ONE] } } }) });
    assert.equal((await exchange(tp, asClaim)).claims.acr, ONE, 'the values of a voluntary acr claim are asked for as acr_values are');
    assert.equal((await exchange(tp, await authorize(tp, alice, essential(['urn:example:unknown', TWO])))).claims.acr, TWO);
    const unknown = await authorize(tp, alice, essential(['urn:example:unknown']));
    assert.equal(unknown.redirect?.searchParams.get('error'), 'unmet_authentication_requirements', `${unknown.pages} ${unknown.response.status} ${await unknown.response.clone().text()}`);

    const malformed = await authorize(tp, alice, { claims: JSON.stringify({ id_token: { acr: { essential: true, values: [2] } } }) });
    assert.equal(malformed.redirect?.searchParams.get('error'), 'invalid_request');
    assert.equal(malformed.redirect?.searchParams.get('error_description'), 'claims.id_token.acr values must be acr values (strings without spaces)');
  });

  test('client metadata: default_acr_values step a session up unless the request asks otherwise; default_max_age asks for the login again; registration keeps them', async () => {
    const { tp, jars, code } = await setup({ oneFactor: 2, config: { registration: 'open' } });
    const stepped = await authorize(tp, jars[0]!, { client_id: 'strict-app' }, undefined, code);
    assert.deepEqual(stepped.pages, ['otp'], 'default_acr_values asked for two factors');
    assert.equal((await exchange(tp, stepped, 'strict-app')).claims.acr, TWO);
    const asked = await authorize(tp, jars[1]!, { client_id: 'strict-app', acr_values: ONE });
    assert.deepEqual(asked.pages, [], 'acr_values in the request replaces the defaults');
    assert.equal((await exchange(tp, asked, 'strict-app')).claims.acr, ONE);

    tp.clock.advance(601);
    assert.deepEqual((await authorize(tp, jars[0]!, { client_id: 'strict-app' }, ALICE_LOGIN, code)).pages, ['login', 'otp'], 'default_max_age: ten minutes on, the login is asked again');
    assert.deepEqual((await authorize(tp, jars[0]!, {})).pages, [], 'another client without a max_age: no login');

    const metadata = { redirect_uris: [CB], default_acr_values: [TWO], default_max_age: 300, require_auth_time: true };
    const registered = await tp.provider.fetch(new Request(`${ISSUER}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(metadata) }));
    assert.equal(registered.status, 201);
    const body = (await registered.json()) as Record<string, unknown>;
    assert.deepEqual([body.default_acr_values, body.default_max_age, body.require_auth_time], [[TWO], 300, true]);
    const invalid = await tp.provider.fetch(new Request(`${ISSUER}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...metadata, default_acr_values: ['two words'] }) }));
    assert.deepEqual(await invalid.json(), { error: 'invalid_client_metadata', error_description: 'default_acr_values.0: must be acr values without spaces' });
  });

  test('adminRequiresTwoStep: a one-factor admin token → 401 insufficient_user_authentication naming 2fa; the console steps an administrator up, and refuses one without an authenticator; admin clients unaffected', async () => {
    const admins = { accounts: [{ ...ALICE, roles: ['admin' as const] }, { ...BOB, roles: ['admin' as const] }] };
    const tp = await testProvider({ ...admins, config: { adminRequiresTwoStep: true } });
    const { access_token } = await adminUserToken(tp, 'bob', BOB.password);
    const refused = await callAdmin(tp, access_token, 'GET', '/clients');
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error, 'insufficient_user_authentication');
    assert.equal(
      refused.headers.get('www-authenticate'),
      `Bearer realm="${ISSUER}", scope="latchkey:admin", error="insufficient_user_authentication", error_description="administrators must sign in with two-step verification", acr_values="${TWO}"`,
    );
    assert.equal((await callAdmin(tp, await adminClientToken(tp), 'GET', '/clients')).status, 200, 'a client\'s token has no login to judge');

    const start = await tp.provider.fetch(new Request(`${ISSUER}/admin`));
    const jar = new CookieJar();
    jar.store(start);
    const flow = await runBrowserlessFlow((request) => tp.provider.fetch(request), start.headers.get('location')!, { credentials: BOB, jar });
    assert.equal(flow.redirect?.searchParams.get('error'), 'unmet_authentication_requirements');
    const callback = await tp.provider.fetch(new Request(flow.redirect!.href, { headers: { cookie: jar.header() } }));
    assert.equal(callback.status, 400);
    assert.match(await callback.text(), /this console needs a sign-in with two-step verification: turn it on for your account at https:\/\/op\.test\/account\/two-step/);

    const browser = new CookieJar();
    const { key } = await enroll(tp, await signInToConsole(tp, 'alice', ALICE_LOGIN.password, { console: 'account', jar: browser }));
    tp.clock.advance(90);
    const admin = await signInToConsole(tp, 'alice', ALICE_LOGIN.password, { jar: browser, oneTimeCode: () => codeOf(tp, key) });
    assert.equal((await consoleGet(tp, admin, '/admin/users')).response.status, 200, 'stepped up from the account console\'s one-factor session');

    const unaffected = await testProvider(admins);
    assert.equal((await callAdmin(unaffected, (await adminUserToken(unaffected, 'bob', BOB.password)).access_token, 'GET', '/clients')).status, 200, 'off by default');
  });
});
