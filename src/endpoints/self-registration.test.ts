/** Self-registration: people create their own account on the login page, or straight away with `prompt=create` (OIDC Prompt Create 1.0). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConfigInput } from '../core/config.js';
import { ALICE, authorizeUrl, basicAuth, formAction, hiddenInput, ISSUER, postForm, SEED_SECRET, testProvider, type TestProvider } from '../../test/helpers/index.js';
import { inProcessBrowser, type InProcessBrowser } from '../../test/helpers/in-process-browser.js';

const CB = 'https://rp.example/cb';
const APP = { client_id: 'app', client_secret: SEED_SECRET };
const ADDRESS = '203.0.113.9';

function setup(config: ConfigInput = { selfRegistration: true }): Promise<TestProvider> {
  return testProvider({ clients: [APP], accounts: [ALICE], config });
}

/** A browser from one address, stopping at the client. */
function browser(tp: TestProvider) {
  return inProcessBrowser(tp, { stopAt: CB, remoteAddress: ADDRESS });
}

/** Starts an authorization and answers the page it lands on (the login or the registration page). */
async function start(tp: TestProvider, params: Record<string, string> = {}) {
  const b = browser(tp);
  const page = await b.follow(await b.get(authorizeUrl({ response_type: 'code', client_id: 'app', redirect_uri: CB, scope: 'openid profile email', ...params })));
  return { b, page, html: await page.text() };
}

const NEW_PERSON = { username: 'mallory.hatter', name: 'Mallory Hatter', email: 'mallory@example.com', password: 'a long enough passphrase', password_confirmation: 'a long enough passphrase' };

/** Fills in the registration page in `html`; the answer, followed to the next page or the client. */
async function register(b: InProcessBrowser, html: string, fields: Record<string, string>) {
  return b.submit(html, fields);
}

describe('self-registration', () => {
  test('off by default: no link on the login page, no registration route, prompt=create refused, discovery without create', async () => {
    const tp = await setup({});
    const { html, page } = await start(tp);
    assert.equal(page.status, 200);
    assert.ok(html.includes('autocomplete="current-password"'), 'the login page');
    assert.ok(!html.includes('Create an account'), 'no registration link');
    const uid = /\/interaction\/([^/"]+)\/login/.exec(html)![1]!;
    assert.equal((await tp.provider.fetch(new Request(`${ISSUER}/interaction/${uid}/register`))).status, 404);
    const refused = await tp.provider.fetch(new Request(authorizeUrl({ response_type: 'code', client_id: 'app', redirect_uri: CB, scope: 'openid', prompt: 'create' }), { redirect: 'manual' }));
    const location = new URL(refused.headers.get('location')!);
    assert.deepEqual(Object.fromEntries(location.searchParams), { error: 'invalid_request', error_description: 'prompt create is not supported', iss: ISSUER });
    const metadata = (await (await tp.provider.fetch(new Request(`${ISSUER}/.well-known/openid-configuration`))).json()) as Record<string, unknown>;
    assert.deepEqual(metadata.prompt_values_supported, ['none', 'login', 'consent', 'select_account']);
  });

  test('login page → "Create an account" → the new account is signed in, consents, and the client gets its ID token and claims; the email unverified', async () => {
    const tp = await setup();
    const { b, html } = await start(tp);
    const link = /<a href="([^"]+)">Create an account<\/a>/.exec(html)?.[1];
    assert.ok(link, 'the login page links to the registration page');
    const registration = await b.get(link.replace(/&amp;/g, '&'));
    const form = await registration.text();
    for (const attribute of ['autocomplete="username"', 'autocomplete="new-password"', 'name="password_confirmation"', 'autocomplete="email"']) {
      assert.ok(form.includes(attribute), `the registration page has ${attribute}`);
    }

    const consent = await register(b, form, NEW_PERSON);
    const consentHtml = await consent.text();
    assert.ok(consentHtml.includes('value="allow"') && consentHtml.includes('mallory.hatter'), 'signed in as the new account, at the consent page');
    const done = await b.follow(await b.post(formAction(consentHtml), { csrf_token: hiddenInput(consentHtml, 'csrf_token')!, decision: 'allow' }));
    const code = new URL(done.headers.get('location')!).searchParams.get('code')!;
    const tokens = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: CB }, { authorization: basicAuth('app', SEED_SECRET) });
    assert.equal(tokens.response.status, 200);
    const userinfo = (await (await tp.provider.fetch(new Request(`${ISSUER}/userinfo`, { headers: { authorization: `Bearer ${String(tokens.body.access_token)}` } }))).json()) as Record<string, unknown>;
    const account = await tp.provider.context.storage.accounts.findByUsername('mallory.hatter');
    assert.ok(account, 'the account exists');
    assert.deepEqual(userinfo, { sub: account.sub, name: 'Mallory Hatter', preferred_username: 'mallory.hatter', updated_at: account.updated_at, email: 'mallory@example.com', email_verified: false });
    assert.deepEqual(tp.events.find((event) => event.name === 'account.registered')?.data, { sub: account.sub, username: 'mallory.hatter', client_id: 'app' });

    // The new account signs in with its password like any other.
    const again = await start(tp);
    const signedIn = await again.b.follow(await again.b.post(formAction(again.html), { csrf_token: hiddenInput(again.html, 'csrf_token')!, username: 'mallory.hatter', password: NEW_PERSON.password }));
    assert.ok(new URL(signedIn.headers.get('location')!).searchParams.get('code'), 'the password works at the login page (consent remembered: a code)');
  });

  test('prompt=create: the registration page first — even with a session — and its "Sign in" leads to the login page; discovery lists create; create with none is refused', async () => {
    const tp = await setup();
    const { b, html } = await start(tp, { prompt: 'create' });
    assert.ok(html.includes('Create account') && html.includes('autocomplete="new-password"'), 'the registration page');
    const signIn = /<a href="([^"]+)">Sign in<\/a>/.exec(html)![1]!.replace(/&amp;/g, '&');
    const login = await (await b.get(signIn)).text();
    assert.ok(login.includes('autocomplete="current-password"'), 'the login page');
    const consent = await b.follow(await b.post(formAction(login), { csrf_token: hiddenInput(login, 'csrf_token')!, username: String(ALICE.username), password: String(ALICE.password) }));
    assert.ok((await consent.text()).includes('value="allow"'), 'alice signed in');

    // With alice's session in the browser, prompt=create still asks for a new account.
    const withSession = await b.follow(await b.get(authorizeUrl({ response_type: 'code', client_id: 'app', redirect_uri: CB, scope: 'openid', prompt: 'create' })));
    assert.ok((await withSession.text()).includes('Create account'), 'the registration page again');

    const metadata = (await (await tp.provider.fetch(new Request(`${ISSUER}/.well-known/openid-configuration`))).json()) as Record<string, unknown>;
    assert.deepEqual(metadata.prompt_values_supported, ['none', 'login', 'consent', 'select_account', 'create']);
    const refused = await tp.provider.fetch(new Request(authorizeUrl({ response_type: 'code', client_id: 'app', redirect_uri: CB, scope: 'openid', prompt: 'create none' }), { redirect: 'manual' }));
    assert.equal(new URL(refused.headers.get('location')!).searchParams.get('error_description'), 'prompt none must be the only value');
  });

  test('refusals: the page again with what is wrong (400), what was typed kept but never the password; nothing created', async () => {
    const tp = await setup();
    const { b, html } = await start(tp, { prompt: 'create' });
    const cases: [Record<string, string>, string][] = [
      [{ ...NEW_PERSON, password_confirmation: 'another passphrase!' }, 'The two passwords differ.'],
      [{ ...NEW_PERSON, password: 'short', password_confirmation: 'short' }, 'Password must have at least 8 characters.'],
      [{ ...NEW_PERSON, username: String(ALICE.username) }, 'Username alice is taken.'],
      [{ ...NEW_PERSON, email: 'not-an-address' }, 'Email is not a valid address.'],
      [{ ...NEW_PERSON, username: '' }, 'Username is required.'],
    ];
    for (const [fields, message] of cases) {
      const answer = await register(b, html, fields);
      assert.equal(answer.status, 400, message);
      const page = await answer.text();
      assert.ok(page.includes(message), `the page says: ${message}`);
      assert.ok(!page.includes(fields.password!), 'the password is not sent back');
      if (fields.username) assert.ok(page.includes(`value="${fields.username}"`), 'the username typed is kept');
    }
    assert.equal(await tp.provider.context.storage.accounts.findByUsername('mallory.hatter'), undefined);
    assert.equal(tp.events.filter((event) => event.name === 'account.registered').length, 0);

    const forged = await b.post(formAction(html), { csrf_token: 'forged', ...NEW_PERSON });
    assert.equal(forged.status, 400);
    assert.equal(await tp.provider.context.storage.accounts.findByUsername('mallory.hatter'), undefined, 'no account without the CSRF token');
  });

  test('at most selfRegistrationMaxPerAddress accounts per address per window → 429, nothing created; clients registered from the address do not count', async () => {
    const tp = await setup({ selfRegistration: true, selfRegistrationMaxPerAddress: 2, registration: 'open' });
    // Clients registered from the same address count against their own limit, not this one.
    for (let i = 0; i < 3; i += 1) {
      const registered = await tp.provider.fetch(new Request(`${ISSUER}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uris: [CB] }) }), { remoteAddress: ADDRESS });
      assert.equal(registered.status, 201);
    }
    for (const username of ['first.one', 'second.one']) {
      const { b, html } = await start(tp, { prompt: 'create' });
      assert.equal((await register(b, html, { ...NEW_PERSON, username })).status, 200, `${username} created`);
    }
    const { b, html } = await start(tp, { prompt: 'create' });
    const throttled = await register(b, html, { ...NEW_PERSON, username: 'third.one' });
    assert.equal(throttled.status, 429);
    assert.ok((await throttled.text()).includes('Too many accounts were created from your network'));
    assert.equal(await tp.provider.context.storage.accounts.findByUsername('third.one'), undefined);
    assert.deepEqual(tp.events.find((event) => event.name === 'account.registration_throttled')?.data, { address: ADDRESS });
  });

  test('a host\'s accounts without register() and the built-in pages: refused at start, not at the first visitor', async () => {
    await assert.rejects(
      testProvider({ config: { selfRegistration: true }, host: { accounts: { findById: async () => undefined, claims: async () => undefined, authenticate: async () => undefined } } }),
      /selfRegistration needs accounts\.register\(\) and pages\.register\(\)/,
    );
  });
});
