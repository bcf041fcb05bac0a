/**
 * The admin web UI in process: sign-in through latchkey's own login page, the session cookie,
 * CSRF and Origin checks on every form, the security headers of every page, validation errors
 * beside their fields, and secrets shown once.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { CookieJar, hiddenInput } from '../../../test/helpers/browserless.js';
import { consoleGet, consolePost, signInToConsole, type ConsoleSession } from '../../../test/helpers/console.js';
import { ALICE, ISSUER, testProvider, type TestProvider } from '../../../test/helpers/index.js';
import { ADMIN_PAGE_ROUTES } from './routes.js';

const BOB = { username: 'bob', password: 'bob-password-long', email: 'bob@example.com' };
const CLIENT = { client_id: 'shop', client_secret: 'shop-secret-0123456789abcdef0123456789', client_name: 'Shop' };

async function setup(): Promise<{ tp: TestProvider; admin: ConsoleSession }> {
  const tp = await testProvider({ accounts: [{ ...ALICE, roles: ['admin'] }, BOB], clients: [CLIENT] });
  return { tp, admin: await signInToConsole(tp, 'alice', String(ALICE.password)) };
}

/** The Set-Cookie line of `name` in `response`. */
function setCookie(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

describe('admin console: sign-in', () => {
  test('admin console: a page without a session → /authorize as latchkey-admin with PKCE S256 and state; the sign-in cookie is sealed, HttpOnly, Lax, on /admin/callback', async () => {
    const tp = await testProvider();
    const response = await tp.provider.fetch(new Request(`${ISSUER}/admin/clients?search=x`));
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location')!);
    assert.equal(`${location.origin}${location.pathname}`, `${ISSUER}/authorize`);
    assert.equal(location.searchParams.get('client_id'), 'latchkey-admin');
    assert.equal(location.searchParams.get('response_type'), 'code');
    assert.equal(location.searchParams.get('redirect_uri'), `${ISSUER}/admin/callback`);
    assert.equal(location.searchParams.get('scope'), 'openid latchkey:admin');
    assert.equal(location.searchParams.get('code_challenge_method'), 'S256');
    assert.match(location.searchParams.get('code_challenge')!, /^[\w-]{43}$/);
    assert.match(location.searchParams.get('state')!, /^[\w-]{43}$/);
    const cookie = setCookie(response, 'latchkey_admin_sign_in')!;
    assert.match(cookie, /; Path=\/admin\/callback/);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.ok(!cookie.includes(location.searchParams.get('state')!), 'the state is sealed, not readable in the cookie');
  });

  test('admin console: signing in returns to the page first asked for; the session cookie is HttpOnly, Secure, SameSite=Strict, Path=/admin', async () => {
    const tp = await testProvider({ accounts: [{ ...ALICE, roles: ['admin'] }] });
    const jar = new CookieJar();
    const start = await tp.provider.fetch(new Request(`${ISSUER}/admin/users?search=ali`));
    jar.store(start);
    const { runBrowserlessFlow } = await import('../../../test/helpers/browserless.js');
    const flow = await runBrowserlessFlow((request) => tp.provider.fetch(request), start.headers.get('location')!, { credentials: { username: 'alice', password: String(ALICE.password) }, jar });
    assert.deepEqual(flow.pages, ['login'], 'latchkey\'s own login page; no consent for the console');
    const callback = await tp.provider.fetch(new Request(flow.redirect!.href, { headers: { cookie: jar.header() } }));
    assert.equal(callback.status, 200);
    assert.match(await callback.text(), /<meta http-equiv="refresh" content="0;url=\/admin\/users\?search=ali"/);
    const cookie = setCookie(callback, 'latchkey_admin')!;
    assert.match(cookie, /; Path=\/admin;/);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /; SameSite=Strict/);
    jar.store(callback);
    const page = await tp.provider.fetch(new Request(`${ISSUER}/admin/users?search=ali`, { headers: { cookie: jar.header() } }));
    assert.equal(page.status, 200);
    assert.match(await page.text(), />alice</);
  });

  test('admin console: a callback with a wrong or missing state, or without the sign-in cookie → 400 error page, no session cookie', async () => {
    const tp = await testProvider({ accounts: [{ ...ALICE, roles: ['admin'] }] });
    const start = await tp.provider.fetch(new Request(`${ISSUER}/admin`));
    const jar = new CookieJar();
    jar.store(start);
    const cases = [
      { query: 'code=abc&state=wrong', cookie: jar.header() },
      { query: 'code=abc', cookie: jar.header() },
      { query: `code=abc&state=${new URL(start.headers.get('location')!).searchParams.get('state')}`, cookie: '' },
    ];
    for (const { query, cookie } of cases) {
      const response = await tp.provider.fetch(new Request(`${ISSUER}/admin/callback?${query}`, { headers: { cookie } }));
      assert.equal(response.status, 400, query);
      assert.match(await response.text(), /Sign-in failed/);
      assert.deepEqual(response.headers.getSetCookie(), [], 'no cookie is set');
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
    }
  });

  test('admin console: a user without the admin role → 403 "you are not an administrator" with a sign-out form', async () => {
    const tp = await testProvider({ accounts: [{ ...ALICE, roles: ['admin'] }, BOB] });
    const bob = await signInToConsole(tp, 'bob', BOB.password);
    const { response: page, text } = await consoleGet(tp, bob, '/admin/clients');
    assert.equal(page.status, 403);
    assert.match(text, /You are not an administrator/);
    assert.match(text, /<form method="post" action="\/admin\/sign-out">/);
    assert.ok(hiddenInput(text, 'csrf_token'));
    assert.ok(!text.includes('>shop<'), 'nothing of the console is shown');
  });

  test('admin console: sign-out revokes the token, clears the cookie and ends the login session at /end_session', async () => {
    const { tp, admin } = await setup();
    const response = await consolePost(tp, admin, '/admin/sign-out', {});
    assert.equal(response.response.status, 303);
    const location = new URL(response.response.headers.get('location')!);
    assert.equal(`${location.origin}${location.pathname}`, `${ISSUER}/end_session`);
    assert.equal(location.searchParams.get('post_logout_redirect_uri'), `${ISSUER}/admin/signed-out`);
    assert.ok(location.searchParams.get('id_token_hint'));
    assert.match(setCookie(response.response, 'latchkey_admin')!, /Max-Age=0/);

    // The old cookie is worthless now: its token was revoked.
    const again = await consoleGet(tp, admin, '/admin/clients');
    assert.equal(again.response.status, 302);
    assert.match(again.response.headers.get('location')!, /\/authorize\?/);

    const ended = await tp.provider.fetch(new Request(location.href, { headers: { cookie: admin.jar.header() } }));
    assert.equal(ended.status, 303);
    assert.equal(ended.headers.get('location'), `${ISSUER}/admin/signed-out`);
    const signedOut = await tp.provider.fetch(new Request(`${ISSUER}/admin/signed-out`));
    assert.equal(signedOut.status, 200);
    assert.match(await signedOut.text(), /You are signed out/);
  });
});

describe('admin console: forms and headers', () => {
  test('admin console: a POST without the CSRF token, with another session\'s, from a foreign Origin, or not a form → 403 and nothing changed', async () => {
    const { tp, admin } = await setup();
    const other = await signInToConsole(tp, 'alice', String(ALICE.password));
    assert.notEqual(other.csrfToken, admin.csrfToken, 'each session has its own token');
    const attempts = [
      consolePost(tp, admin, '/admin/clients/shop/disable', {}, { csrfToken: null }),
      consolePost(tp, admin, '/admin/clients/shop/disable', {}, { csrfToken: other.csrfToken }),
      consolePost(tp, admin, '/admin/clients/shop/disable', {}, { csrfToken: 'x'.repeat(43) }),
      consolePost(tp, admin, '/admin/clients/shop/disable', {}, { origin: 'https://evil.example' }),
      consolePost(tp, admin, '/admin/clients/shop/disable', {}, { origin: null }),
    ];
    for (const attempt of await Promise.all(attempts)) {
      assert.equal(attempt.response.status, 403);
      assert.match(attempt.text, /Nothing was changed/);
      assert.equal(attempt.response.headers.get('x-frame-options'), 'DENY');
    }
    const json = await tp.provider.fetch(new Request(`${ISSUER}/admin/clients/shop/disable`, { method: 'POST', headers: { cookie: admin.jar.header(), origin: ISSUER, 'content-type': 'application/json' }, body: JSON.stringify({ csrf_token: admin.csrfToken }) }));
    assert.equal(json.status, 403);
    assert.equal((await tp.provider.context.storage.clients.find('shop'))?.disabled, undefined, 'the client is still enabled');

    const done = await consolePost(tp, admin, '/admin/clients/shop/disable', {});
    assert.equal(done.response.status, 303);
    assert.equal((await tp.provider.context.storage.clients.find('shop'))?.disabled, true);
  });

  test('admin console: every POST route refuses a form without the CSRF token, or from another origin (403), and nothing changes', async () => {
    const { tp, admin } = await setup();
    const sub = tp.accounts[1]!.sub;
    // Reading the audit log through the API first flushes what the sign-in queued.
    await consoleGet(tp, admin, '/admin/audit-events');
    const before = await tp.provider.context.storage.audit.list({}, { limit: 200 });
    const clientBefore = await tp.provider.context.storage.clients.find('shop');
    const posts = ADMIN_PAGE_ROUTES.filter((route) => route.method === 'POST').map((route) => `/admin${route.path}`
      .replace(':client_id', 'shop').replace(':sub', sub).replace(':resource', encodeURIComponent('https://api.example.com')).replace(':id', 'x').replace(':kid', 'k'));
    assert.ok(posts.length >= 20, `${posts.length} POST routes`);
    for (const path of [...posts, '/admin/sign-out']) {
      const fields = { username: 'mallory', password: 'mallory-password', redirect_uris: 'https://evil.example/cb', grant_types: 'authorization_code', resource: 'https://evil.example', scope: 'x', disabled: 'true' };
      for (const options of [{ csrfToken: null }, { origin: 'https://evil.example' }]) {
        const { response } = await consolePost(tp, admin, path, fields, options);
        assert.equal(response.status, 403, `${path} ${JSON.stringify(options)}`);
      }
    }
    await consoleGet(tp, admin, '/admin/audit-events');
    const after = await tp.provider.context.storage.audit.list({}, { limit: 200 });
    assert.deepEqual(after.items.map((event) => event.type), before.items.map((event) => event.type), 'no change was recorded');
    assert.deepEqual(await tp.provider.context.storage.clients.find('shop'), clientBefore);
    assert.equal(await tp.provider.context.storage.accounts.findByUsername('mallory'), undefined);
    assert.equal((await consoleGet(tp, admin, '/admin/clients')).response.status, 200, 'the session was not signed out');
  });

  test('admin console: every page sends CSP with frame-ancestors \'none\', X-Frame-Options DENY, no-referrer, nosniff and no-store', async () => {
    const { tp, admin } = await setup();
    const sub = tp.accounts[0]!.sub;
    const paths = ADMIN_PAGE_ROUTES.filter((route) => route.method === 'GET').map((route) => `/admin${route.path === '/' ? '' : route.path}`
      .replace(':client_id', 'shop').replace(':sub', sub).replace(':resource', encodeURIComponent('https://api.example.com')));
    await tp.provider.fetch(new Request(`${ISSUER}/admin/api/resource-servers`, { method: 'POST' })); // unauthenticated: ignored
    for (const path of [...paths, '/admin/nope', '/admin/signed-out', '/admin/callback']) {
      const { response } = await consoleGet(tp, admin, path);
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.match(csp, /default-src 'none'/, path);
      assert.match(csp, /form-action 'self'/, path);
      assert.match(csp, /script-src https:\/\/op\.test\/admin\/assets\//, path);
      assert.ok(!csp.includes('unsafe-inline'), path);
      assert.equal(response.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer', path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(response.headers.get('cache-control'), 'no-store', path);
    }
    const css = await consoleGet(tp, admin, '/admin/assets/admin.css');
    assert.equal(css.response.status, 200);
    assert.equal(css.response.headers.get('content-type'), 'text/css; charset=utf-8');
  });

  test('admin console: a validation error re-renders the form (400) with the message next to its field, keeping what was typed', async () => {
    const { tp, admin } = await setup();
    const { response, text } = await consolePost(tp, admin, '/admin/clients', { client_name: 'Typed Name', redirect_uris: 'not-a-uri', grant_types: 'authorization_code', token_endpoint_auth_method: 'client_secret_basic', application_type: 'web' });
    assert.equal(response.status, 400);
    assert.match(text, /<textarea id="redirect_uris" name="redirect_uris" rows="3" spellcheck="false" aria-invalid="true" aria-describedby="redirect_uris-error">not-a-uri<\/textarea><p class="field-error" id="redirect_uris-error">[^<]*not-a-uri[^<]*<\/p>/);
    assert.match(text, /name="client_name" value="Typed Name"/);
    assert.match(text, /role="alert"/);

    const badJson = await consolePost(tp, admin, '/admin/clients', { redirect_uris: 'https://rp.example/cb', grant_types: 'authorization_code', jwks: '{not json' });
    assert.equal(badJson.response.status, 400);
    assert.match(badJson.text, /id="jwks-error">must be JSON/);

    const sub = tp.accounts[1]!.sub;
    const password = await consolePost(tp, admin, `/admin/users/${sub}/password`, { password: 'short' });
    assert.equal(password.response.status, 400);
    assert.match(password.text, /id="password-error">must have at least 8 characters</);

    const taken = await consolePost(tp, admin, '/admin/users', { username: 'bob', email: 'b2@example.com' });
    assert.equal(taken.response.status, 400);
    assert.match(taken.text, /id="username-error">username bob is taken</);
    assert.match(taken.text, /name="email" value="b2@example.com"/);
  });

  test('admin console: a client\'s new secret is in the answer to the POST that made it, and in no later page', async () => {
    const { tp, admin } = await setup();
    const created = await consolePost(tp, admin, '/admin/clients', { client_id: 'fresh', client_name: 'Fresh', redirect_uris: 'https://rp.example/cb', grant_types: 'authorization_code', token_endpoint_auth_method: 'client_secret_basic', application_type: 'web' });
    assert.equal(created.response.status, 200);
    const first = /<code id="client-secret">([^<]+)<\/code>/.exec(created.text)?.[1];
    assert.ok(first);
    const rotated = await consolePost(tp, admin, '/admin/clients/fresh/secret', {});
    const second = /<code id="client-secret">([^<]+)<\/code>/.exec(rotated.text)?.[1];
    assert.ok(second && second !== first);
    const digest = (await tp.provider.context.storage.clients.find('fresh'))!.client_secret_digest;
    assert.equal(digest, createHash('sha256').update(second).digest('base64url'), 'the shown secret is the one that works');
    for (const path of ['/admin/clients/fresh', '/admin/clients', '/admin/clients/fresh/edit', '/admin/audit-events', '/admin']) {
      const { text } = await consoleGet(tp, admin, path);
      assert.ok(!text.includes(first) && !text.includes(second), `${path} shows no secret`);
    }
    for (const response of [created.response, rotated.response]) {
      assert.ok(!response.headers.getSetCookie().some((line) => line.includes(second) || line.includes(first)));
      assert.equal(response.headers.get('location'), null);
    }
  });
});

describe('admin console: observed like every request', () => {
  test('admin console: a page carries x-request-id and is counted once, by its route — its in-process admin API calls are not counted again', async () => {
    const { tp, admin } = await setup();
    const page = await consoleGet(tp, admin, '/admin/clients');
    assert.equal(page.response.status, 200);
    assert.match(page.response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const scrape = await (await tp.provider.fetch(new Request(`${ISSUER}/metrics`))).text();
    // signInToConsole opened /admin/clients once already.
    assert.match(scrape, /latchkey_http_requests_total\{method="GET",route="\/admin\/clients",status_class="2xx"\} 2\n/);
    assert.doesNotMatch(scrape, /route="\/admin\/api\//);
  });
});
