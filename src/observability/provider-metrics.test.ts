/** The provider's Prometheus counters, moved by real flows through the in-process provider, read at `GET /metrics`. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ALICE, assertOAuthError, authorizeUrl, basicAuth, codeFlowTokens, CookieJar, ISSUER, obtainCode, PKCE, postForm, runBrowserlessFlow, SEED_SECRET, testProvider, type TestProvider,
} from '../../test/helpers/index.js';
import { scrape } from '../../test/helpers/metrics.js';
import type { ConfigInput } from '../core/config.js';
import { parseResourceServer } from '../core/resource-servers.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const ORDERS = 'https://orders.example.com';
const SPA = { client_id: 'spa', token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] };
const WEB = { client_id: 'web', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'implicit', 'refresh_token'], response_types: ['code', 'code token'], post_logout_redirect_uris: ['https://rp.example/bye'] };
const SERVICE = { client_id: 'service', client_secret: SEED_SECRET, grant_types: ['client_credentials'], scope: 'reports orders:read' };
const TV = { client_id: 'tv', token_endpoint_auth_method: 'none', grant_types: [DEVICE_GRANT] };

async function setup(options: { config?: ConfigInput } = {}): Promise<TestProvider> {
  const tp = await testProvider({ clients: [SPA, WEB, SERVICE, TV], accounts: [ALICE], ...options });
  await tp.provider.context.storage.resourceServers.create(parseResourceServer({ resource: ORDERS, access_token_format: 'jwt', scope: 'orders:read' }, tp.clock));
  return tp;
}

const tokens = (grant_type: string, format: 'opaque' | 'jwt') => `latchkey_tokens_issued_total{grant_type="${grant_type}",format="${format}"}`;
const http = (method: string, route: string, statusClass: string) => `latchkey_http_requests_total{method="${method}",route="${route}",status_class="${statusClass}"}`;

describe('metrics: the provider counters at GET /metrics', () => {
  test('metrics: a fresh provider → 200 text format with HELP and TYPE for each series; known outcomes at 0; no process metrics (the server adds those)', async () => {
    const tp = await setup();
    const response = await tp.provider.fetch(new Request(`${ISSUER}/metrics`));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);

    const { samples, types, help } = await scrape(tp);
    assert.deepEqual(Object.fromEntries([...types].filter(([name]) => name.startsWith('latchkey_'))), {
      latchkey_tokens_issued_total: 'counter',
      latchkey_logins_total: 'counter',
      latchkey_consents_total: 'counter',
      latchkey_refresh_token_reuses_total: 'counter',
      latchkey_code_replays_total: 'counter',
      latchkey_client_authentication_failures_total: 'counter',
      latchkey_authorization_errors_total: 'counter',
      latchkey_sessions_total: 'counter',
      latchkey_active_sessions: 'gauge',
      latchkey_http_requests_total: 'counter',
      latchkey_http_request_duration_seconds: 'histogram',
    });
    for (const name of types.keys()) assert.ok(help.get(name), `HELP for ${name}`);
    for (const grant of ['authorization_code', 'refresh_token', 'client_credentials', DEVICE_GRANT, 'implicit']) {
      assert.equal(samples.get(tokens(grant, 'opaque')), 0);
      assert.equal(samples.get(tokens(grant, 'jwt')), 0);
    }
    for (const outcome of ['succeeded', 'failed', 'throttled']) assert.equal(samples.get(`latchkey_logins_total{outcome="${outcome}"}`), 0);
    assert.equal(samples.get('latchkey_refresh_token_reuses_total{outcome="grant_revoked"}'), 0);
    assert.equal(samples.get('latchkey_client_authentication_failures_total'), 0);
    assert.equal(samples.get('latchkey_active_sessions'), 0);
    // The scrape before this one is counted; this one is answered before it counts itself.
    assert.equal(samples.get(http('GET', '/metrics', '2xx')), 1);
    assert.equal([...types.keys()].some((name) => name.startsWith('process_') || name.startsWith('nodejs_')), false);
  });

  test('metrics: a code flow, a refresh, a refresh token replay, client credentials (opaque and JWT), a bad secret → exactly those counts', async () => {
    const tp = await setup();
    const first = await codeFlowTokens(tp, 'spa', { public: true });
    const refreshed = await postForm(tp, '/token', { grant_type: 'refresh_token', refresh_token: String(first.refresh_token), client_id: 'spa' });
    assert.equal(refreshed.response.status, 200);
    tp.clock.advance(11); // past the reuse grace window
    const replay = await postForm(tp, '/token', { grant_type: 'refresh_token', refresh_token: String(first.refresh_token), client_id: 'spa' });
    assertOAuthError(replay.response, replay.body, 400, 'invalid_grant', 'refresh token is invalid');
    const service = { authorization: basicAuth('service', SEED_SECRET) };
    assert.equal((await postForm(tp, '/token', { grant_type: 'client_credentials', scope: 'reports' }, service)).response.status, 200);
    assert.equal((await postForm(tp, '/token', { grant_type: 'client_credentials', resource: ORDERS }, service)).response.status, 200);
    const wrong = await postForm(tp, '/token', { grant_type: 'client_credentials' }, { authorization: basicAuth('service', 'not-the-secret') });
    assert.equal(wrong.response.status, 401);

    const { samples } = await scrape(tp);
    assert.equal(samples.get(tokens('authorization_code', 'opaque')), 1);
    assert.equal(samples.get(tokens('refresh_token', 'opaque')), 1);
    assert.equal(samples.get(tokens('client_credentials', 'opaque')), 1);
    assert.equal(samples.get(tokens('client_credentials', 'jwt')), 1);
    assert.equal(samples.get(tokens('implicit', 'opaque')), 0);
    assert.equal(samples.get('latchkey_logins_total{outcome="succeeded"}'), 1);
    assert.equal(samples.get('latchkey_consents_total{outcome="granted"}'), 1);
    assert.equal(samples.get('latchkey_sessions_total{change="started"}'), 1);
    assert.equal(samples.get('latchkey_refresh_token_reuses_total{outcome="grant_revoked"}'), 1);
    assert.equal(samples.get('latchkey_refresh_token_reuses_total{outcome="within_grace"}'), 0);
    assert.equal(samples.get('latchkey_client_authentication_failures_total'), 1);
    assert.equal(samples.get('latchkey_active_sessions'), 1, 'read from storage at scrape time');

    // Requests by route pattern and status class; the histogram counts the same requests.
    assert.equal(samples.get(http('POST', '/token', '2xx')), 4);
    assert.equal(samples.get(http('POST', '/token', '4xx')), 2);
    assert.equal(samples.get('latchkey_http_request_duration_seconds_count{method="POST",route="/token"}'), 6);
    assert.equal(samples.get(http('GET', '/authorize', '3xx')), 1);
    assert.equal(samples.get(http('POST', '/interaction/:uid/login', '3xx')), 1);
    assert.equal(samples.get(http('POST', '/interaction/:uid/consent', '3xx')), 1);
    const labels = [...samples.keys()].join('\n');
    assert.doesNotMatch(labels, /route="\/interaction\/(?!:uid)/, 'route patterns, never raw paths');
  });

  test('metrics: tokens from /authorize count as implicit; a device flow as the device grant; a denied consent as an authorization error', async () => {
    const tp = await setup();
    const jar = new CookieJar();
    const hybrid = await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ client_id: 'web', response_type: 'code token', redirect_uri: 'https://rp.example/cb', scope: 'openid', nonce: 'n-1' }), {
      credentials: { username: String(ALICE.username), password: String(ALICE.password) },
      decision: 'allow',
      jar,
    });
    const fragment = new URLSearchParams(hybrid.redirect!.hash.slice(1));
    assert.ok(fragment.get('access_token'));
    const exchanged = await postForm(tp, '/token', { grant_type: 'authorization_code', code: fragment.get('code')!, redirect_uri: 'https://rp.example/cb' }, { authorization: basicAuth('web', SEED_SECRET) });
    assert.equal(exchanged.response.status, 200);

    const device = (await postForm(tp, '/device_authorization', { client_id: 'tv', scope: 'openid' })).body;
    await runBrowserlessFlow((request) => tp.provider.fetch(request), `${ISSUER}/device`, { userCode: String(device.user_code), decision: 'allow', jar });
    const polled = await postForm(tp, '/token', { grant_type: DEVICE_GRANT, device_code: String(device.device_code), client_id: 'tv' });
    assert.equal(polled.response.status, 200);

    const denied = await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ client_id: 'spa', response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid profile', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' }), { decision: 'deny', jar });
    assert.equal(denied.redirect?.searchParams.get('error'), 'access_denied');

    const { samples } = await scrape(tp);
    assert.equal(samples.get(tokens('implicit', 'opaque')), 1);
    assert.equal(samples.get(tokens('authorization_code', 'opaque')), 1);
    assert.equal(samples.get(tokens(DEVICE_GRANT, 'opaque')), 1);
    assert.equal(samples.get('latchkey_consents_total{outcome="granted"}'), 2);
    assert.equal(samples.get('latchkey_consents_total{outcome="denied"}'), 1);
    assert.equal(samples.get('latchkey_authorization_errors_total{error="access_denied"}'), 1);
    assert.equal(samples.get('latchkey_logins_total{outcome="succeeded"}'), 1, 'the device flow used the session');
  });

  test('metrics: a wrong password, then one past the limit, then a logout → failed, throttled, session ended', async () => {
    const tp = await setup({ config: { loginMaxFailuresPerAccount: 1 } });
    const wrong = { username: String(ALICE.username), password: 'not the password' };
    const url = authorizeUrl({ client_id: 'web', response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid' });
    assert.equal((await runBrowserlessFlow((request) => tp.provider.fetch(request), url, { credentials: wrong })).response.status, 401);
    assert.equal((await runBrowserlessFlow((request) => tp.provider.fetch(request), url, { credentials: wrong })).response.status, 429);
    tp.clock.advance(900); // the throttle window ends

    const jar = new CookieJar();
    const code = await obtainCode(tp, { client_id: 'web', scope: 'openid' }, jar);
    const { body } = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' }, { authorization: basicAuth('web', SEED_SECRET) });
    const logout = await tp.provider.fetch(new Request(`${ISSUER}/end_session?${new URLSearchParams({ id_token_hint: String(body.id_token), post_logout_redirect_uri: 'https://rp.example/bye' })}`, { headers: { cookie: jar.header() } }));
    assert.equal(logout.status, 303);

    const { samples } = await scrape(tp);
    assert.equal(samples.get('latchkey_logins_total{outcome="failed"}'), 1);
    assert.equal(samples.get('latchkey_logins_total{outcome="throttled"}'), 1);
    assert.equal(samples.get('latchkey_logins_total{outcome="succeeded"}'), 1);
    assert.equal(samples.get('latchkey_sessions_total{change="started"}'), 1);
    assert.equal(samples.get('latchkey_sessions_total{change="ended"}'), 1);
    assert.equal(samples.get('latchkey_active_sessions'), 0);
    assert.equal(samples.get(http('POST', '/interaction/:uid/login', '4xx')), 2);
  });

  test('metrics: an unknown path counts as route "unmatched", whatever the path', async () => {
    const tp = await setup();
    for (const path of ['/nope', '/nope/deeper', '/.env']) assert.equal((await tp.provider.fetch(new Request(`${ISSUER}${path}`))).status, 404);
    const { samples } = await scrape(tp);
    assert.equal(samples.get(http('GET', 'unmatched', '4xx')), 3);
    assert.doesNotMatch([...samples.keys()].join('\n'), /nope|\.env/);
  });

  test('metrics: two providers in one process count apart (a registry each)', async () => {
    const [a, b] = await Promise.all([setup(), setup()]);
    assert.equal((await postForm(a, '/token', { grant_type: 'client_credentials', scope: 'reports' }, { authorization: basicAuth('service', SEED_SECRET) })).response.status, 200);
    assert.equal((await scrape(a)).samples.get(tokens('client_credentials', 'opaque')), 1);
    assert.equal((await scrape(b)).samples.get(tokens('client_credentials', 'opaque')), 0);
    assert.notEqual(a.provider.metrics.registry, b.provider.metrics.registry);
  });

  test('metrics: an issuer with a path → the same route patterns, without the path', async () => {
    const tp = await testProvider({ clients: [SERVICE], config: { issuer: 'https://op.test/auth' } });
    const response = await tp.provider.fetch(new Request('https://op.test/auth/token', { method: 'POST', headers: { authorization: basicAuth('service', SEED_SECRET) }, body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'reports' }) }));
    assert.equal(response.status, 200);
    const text = await (await tp.provider.fetch(new Request('https://op.test/auth/metrics'))).text();
    assert.match(text, /^latchkey_http_requests_total\{method="POST",route="\/token",status_class="2xx"\} 1$/m);
  });
});
