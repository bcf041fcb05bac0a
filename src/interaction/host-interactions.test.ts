/** The interaction hook: a host application renders its own login and consent pages. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { InvalidRequest } from '../core/errors.js';
import { ALICE, authorizeUrl, basicAuth, CookieJar, ISSUER, postForm, SEED_SECRET, testProvider, type TestProvider } from '../../test/helpers/index.js';
import type { Accounts } from '../accounts/types.js';

const HOST_PAGE = 'https://app.test/login';

/** The host's own account store: no passwords here, the host checks them its own way. */
const hostAccounts: Accounts = {
  async findById(sub) {
    return sub === 'user-7' ? { sub, username: 'grace', name: 'Grace Hopper' } : undefined;
  },
  async claims(sub, scopes) {
    if (sub !== 'user-7') return undefined;
    return { sub, ...(scopes.includes('email') ? { email: 'grace@example.com' } : {}), ...(scopes.includes('profile') ? { name: 'Grace Hopper' } : {}) };
  },
};

async function hostProvider(): Promise<TestProvider> {
  return testProvider({
    clients: [{ client_id: 'app', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token'] }],
    host: { accounts: hostAccounts, interactionUrl: (uid) => `${HOST_PAGE}?uid=${encodeURIComponent(uid)}` },
  });
}

/** One browser: follows nothing by itself, keeps cookies. */
async function browse(tp: TestProvider, jar: CookieJar, url: string): Promise<Response> {
  const response = await tp.provider.fetch(new Request(url, { headers: { cookie: jar.header() } }));
  jar.store(response);
  return response;
}

/** Starts an authorization and returns the interaction uid the host's page receives. */
async function startAt(tp: TestProvider, jar: CookieJar, params: Record<string, string> = {}): Promise<string> {
  const response = await browse(tp, jar, authorizeUrl({ client_id: 'app', response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid profile email', state: 's1', nonce: 'n1', ...params }));
  assert.equal(response.status, 303);
  const location = new URL(response.headers.get('location')!);
  assert.equal(`${location.origin}${location.pathname}`, HOST_PAGE);
  return location.searchParams.get('uid')!;
}

describe('interaction hook', () => {
  test('a required level (essential acr claim) → details say so; a host login below it ends with unmet_authentication_requirements, one at it goes on', async () => {
    const tp = await hostProvider();
    const claims = JSON.stringify({ id_token: { acr: { essential: true, values: ['urn:example:loa:2'] } } });
    const jar = new CookieJar();
    const uid = await startAt(tp, jar, { claims });
    const asked = await tp.provider.interactions.details(uid);
    assert.deepEqual([asked.acrValues, asked.acrEssential], [['urn:example:loa:2'], true]);
    const below = await tp.provider.interactions.finish(uid, { login: { accountId: 'user-7', amr: ['pwd'] } });
    const refused = new URL((await browse(tp, jar, below.redirectTo)).headers.get('location')!);
    assert.equal(refused.searchParams.get('error'), 'unmet_authentication_requirements');
    assert.equal(refused.searchParams.get('state'), 's1');

    const other = new CookieJar();
    const uid2 = await startAt(tp, other, { claims });
    const met = await tp.provider.interactions.finish(uid2, { login: { accountId: 'user-7', amr: ['pwd', 'hwk'], acr: 'urn:example:loa:2' } });
    assert.equal((await browse(tp, other, met.redirectTo)).headers.get('location'), `${HOST_PAGE}?uid=${encodeURIComponent(uid2)}`, 'on to the consent page');
    assert.equal((await tp.provider.interactions.details(uid2)).prompt, 'consent');
  });

  test('an account with a second factor that the host\'s login did not use: the request goes on at that level (voluntary) or fails (required) — the host is not asked again', async () => {
    const accounts: Accounts = {
      ...hostAccounts,
      async findById(id) {
        const account = await hostAccounts.findById(id);
        return account && { ...account, secondFactor: 'otp' as const };
      },
    };
    const tp = await testProvider({
      clients: [{ client_id: 'app', client_secret: SEED_SECRET, grant_types: ['authorization_code'] }],
      host: { accounts, interactionUrl: (uid) => `${HOST_PAGE}?uid=${encodeURIComponent(uid)}` },
    });
    const jar = new CookieJar();
    const uid = await startAt(tp, jar, { acr_values: 'urn:latchkey:loa:2fa' });
    const login = await tp.provider.interactions.finish(uid, { login: { accountId: 'user-7', amr: ['pwd'] } });
    assert.equal((await browse(tp, jar, login.redirectTo)).headers.get('location'), `${HOST_PAGE}?uid=${encodeURIComponent(uid)}`);
    assert.equal((await tp.provider.interactions.details(uid)).prompt, 'consent', 'on to consent, not the login again');

    const other = new CookieJar();
    const uid3 = await startAt(tp, other, { claims: JSON.stringify({ id_token: { acr: { essential: true, values: ['urn:latchkey:loa:2fa'] } } }) });
    const below = await tp.provider.interactions.finish(uid3, { login: { accountId: 'user-7', amr: ['pwd'] } });
    assert.equal(new URL((await browse(tp, other, below.redirectTo)).headers.get('location')!).searchParams.get('error'), 'unmet_authentication_requirements');
  });

  test('login then consent on the host pages → a code whose tokens carry the host login (amr, acr) and only the granted scopes', async () => {
    const tp = await hostProvider();
    const jar = new CookieJar();
    const uid = await startAt(tp, jar, { login_hint: 'grace', acr_values: 'urn:example:loa:2 urn:example:loa:1', ui_locales: 'fr' });

    const asked = await tp.provider.interactions.details(uid);
    assert.equal(asked.prompt, 'login');
    assert.deepEqual(asked.client, { client_id: 'app' });
    assert.deepEqual(asked.scopes, ['openid', 'profile', 'email']);
    assert.equal(asked.loginHint, 'grace');
    assert.equal(asked.uiLocales, 'fr');
    assert.deepEqual(asked.acrValues, ['urn:example:loa:2', 'urn:example:loa:1']);
    assert.equal(asked.device, false);
    assert.equal(asked.accountId, undefined);

    const afterLogin = await tp.provider.interactions.finish(uid, { login: { accountId: 'user-7', amr: ['pwd', 'otp'], acr: 'urn:example:loa:2' } });
    assert.equal(afterLogin.redirectTo, `${ISSUER}/interaction/${uid}/resume`);
    const toConsent = await browse(tp, jar, afterLogin.redirectTo);
    assert.equal(toConsent.status, 303);
    assert.equal(toConsent.headers.get('location'), `${HOST_PAGE}?uid=${encodeURIComponent(uid)}`);
    assert.ok(jar.values.has('latchkey_session'), 'the resume sets the session cookie in the browser');

    const consentAsked = await tp.provider.interactions.details(uid);
    assert.equal(consentAsked.prompt, 'consent');
    assert.equal(consentAsked.accountId, 'user-7');
    assert.ok(consentAsked.descriptions.some((line) => line.scope === 'email'));

    const afterConsent = await tp.provider.interactions.finish(uid, { consent: { scopes: ['openid', 'profile'] } });
    const toClient = await browse(tp, jar, afterConsent.redirectTo);
    assert.equal(toClient.status, 303);
    const callback = new URL(toClient.headers.get('location')!);
    assert.equal(callback.origin + callback.pathname, 'https://rp.example/cb');
    assert.equal(callback.searchParams.get('state'), 's1');
    const code = callback.searchParams.get('code')!;

    const { response, body } = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' }, { authorization: basicAuth('app', SEED_SECRET) });
    assert.equal(response.status, 200);
    assert.equal(body.scope, 'openid profile');
    const idToken = decodeJwt(String(body.id_token));
    assert.equal(idToken.sub, 'user-7');
    assert.equal(idToken.acr, 'urn:example:loa:2');
    assert.deepEqual(idToken.amr, ['pwd', 'otp']);
    assert.equal(idToken.nonce, 'n1');

    const userinfo = await tp.provider.fetch(new Request(`${ISSUER}/userinfo`, { headers: { authorization: `Bearer ${String(body.access_token)}` } }));
    assert.deepEqual(await userinfo.json(), { sub: 'user-7', name: 'Grace Hopper' });

    // The refreshed ID token keeps the login's acr.
    const refreshed = await postForm(tp, '/token', { grant_type: 'refresh_token', refresh_token: String(body.refresh_token) }, { authorization: basicAuth('app', SEED_SECRET) });
    assert.equal(refreshed.response.status, 200, refreshed.text);
    assert.equal(decodeJwt(String(refreshed.body.id_token)).acr, 'urn:example:loa:2');

    // The consent is remembered: the next request for the same scopes goes straight back.
    const again = await browse(tp, jar, authorizeUrl({ client_id: 'app', response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid profile', state: 's2' }));
    assert.equal(again.status, 302);
    assert.ok(new URL(again.headers.get('location')!).searchParams.has('code'));
  });

  test('one result with login and consent finishes in one resume; prompt=consent is satisfied by it', async () => {
    const tp = await hostProvider();
    const jar = new CookieJar();
    const uid = await startAt(tp, jar, { prompt: 'consent' });
    const { redirectTo } = await tp.provider.interactions.finish(uid, { login: { accountId: 'user-7' }, consent: {} });
    const toClient = await browse(tp, jar, redirectTo);
    assert.equal(toClient.status, 303);
    assert.ok(new URL(toClient.headers.get('location')!).searchParams.has('code'));
    await assert.rejects(tp.provider.interactions.details(uid), InvalidRequest, 'a finished interaction is gone');
  });

  test('a refusal goes to the client as an error with state; the interaction ends', async () => {
    const tp = await hostProvider();
    const jar = new CookieJar();
    const uid = await startAt(tp, jar);
    const { redirectTo } = await tp.provider.interactions.finish(uid, { error: 'access_denied', error_description: 'the user said no' });
    const toClient = await browse(tp, jar, redirectTo);
    const callback = new URL(toClient.headers.get('location')!);
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    assert.equal(callback.searchParams.get('error_description'), 'the user said no');
    assert.equal(callback.searchParams.get('state'), 's1');
    assert.ok(tp.events.some((event) => event.name === 'consent.denied'));
  });

  test('the resume works only in the browser that started the interaction', async () => {
    const tp = await hostProvider();
    const uid = await startAt(tp, new CookieJar());
    const { redirectTo } = await tp.provider.interactions.finish(uid, { login: { accountId: 'user-7' }, consent: {} });
    const stranger = new CookieJar();
    const response = await browse(tp, stranger, redirectTo);
    assert.equal(response.status, 400);
    assert.match(await response.text(), /started in another browser/);
    assert.equal(stranger.values.has('latchkey_session'), false);
  });

  test('finish refuses what was not asked, unknown accounts and malformed results, and stores nothing', async () => {
    const tp = await hostProvider();
    const jar = new CookieJar();
    const uid = await startAt(tp, jar, { scope: 'openid profile' });
    const refused = async (result: unknown, message: RegExp) =>
      assert.rejects(tp.provider.interactions.finish(uid, result as never), (error: unknown) => error instanceof InvalidRequest && message.test(error.message));

    await refused({ login: { accountId: 'nobody' } }, /login\.accountId: no such account/);
    await refused({ login: { accountId: 'user-7' }, consent: { scopes: ['openid', 'email'] } }, /consent\.scopes: email was not requested/);
    await refused({ login: { accountId: 'user-7' }, extra: true }, /unrecognized key/i);
    await refused({}, /needs login, consent or error/);
    await refused({ error: 'server_error' }, /error/);
    await refused({ error: 'access_denied', error_description: 'bad "quote"' }, /printable ASCII/);
    await assert.rejects(tp.provider.interactions.finish('no-such-uid', { consent: {} }), /unknown, expired or already finished/);

    // Nothing was stored: the resume just sends the browser back to the host's page.
    const back = await browse(tp, jar, `${ISSUER}/interaction/${uid}/resume`);
    assert.equal(back.status, 303);
    assert.equal(new URL(back.headers.get('location')!).origin + new URL(back.headers.get('location')!).pathname, HOST_PAGE);
    assert.equal(jar.values.has('latchkey_session'), false);
  });

  test('with interactionUrl the built-in login and consent pages are not served', async () => {
    const tp = await hostProvider();
    const jar = new CookieJar();
    const uid = await startAt(tp, jar);
    const page = await browse(tp, jar, `${ISSUER}/interaction/${uid}`);
    assert.equal(page.status, 404);
    const post = await tp.provider.fetch(new Request(`${ISSUER}/interaction/${uid}/login`, { method: 'POST', headers: { cookie: jar.header() }, body: new URLSearchParams({ username: 'grace', password: 'x' }) }));
    assert.equal(post.status, 404);
  });

  test('accounts without authenticate() need interactionUrl: createProvider says so', async () => {
    await assert.rejects(testProvider({ host: { accounts: hostAccounts } }), /needs accounts\.authenticate\(\)/);
  });

  test('the built-in pages are the same hook: login and Allow produce the same grant as a host result', async () => {
    const tp = await testProvider({ clients: [{ client_id: 'app', client_secret: SEED_SECRET }], accounts: [ALICE] });
    const jar = new CookieJar();
    const start = await browse(tp, jar, authorizeUrl({ client_id: 'app', response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid' }));
    const uid = new URL(start.headers.get('location')!).pathname.split('/').pop()!;
    const details = await tp.provider.interactions.details(uid);
    assert.equal(details.prompt, 'login');
    assert.equal(start.headers.get('location'), `${ISSUER}/interaction/${uid}`);
  });
});
