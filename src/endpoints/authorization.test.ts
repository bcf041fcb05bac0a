import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALICE, authorizeUrl, CookieJar, ISSUER, obtainCode, PKCE, runBrowserlessFlow, SEED_SECRET, testProvider, type TestProvider } from '../../test/helpers/index.js';

const WEB = { client_id: 'app', client_secret: SEED_SECRET, client_name: 'Example App', grant_types: ['authorization_code', 'refresh_token'] };
const PUBLIC = { client_id: 'spa', token_endpoint_auth_method: 'none' };
const CB = 'https://rp.example/cb';

function setup(config = {}): Promise<TestProvider> {
  return testProvider({ clients: [WEB, PUBLIC], accounts: [ALICE], config });
}

function get(tp: TestProvider, params: Record<string, string>, jar?: CookieJar): Promise<Response> {
  return tp.provider.fetch(new Request(authorizeUrl(params), { headers: jar ? { cookie: jar.header() } : {} }));
}

function login(tp: TestProvider, params: Record<string, string>, options: { jar?: CookieJar; decision?: 'allow' | 'deny'; password?: string } = {}) {
  return runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ response_type: 'code', redirect_uri: CB, ...params }), {
    credentials: { username: String(ALICE.username), password: options.password ?? String(ALICE.password) },
    decision: options.decision ?? 'allow',
    ...(options.jar ? { jar: options.jar } : {}),
  });
}

/** Asserts an error redirect to the client: error, description, state and iss (RFC 9207). */
function assertRedirectError(response: Response, error: string, description: string, state?: string) {
  assert.equal(response.status, 302);
  const location = new URL(response.headers.get('location')!);
  assert.equal(`${location.origin}${location.pathname}`, CB);
  const expected: Record<string, string> = { error, error_description: description, iss: ISSUER };
  if (state) expected.state = state;
  assert.deepEqual(Object.fromEntries(location.searchParams), expected);
}

async function assertErrorPage(response: Response, description: string) {
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('location'), null);
  assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  assert.ok((await response.text()).includes(description), `page says: ${description}`);
}

describe('authorization endpoint: errors shown on a page (client or redirect_uri unverified)', () => {
  test('authorize: missing client_id → error page, no redirect', async () => {
    const tp = await setup();
    await assertErrorPage(await get(tp, { response_type: 'code', redirect_uri: CB }), 'missing required parameter: client_id');
  });

  test('authorize: unknown client_id → error page, no redirect', async () => {
    const tp = await setup();
    await assertErrorPage(await get(tp, { client_id: 'nobody', response_type: 'code', redirect_uri: CB }), 'client_id is not a registered client');
  });

  test('authorize: unregistered redirect_uri → error page, never a redirect', async () => {
    const tp = await setup();
    await assertErrorPage(await get(tp, { client_id: 'app', response_type: 'code', redirect_uri: 'https://evil.example/cb', scope: 'openid' }), 'redirect_uri is not registered for this client');
  });

  test('authorize: redirect_uri differing only by a trailing slash or query → error page (exact match)', async () => {
    const tp = await setup();
    for (const uri of [`${CB}/`, `${CB}?x=1`, 'https://RP.example/cb', 'https://rp.example/cb#']) {
      const response = await get(tp, { client_id: 'app', response_type: 'code', redirect_uri: uri, scope: 'openid' });
      assert.equal(response.status, 400, uri);
      assert.equal(response.headers.get('location'), null, uri);
    }
  });

  test('authorize: OpenID request without redirect_uri → error page', async () => {
    const tp = await setup();
    await assertErrorPage(await get(tp, { client_id: 'app', response_type: 'code', scope: 'openid' }), 'missing required parameter: redirect_uri');
  });

  test('authorize: repeated parameter → error page', async () => {
    const tp = await setup();
    const response = await tp.provider.fetch(new Request(`${ISSUER}/authorize?client_id=app&client_id=app&response_type=code&redirect_uri=${encodeURIComponent(CB)}`));
    await assertErrorPage(response, 'parameter client_id is repeated');
  });
});

describe('authorization endpoint: errors redirected to the client', () => {
  test('authorize: missing response_type → invalid_request at the redirect URI with state and iss', async () => {
    const tp = await setup();
    assertRedirectError(await get(tp, { client_id: 'app', redirect_uri: CB, scope: 'openid', state: 'xyz' }), 'invalid_request', 'missing required parameter: response_type', 'xyz');
  });

  test('authorize: response_type token → unsupported_response_type', async () => {
    const tp = await setup();
    assertRedirectError(await get(tp, { client_id: 'app', redirect_uri: CB, scope: 'openid', response_type: 'token', state: 's' }), 'unsupported_response_type', 'response_type token is not supported', 's');
  });

  test('authorize: unsupported response_mode → invalid_request', async () => {
    const tp = await setup();
    assertRedirectError(await get(tp, { client_id: 'app', redirect_uri: CB, scope: 'openid', response_type: 'code', response_mode: 'web_message' }), 'invalid_request', 'response_mode web_message is not supported');
  });

  test('authorize: no grantable scope → invalid_scope', async () => {
    const tp = await setup();
    assertRedirectError(await get(tp, { client_id: 'app', redirect_uri: CB, scope: 'unknown', response_type: 'code' }), 'invalid_scope', 'no requested scope can be granted to this client');
  });

  test('authorize: public client without code_challenge → invalid_request', async () => {
    const tp = await setup();
    assertRedirectError(await get(tp, { client_id: 'spa', redirect_uri: CB, scope: 'openid', response_type: 'code' }), 'invalid_request', 'code_challenge is required for public clients (PKCE, S256)');
  });

  test('authorize: code_challenge_method plain (or absent) → invalid_request', async () => {
    const tp = await setup();
    for (const method of ['plain', undefined]) {
      const params: Record<string, string> = { client_id: 'spa', redirect_uri: CB, scope: 'openid', response_type: 'code', code_challenge: PKCE.code_challenge };
      if (method) params.code_challenge_method = method;
      assertRedirectError(await get(tp, params), 'invalid_request', 'code_challenge_method must be S256');
    }
  });

  test('authorize: malformed code_challenge → invalid_request', async () => {
    const tp = await setup();
    assertRedirectError(await get(tp, { client_id: 'spa', redirect_uri: CB, scope: 'openid', response_type: 'code', code_challenge: 'short', code_challenge_method: 'S256' }), 'invalid_request', 'code_challenge must be 43 base64url characters');
  });

  test('authorize: pkceRequired all_clients → a confidential client without challenge is refused', async () => {
    const tp = await setup({ pkceRequired: 'all_clients' });
    assertRedirectError(await get(tp, { client_id: 'app', redirect_uri: CB, scope: 'openid', response_type: 'code' }), 'invalid_request', 'code_challenge is required (PKCE, S256)');
  });

  test('authorize: a request_uri the client did not register → an error page (nothing fetched, the redirect URI unverified); registration → registration_not_supported', async () => {
    const tp = await setup();
    const base = { client_id: 'app', redirect_uri: CB, scope: 'openid', response_type: 'code' };
    await assertErrorPage(await get(tp, { ...base, request_uri: 'urn:x' }), 'request_uri is not registered for this client (request_uris)');
    assertRedirectError(await get(tp, { ...base, registration: '{}' }), 'registration_not_supported', 'the registration parameter is not supported');
  });

  test('authorize: prompt none with another value → invalid_request', async () => {
    const tp = await setup();
    assertRedirectError(await get(tp, { client_id: 'app', redirect_uri: CB, scope: 'openid', response_type: 'code', prompt: 'none login' }), 'invalid_request', 'prompt none must be the only value');
  });

  test('authorize: malformed max_age → invalid_request', async () => {
    const tp = await setup();
    assertRedirectError(await get(tp, { client_id: 'app', redirect_uri: CB, scope: 'openid', response_type: 'code', max_age: '-1' }), 'invalid_request', 'max_age must be a non-negative integer');
  });

  test('authorize: id_token_hint not signed by this server → invalid_request', async () => {
    const tp = await setup();
    assertRedirectError(await get(tp, { client_id: 'app', redirect_uri: CB, scope: 'openid', response_type: 'code', id_token_hint: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' }), 'invalid_request', 'id_token_hint is not a valid ID token issued by this server');
  });

  test('authorize: prompt=none without a session → login_required', async () => {
    const tp = await setup();
    assertRedirectError(await get(tp, { client_id: 'app', redirect_uri: CB, scope: 'openid', response_type: 'code', prompt: 'none', state: 'st' }), 'login_required', 'the end-user is not logged in', 'st');
  });

  test('authorize: prompt=none, logged in but no consent → consent_required', async () => {
    const tp = await setup();
    const jar = new CookieJar();
    await login(tp, { client_id: 'app', scope: 'openid' }, { jar });
    assertRedirectError(await get(tp, { client_id: 'app', redirect_uri: CB, scope: 'openid email', response_type: 'code', prompt: 'none' }, jar), 'consent_required', 'the end-user has not consented');
  });

  test('authorize: Deny on the consent page → access_denied at the redirect URI', async () => {
    const tp = await setup();
    const result = await login(tp, { client_id: 'app', scope: 'openid', state: 'abc' }, { decision: 'deny' });
    assert.equal(result.response.status, 303);
    assert.deepEqual(Object.fromEntries(result.redirect!.searchParams), { error: 'access_denied', error_description: 'the end-user denied the request', state: 'abc', iss: ISSUER });
  });
});

describe('authorization endpoint: login, session and consent', () => {
  test('authorize: first visit → login page, then consent page, then a code with state and iss', async () => {
    const tp = await setup();
    const result = await login(tp, { client_id: 'app', scope: 'openid profile', state: 'af0ifjsldkj' });
    assert.deepEqual(result.pages, ['login', 'consent']);
    assert.equal(result.response.status, 303);
    const params = Object.fromEntries(result.redirect!.searchParams);
    assert.deepEqual(Object.keys(params).sort(), ['code', 'iss', 'state']);
    assert.equal(params.state, 'af0ifjsldkj');
    assert.equal(params.iss, ISSUER);
    assert.match(params.code!, /^[A-Za-z0-9_-]{43}$/);
  });

  test('authorize: wrong password → the login page again with an error, 401, no session', async () => {
    const tp = await setup();
    const jar = new CookieJar();
    const result = await login(tp, { client_id: 'app', scope: 'openid' }, { jar, password: 'wrong password' });
    assert.equal(result.response.status, 401);
    const html = await result.response.text();
    assert.match(html, /role="alert"/);
    assert.ok(html.includes('The username or password is incorrect.'));
    assert.equal(jar.values.has('latchkey_session'), false);
  });

  test('authorize: second authorization in the same browser → no login, no consent, a code at once', async () => {
    const tp = await setup();
    const jar = new CookieJar();
    await login(tp, { client_id: 'app', scope: 'openid profile' }, { jar });
    const response = await get(tp, { client_id: 'app', redirect_uri: CB, scope: 'openid profile', response_type: 'code', state: 's2' }, jar);
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location')!);
    assert.equal(location.searchParams.get('state'), 's2');
    assert.ok(location.searchParams.get('code'));
  });

  test('authorize: consent is remembered per scope set → a wider scope asks again', async () => {
    const tp = await setup();
    const jar = new CookieJar();
    await login(tp, { client_id: 'app', scope: 'openid' }, { jar });
    const again = await login(tp, { client_id: 'app', scope: 'openid email' }, { jar });
    assert.deepEqual(again.pages, ['consent']);
  });

  test('authorize: prompt=login → the login page even with a session', async () => {
    const tp = await setup();
    const jar = new CookieJar();
    await login(tp, { client_id: 'app', scope: 'openid' }, { jar });
    const again = await login(tp, { client_id: 'app', scope: 'openid', prompt: 'login' }, { jar });
    assert.deepEqual(again.pages, ['login']);
    assert.ok(again.redirect?.searchParams.get('code'));
  });

  test('authorize: prompt=consent → the consent page even when consent is remembered', async () => {
    const tp = await setup();
    const jar = new CookieJar();
    await login(tp, { client_id: 'app', scope: 'openid' }, { jar });
    const again = await login(tp, { client_id: 'app', scope: 'openid', prompt: 'consent' }, { jar });
    assert.deepEqual(again.pages, ['consent']);
  });

  test('authorize: max_age exceeded → login again, and auth_time moves', async () => {
    const tp = await setup();
    const jar = new CookieJar();
    await login(tp, { client_id: 'app', scope: 'openid' }, { jar });
    tp.clock.advance(120);
    const again = await login(tp, { client_id: 'app', scope: 'openid', max_age: '60' }, { jar });
    assert.deepEqual(again.pages, ['login']);
    const within = await login(tp, { client_id: 'app', scope: 'openid', max_age: '600' }, { jar });
    assert.deepEqual(within.pages, []);
  });

  test('authorize: a login asked again in the same browser — the same account goes on in its session (its sid), another account gets a session of its own', async () => {
    const tp = await setup();
    await tp.provider.context.storage.accounts.create({ sub: 'sub-bob', username: 'bob', password_hash: (await tp.provider.context.storage.accounts.findByUsername('alice'))!.password_hash!, email_verified: false, claims: {}, roles: [], disabled: false, created_at: 0, updated_at: 0 });
    const jar = new CookieJar();
    const sessionOf = async () => (await tp.provider.context.storage.artifacts.list('session', { limit: 10 })).items.map((session) => `${session.value.sub}:${session.value.sid}`);
    await login(tp, { client_id: 'app', scope: 'openid' }, { jar });
    const [first] = await sessionOf();
    await login(tp, { client_id: 'app', scope: 'openid', prompt: 'login' }, { jar });
    assert.deepEqual(await sessionOf(), [first], 'alice again: the same sid');
    await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ response_type: 'code', redirect_uri: CB, client_id: 'app', scope: 'openid', prompt: 'login' }), { credentials: { username: 'bob', password: String(ALICE.password) }, decision: 'allow', jar });
    const [bobs] = await sessionOf();
    assert.ok(bobs?.startsWith('sub-bob:'));
    assert.notEqual(bobs!.split(':')[1], first!.split(':')[1], 'bob in the same browser: a sid of his own');
  });

  test('authorize: login_hint pre-fills the username', async () => {
    const tp = await setup();
    const result = await runBrowserlessFlow((r) => tp.provider.fetch(r), authorizeUrl({ client_id: 'app', response_type: 'code', redirect_uri: CB, scope: 'openid', login_hint: 'alice@example.com' }), {});
    assert.match(await result.response.text(), /name="username"[^>]*value="alice@example.com"|value="alice@example.com"[^>]*name="username"/);
  });

  test('authorize: response_mode=form_post → an auto-submitting form to the redirect URI', async () => {
    const tp = await setup();
    const result = await login(tp, { client_id: 'app', scope: 'openid', response_mode: 'form_post', state: 'fp' });
    assert.equal(result.response.status, 200);
    const html = await result.response.text();
    assert.match(html, new RegExp(`<form[^>]*action="${CB}"`));
    assert.match(html, /name="code"/);
    assert.match(html, /name="state"[^>]*value="fp"|value="fp"[^>]*name="state"/);
    assert.match(html, new RegExp(`value="${ISSUER}"`));
  });

  test('authorize: POST /authorize works like GET', async () => {
    const tp = await setup();
    const jar = new CookieJar();
    await login(tp, { client_id: 'app', scope: 'openid' }, { jar });
    const response = await tp.provider.fetch(new Request(`${ISSUER}/authorize`, {
      method: 'POST',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'app', redirect_uri: CB, scope: 'openid', response_type: 'code' }),
    }));
    assert.equal(response.status, 303);
    assert.ok(new URL(response.headers.get('location')!).searchParams.get('code'));
  });

  test('authorize: login form POST without the CSRF token → error page, no session', async () => {
    const tp = await setup();
    const start = await get(tp, { client_id: 'app', redirect_uri: CB, scope: 'openid', response_type: 'code' });
    const jar = new CookieJar();
    jar.store(start);
    const response = await tp.provider.fetch(new Request(`${start.headers.get('location')}/login`, {
      method: 'POST',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'alice', password: String(ALICE.password) }),
    }));
    await assertErrorPage(response, 'the form has expired; reload the page and try again');
    assert.equal(response.headers.getSetCookie().length, 0);
  });

  test('authorize: an interaction opened in another browser (no binding cookie) → error page', async () => {
    const tp = await setup();
    const start = await get(tp, { client_id: 'app', redirect_uri: CB, scope: 'openid', response_type: 'code' });
    const response = await tp.provider.fetch(new Request(start.headers.get('location')!));
    await assertErrorPage(response, 'this sign-in request was started in another browser; start again from the application');
  });

  test('authorize: pages carry the security headers', async () => {
    const tp = await setup();
    const jar = new CookieJar();
    const start = await get(tp, { client_id: 'app', redirect_uri: CB, scope: 'openid', response_type: 'code' });
    jar.store(start);
    const page = await tp.provider.fetch(new Request(start.headers.get('location')!, { headers: { cookie: jar.header() } }));
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const cookie = start.headers.getSetCookie()[0]!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Secure/);
  });

  test('authorize: too many failed logins for an account → 429 without checking the password', async () => {
    const tp = await setup({ loginMaxFailuresPerAccount: 2 });
    for (let i = 0; i < 2; i += 1) {
      const failed = await login(tp, { client_id: 'app', scope: 'openid' }, { password: 'wrong password' });
      assert.equal(failed.response.status, 401);
    }
    const blocked = await login(tp, { client_id: 'app', scope: 'openid' });
    assert.equal(blocked.response.status, 429);
    assert.ok((await blocked.response.text()).includes('Too many failed sign-in attempts'));
    tp.clock.advance(901);
    const after = await login(tp, { client_id: 'app', scope: 'openid' });
    assert.ok(after.redirect?.searchParams.get('code'));
  });

  test('authorize: failed logins are counted per address, an IPv6 address by its /64 → 429 from another address of that /64; the next /64 signs in', async () => {
    const tp = await setup({ loginMaxFailuresPerAddress: 2, loginMaxFailuresPerAccount: 100 });
    const from = (remoteAddress: string, password?: string) =>
      runBrowserlessFlow((request) => tp.provider.fetch(request, { remoteAddress }), authorizeUrl({ response_type: 'code', redirect_uri: CB, client_id: 'app', scope: 'openid' }), {
        credentials: { username: String(ALICE.username), password: password ?? String(ALICE.password) },
        decision: 'allow',
      });
    assert.equal((await from('2001:db8::1', 'wrong password')).response.status, 401);
    assert.equal((await from('2001:db8::2:1', 'wrong password')).response.status, 401);
    const blocked = await from('2001:db8:0:0:ffff::9');
    assert.equal(blocked.response.status, 429, 'another address of the same /64');
    assert.ok((await blocked.response.text()).includes('Too many failed sign-in attempts'), 'the throttled page');
    assert.ok((await from('2001:db8:0:1::1')).redirect?.searchParams.get('code'), 'the next /64 is not counted');
  });

  test('authorize: id_token_hint for another subject → login is asked again', async () => {
    const tp = await testProvider({ clients: [WEB], accounts: [ALICE, { username: 'bob', password: 'bob password 123' }] });
    const jar = new CookieJar();
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid' }, jar);
    assert.ok(code);
    const bobJar = new CookieJar();
    const bob = await runBrowserlessFlow((r) => tp.provider.fetch(r), authorizeUrl({ client_id: 'app', response_type: 'code', redirect_uri: CB, scope: 'openid' }), {
      credentials: { username: 'bob', password: 'bob password 123' }, decision: 'allow', jar: bobJar,
    });
    const bobCode = bob.redirect!.searchParams.get('code')!;
    const tokens = await tp.provider.fetch(new Request(`${ISSUER}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`app:${SEED_SECRET}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: bobCode, redirect_uri: CB }),
    }));
    const { id_token } = (await tokens.json()) as { id_token: string };
    const response = await get(tp, { client_id: 'app', redirect_uri: CB, scope: 'openid', response_type: 'code', prompt: 'none', id_token_hint: id_token }, jar);
    assertRedirectError(response, 'login_required', 'the end-user is not logged in');
  });
});
