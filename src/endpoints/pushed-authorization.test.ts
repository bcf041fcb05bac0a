import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ALICE, assertOAuthError, basicAuth, CookieJar, ISSUER, PKCE, postForm, runBrowserlessFlow, SEED_SECRET, testProvider, type TestProvider,
} from '../../test/helpers/index.js';
import type { ConfigInput } from '../core/config.js';
import { REQUEST_URI_PREFIX } from '../interaction/pushed-request.js';

const WEB = { client_id: 'web', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token'] };
const OTHER = { client_id: 'other', client_secret: SEED_SECRET };
const SPA = { client_id: 'spa', token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] };
const STRICT = { client_id: 'strict', client_secret: SEED_SECRET, require_pushed_authorization_requests: true };

function setup(config: ConfigInput = {}): Promise<TestProvider> {
  return testProvider({ clients: [WEB, OTHER, SPA, STRICT], accounts: [ALICE], config });
}

const REQUEST = { response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid profile', state: 'pushed-state', nonce: 'pushed-nonce' };

function push(tp: TestProvider, fields: Record<string, string>, client_id = 'web') {
  return postForm(tp, '/par', { ...REQUEST, ...fields }, { authorization: basicAuth(client_id, SEED_SECRET) });
}

/** The browser at /authorize with `query`, through login and consent to the client's redirect URI (or to where it stops). */
function authorize(tp: TestProvider, query: Record<string, string>, jar = new CookieJar()) {
  return runBrowserlessFlow((request) => tp.provider.fetch(request), `${ISSUER}/authorize?${new URLSearchParams(query)}`, {
    credentials: { username: String(ALICE.username), password: String(ALICE.password) },
    decision: 'allow',
    jar,
  });
}

function exchange(tp: TestProvider, code: string, client_id = 'web') {
  return postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' }, { authorization: basicAuth(client_id, SEED_SECRET) });
}

/** The status and error code of the error page /authorize answered with. */
async function errorPage(response: Response): Promise<{ status: number; text: string }> {
  assert.equal(response.headers.get('location'), null, 'an error page, never a redirect');
  assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
  return { status: response.status, text: await response.text() };
}

describe('pushed authorization requests (RFC 9126)', () => {
  test('par: push → 201 with a request_uri URN and expires_in, no-store; /authorize with it → login, consent, a code for the pushed request', async () => {
    const tp = await setup();
    const { response, body } = await push(tp, { client_id: 'web' });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('pragma'), 'no-cache');
    assert.deepEqual(Object.keys(body).sort(), ['expires_in', 'request_uri']);
    assert.equal(body.expires_in, 60);
    assert.match(String(body.request_uri), new RegExp(`^${REQUEST_URI_PREFIX}[A-Za-z0-9_-]{43}$`));

    const result = await authorize(tp, { client_id: 'web', request_uri: String(body.request_uri) });
    assert.deepEqual(result.pages, ['login', 'consent']);
    assert.equal(result.redirect?.origin + result.redirect!.pathname, 'https://rp.example/cb');
    assert.equal(result.redirect?.searchParams.get('state'), 'pushed-state');
    assert.equal(result.redirect?.searchParams.get('iss'), ISSUER);
    const code = result.redirect!.searchParams.get('code')!;
    const tokens = await exchange(tp, code);
    assert.equal(tokens.response.status, 200);
    assert.equal(tokens.body.scope, 'openid profile');
    const idToken = JSON.parse(Buffer.from(String(tokens.body.id_token).split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    assert.equal(idToken.nonce, 'pushed-nonce');
  });

  test('par: what the browser adds beside client_id and request_uri is ignored: the pushed request is the request', async () => {
    const tp = await setup();
    const { body } = await push(tp, {});
    const result = await authorize(tp, { client_id: 'web', request_uri: String(body.request_uri), scope: 'openid email', state: 'forged', redirect_uri: 'https://evil.example/cb' });
    assert.equal(result.redirect?.origin, 'https://rp.example');
    assert.equal(result.redirect?.searchParams.get('state'), 'pushed-state');
    const tokens = await exchange(tp, result.redirect!.searchParams.get('code')!);
    assert.equal(tokens.body.scope, 'openid profile');
  });

  test('par: a request_uri is used once; a second use → an error page with invalid_request_uri', async () => {
    const tp = await setup();
    const { body } = await push(tp, {});
    const jar = new CookieJar();
    assert.ok((await authorize(tp, { client_id: 'web', request_uri: String(body.request_uri) }, jar)).redirect?.searchParams.get('code'));
    const again = await tp.provider.fetch(new Request(`${ISSUER}/authorize?${new URLSearchParams({ client_id: 'web', request_uri: String(body.request_uri) })}`, { headers: { cookie: jar.header() } }));
    const page = await errorPage(again);
    assert.equal(page.status, 400);
    assert.match(page.text, /invalid_request_uri/);
    assert.match(page.text, /request_uri has been used already/);
  });

  test('par: a request_uri expires after LATCHKEY_PUSHED_REQUEST_TTL_SECONDS', async () => {
    const tp = await setup({ pushedRequestTtlSeconds: 30 });
    const { body } = await push(tp, {});
    assert.equal(body.expires_in, 30);
    tp.clock.advance(31);
    const page = await errorPage(await tp.provider.fetch(new Request(`${ISSUER}/authorize?${new URLSearchParams({ client_id: 'web', request_uri: String(body.request_uri) })}`)));
    assert.equal(page.status, 400);
    assert.match(page.text, /invalid_request_uri/);
    assert.match(page.text, /request_uri is unknown or expired/);
  });

  test('par: another client\'s request_uri, an unknown one, or one without client_id → an error page, never a redirect', async () => {
    const tp = await setup();
    const { body } = await push(tp, {});
    const requestUri = String(body.request_uri);
    const asOther = await errorPage(await tp.provider.fetch(new Request(`${ISSUER}/authorize?${new URLSearchParams({ client_id: 'other', request_uri: requestUri })}`)));
    assert.equal(asOther.status, 400);
    assert.match(asOther.text, /request_uri was not pushed by this client/);
    // Shown to the wrong client, it is spent: its own client cannot use it either.
    const afterwards = await errorPage(await tp.provider.fetch(new Request(`${ISSUER}/authorize?${new URLSearchParams({ client_id: 'web', request_uri: requestUri })}`)));
    assert.match(afterwards.text, /request_uri has been used already/);

    const unknown = await errorPage(await tp.provider.fetch(new Request(`${ISSUER}/authorize?${new URLSearchParams({ client_id: 'web', request_uri: `${REQUEST_URI_PREFIX}nothing-was-pushed-here` })}`)));
    assert.match(unknown.text, /request_uri is unknown or expired/);
    const withoutClient = await errorPage(await tp.provider.fetch(new Request(`${ISSUER}/authorize?${new URLSearchParams({ request_uri: requestUri })}`)));
    assert.match(withoutClient.text, /missing required parameter: client_id/);
  });

  test('par: a public client pushes with client_id alone and PKCE; without a code_challenge → 400 invalid_request, nothing stored', async () => {
    const tp = await setup();
    const refused = await postForm(tp, '/par', { ...REQUEST, client_id: 'spa' });
    assertOAuthError(refused.response, refused.body, 400, 'invalid_request', 'code_challenge is required for public clients (PKCE, S256)');

    const { response, body } = await postForm(tp, '/par', { ...REQUEST, client_id: 'spa', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' });
    assert.equal(response.status, 201);
    const result = await authorize(tp, { client_id: 'spa', request_uri: String(body.request_uri) });
    const code = result.redirect!.searchParams.get('code')!;
    const tokens = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb', client_id: 'spa', code_verifier: PKCE.code_verifier });
    assert.equal(tokens.response.status, 200);
    assert.equal(typeof tokens.body.access_token, 'string');
  });

  test('par: client authentication as at the token endpoint → 401 invalid_client for a wrong secret, a confidential client without one, or a client_id that is not the authenticated one', async () => {
    const tp = await setup();
    const wrong = await postForm(tp, '/par', REQUEST, { authorization: basicAuth('web', 'not-the-secret') });
    assertOAuthError(wrong.response, wrong.body, 401, 'invalid_client', 'client authentication failed');
    assert.match(wrong.response.headers.get('www-authenticate') ?? '', /^Basic /);
    const none = await postForm(tp, '/par', { ...REQUEST, client_id: 'web' });
    assertOAuthError(none.response, none.body, 401, 'invalid_client', 'client is registered for client_secret_basic authentication');
    const mismatch = await push(tp, { client_id: 'other' });
    assertOAuthError(mismatch.response, mismatch.body, 400, 'invalid_request', 'client_id does not match the authenticated client');
    assert.equal(tp.events.filter((e) => e.name === 'client_authentication.failed').length, 2);
  });

  test('par: the request is validated as /authorize validates it, and refused as JSON', async () => {
    const tp = await setup();
    const cases: [Record<string, string>, string, string][] = [
      [{ request_uri: `${REQUEST_URI_PREFIX}abc` }, 'invalid_request', 'request_uri must not be sent to the pushed authorization request endpoint'],
      [{ redirect_uri: 'https://evil.example/cb' }, 'invalid_request', 'redirect_uri is not registered for this client'],
      [{ response_type: 'id_token' }, 'unauthorized_client', 'client is not allowed to use response_type id_token'],
      [{ response_type: 'bogus' }, 'unsupported_response_type', 'response_type bogus is not supported'],
      [{ scope: 'nothing-known' }, 'invalid_scope', 'no requested scope can be granted to this client'],
      [{ code_challenge: PKCE.code_challenge, code_challenge_method: 'plain' }, 'invalid_request', 'code_challenge_method must be S256'],
      [{ prompt: 'none login' }, 'invalid_request', 'prompt none must be the only value'],
    ];
    for (const [fields, error, description] of cases) {
      const { response, body } = await push(tp, fields);
      assertOAuthError(response, body, 400, error, description);
    }
    // Sent empty, a parameter counts as omitted (RFC 6749 §3.1).
    const omitted = await push(tp, { redirect_uri: '' });
    assertOAuthError(omitted.response, omitted.body, 400, 'invalid_request', 'missing required parameter: redirect_uri');
  });

  test('par: GET /par → 405 with Allow: POST; a body that is not a form → 400', async () => {
    const tp = await setup();
    const get = await tp.provider.fetch(new Request(`${ISSUER}/par`));
    assert.equal(get.status, 405);
    assert.match(get.headers.get('allow') ?? '', /POST/);
    const json = await tp.provider.fetch(new Request(`${ISSUER}/par`, { method: 'POST', headers: { authorization: basicAuth('web', SEED_SECRET), 'content-type': 'application/json' }, body: JSON.stringify(REQUEST) }));
    assert.equal(json.status, 400);
    assert.deepEqual(await json.json(), { error: 'invalid_request', error_description: 'content type must be application/x-www-form-urlencoded' });
  });

  test('par: a client registered with require_pushed_authorization_requests → its plain /authorize requests are refused at its redirect URI; pushed ones work', async () => {
    const tp = await setup();
    const plain = await tp.provider.fetch(new Request(`${ISSUER}/authorize?${new URLSearchParams({ ...REQUEST, client_id: 'strict' })}`));
    assert.equal(plain.status, 302);
    const location = new URL(plain.headers.get('location')!);
    assert.equal(location.origin + location.pathname, 'https://rp.example/cb');
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.equal(location.searchParams.get('error_description'), 'this client must push its authorization requests to the pushed authorization request endpoint first (RFC 9126)');
    assert.equal(location.searchParams.get('state'), 'pushed-state');

    const { body } = await push(tp, {}, 'strict');
    const result = await authorize(tp, { client_id: 'strict', request_uri: String(body.request_uri) });
    assert.ok(result.redirect?.searchParams.get('code'));
    // Other clients are not bound by it.
    assert.ok((await authorize(tp, { ...REQUEST, client_id: 'web' })).redirect?.searchParams.get('code'));
  });

  test('par: LATCHKEY_REQUIRE_PUSHED_AUTHORIZATION_REQUESTS → every client must push, and discovery says so', async () => {
    const tp = await setup({ requirePushedAuthorizationRequests: true });
    const metadata = (await (await tp.provider.fetch(new Request(`${ISSUER}/.well-known/openid-configuration`))).json()) as Record<string, unknown>;
    assert.equal(metadata.require_pushed_authorization_requests, true);
    assert.equal(metadata.pushed_authorization_request_endpoint, `${ISSUER}/par`);
    const plain = await tp.provider.fetch(new Request(`${ISSUER}/authorize?${new URLSearchParams({ ...REQUEST, client_id: 'web' })}`));
    assert.equal(new URL(plain.headers.get('location')!).searchParams.get('error'), 'invalid_request');
    const { body } = await push(tp, {});
    assert.ok((await authorize(tp, { client_id: 'web', request_uri: String(body.request_uri) })).redirect?.searchParams.get('code'));
  });

  test('par: a request_uri that is not a pushed one is a request object by reference: one the client did not register → an error page with invalid_request_uri', async () => {
    const tp = await setup();
    const page = await errorPage(await tp.provider.fetch(new Request(`${ISSUER}/authorize?${new URLSearchParams({ ...REQUEST, client_id: 'web', request_uri: 'https://rp.example/request.jwt' })}`)));
    assert.equal(page.status, 400);
    assert.match(page.text, /invalid_request_uri/);
    assert.match(page.text, /request_uri is not registered for this client \(request_uris\)/);
  });

  test('par: the client disabled after pushing → its request_uri starts nothing', async () => {
    const tp = await setup();
    const { body } = await push(tp, {});
    const { storage } = tp.provider.context;
    await storage.clients.update({ ...(await storage.clients.find('web'))!, disabled: true });
    const page = await errorPage(await tp.provider.fetch(new Request(`${ISSUER}/authorize?${new URLSearchParams({ client_id: 'web', request_uri: String(body.request_uri) })}`)));
    assert.match(page.text, /the application has been disabled by the administrator/);
  });

  test('par: require_pushed_authorization_requests is client metadata: registered, shown, and a boolean', async () => {
    const tp = await setup({ registration: 'open' });
    const registered = await tp.provider.fetch(new Request(`${ISSUER}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uris: ['https://rp.example/cb'], require_pushed_authorization_requests: true }) }));
    assert.equal(registered.status, 201);
    assert.equal(((await registered.json()) as Record<string, unknown>).require_pushed_authorization_requests, true);
    const invalid = await tp.provider.fetch(new Request(`${ISSUER}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uris: ['https://rp.example/cb'], require_pushed_authorization_requests: 'yes' }) }));
    assert.equal(invalid.status, 400);
    assert.equal(((await invalid.json()) as Record<string, unknown>).error, 'invalid_client_metadata');
  });
});
