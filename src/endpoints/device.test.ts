import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ALICE, assertOAuthError, basicAuth, CookieJar, ISSUER, postForm, runBrowserlessFlow, SEED_SECRET, testProvider, type TestProvider,
} from '../../test/helpers/index.js';
import { adminClientToken, callAdmin } from '../../test/helpers/admin.js';
import { generateUserCode, normalizeUserCode, USER_CODE_ALPHABET } from '../tokens/device-code.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const TV = { client_id: 'tv', token_endpoint_auth_method: 'none', grant_types: [DEVICE_GRANT, 'refresh_token'] };
const CONSOLE = { client_id: 'console', client_secret: SEED_SECRET, grant_types: [DEVICE_GRANT] };
const WEB = { client_id: 'web', client_secret: SEED_SECRET };

function setup(): Promise<TestProvider> {
  return testProvider({ clients: [TV, CONSOLE, WEB], accounts: [ALICE] });
}

function authorizeDevice(tp: TestProvider, scope = 'openid profile offline_access', client_id = 'tv') {
  return postForm(tp, '/device_authorization', { client_id, scope });
}

function poll(tp: TestProvider, deviceCode: unknown, client_id = 'tv') {
  return postForm(tp, '/token', { grant_type: DEVICE_GRANT, device_code: String(deviceCode), client_id });
}

/** The user enters the code at /device, logs in and decides. */
function userVisits(tp: TestProvider, userCode: string, decision: 'allow' | 'deny', jar = new CookieJar()) {
  return runBrowserlessFlow((request) => tp.provider.fetch(request), `${ISSUER}/device`, {
    userCode,
    credentials: { username: String(ALICE.username), password: String(ALICE.password) },
    decision,
    jar,
  });
}

describe('device authorization grant (RFC 8628)', () => {
  test('device: user codes use the unambiguous alphabet, are typed in any case and with or without the dash', () => {
    for (let i = 0; i < 200; i++) assert.match(generateUserCode(), new RegExp(`^[${USER_CODE_ALPHABET}]{4}-[${USER_CODE_ALPHABET}]{4}$`));
    assert.equal(normalizeUserCode('bcdf-ghjk'), 'BCDFGHJK');
    assert.equal(normalizeUserCode(' BCDF GHJK '), 'BCDFGHJK');
    assert.equal(normalizeUserCode('BCDFGHJ0'), undefined, '0 is not in the alphabet');
    assert.equal(normalizeUserCode('BCDF-GHJ'), undefined);
  });

  test('device: /device_authorization → device_code, user_code, verification URIs, expires_in and interval, no-store', async () => {
    const tp = await setup();
    const { response, body } = await authorizeDevice(tp);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(Object.keys(body).sort(), ['device_code', 'expires_in', 'interval', 'user_code', 'verification_uri', 'verification_uri_complete']);
    assert.equal(body.verification_uri, `${ISSUER}/device`);
    assert.equal(body.verification_uri_complete, `${ISSUER}/device?user_code=${String(body.user_code)}`);
    assert.equal(body.expires_in, 600);
    assert.equal(body.interval, 5);
  });

  test('device: pending → authorization_pending; the user approves → tokens with an ID token and a refresh token', async () => {
    const tp = await setup();
    const device = (await authorizeDevice(tp)).body;
    const pending = await poll(tp, device.device_code);
    assertOAuthError(pending.response, pending.body, 400, 'authorization_pending', 'the end-user has not yet approved the request');

    const flow = await userVisits(tp, String(device.user_code).toLowerCase().replace('-', ''), 'allow');
    assert.deepEqual(flow.pages, ['device', 'login', 'consent']);
    assert.equal(flow.response.status, 200);
    assert.match(await flow.response.text(), /Device connected/);

    tp.clock.advance(5);
    const { response, body } = await poll(tp, device.device_code);
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(body.scope, 'openid profile offline_access');
    assert.equal(typeof body.id_token, 'string');
    assert.equal(typeof body.refresh_token, 'string');
    const claims = JSON.parse(Buffer.from(String(body.id_token).split('.')[1]!, 'base64url').toString());
    assert.equal(claims.sub, tp.accounts[0]!.sub);
    assert.equal(claims.aud, 'tv');

    const replay = await poll(tp, device.device_code);
    assertOAuthError(replay.response, replay.body, 400, 'invalid_grant', 'device code is invalid');
    const userinfo = await tp.provider.fetch(new Request(`${ISSUER}/userinfo`, { headers: { authorization: `Bearer ${String(body.access_token)}` } }));
    assert.equal(userinfo.status, 401, 'a second redemption revokes what the first issued');
  });

  test('device: the grant is given in the approving login session: logging out of it revokes the device\'s tokens', async () => {
    const tp = await setup();
    const device = (await authorizeDevice(tp, 'openid profile')).body;
    const jar = new CookieJar();
    await userVisits(tp, String(device.user_code), 'allow', jar);
    tp.clock.advance(5);
    const tokens = (await poll(tp, device.device_code)).body;
    const logout = await tp.provider.fetch(new Request(`${ISSUER}/end_session?${new URLSearchParams({ id_token_hint: String(tokens.id_token) })}`, { headers: { cookie: jar.header() } }));
    assert.equal(logout.status, 200);
    const refreshed = await postForm(tp, '/token', { grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token), client_id: 'tv' });
    assertOAuthError(refreshed.response, refreshed.body, 400, 'invalid_grant', 'refresh token is invalid');
  });

  test('device: a consent withdrawn between the approval and the next poll → invalid_grant, no tokens', async () => {
    const tp = await setup();
    const device = (await authorizeDevice(tp, 'openid profile')).body;
    await userVisits(tp, String(device.user_code), 'allow');
    const admin = await adminClientToken(tp);
    assert.equal((await callAdmin(tp, admin, 'DELETE', `/consents/${tp.accounts[0]!.sub}/tv`)).status, 204);
    tp.clock.advance(5);
    const polled = await poll(tp, device.device_code);
    assertOAuthError(polled.response, polled.body, 400, 'invalid_grant', 'device code is invalid');
  });

  test('device: polling faster than the interval → slow_down, and the interval grows by 5 seconds', async () => {
    const tp = await setup();
    const device = (await authorizeDevice(tp)).body;
    assert.equal((await poll(tp, device.device_code)).body.error, 'authorization_pending');
    tp.clock.advance(2);
    const fast = await poll(tp, device.device_code);
    assertOAuthError(fast.response, fast.body, 400, 'slow_down', 'polling too fast; wait at least 10 seconds between requests');
    tp.clock.advance(6);
    assert.equal((await poll(tp, device.device_code)).body.error, 'slow_down', '6 s is under the new 10 s interval');
    tp.clock.advance(16);
    assert.equal((await poll(tp, device.device_code)).body.error, 'authorization_pending');
  });

  test('device: the user denies → access_denied; the code is then retired', async () => {
    const tp = await setup();
    const device = (await authorizeDevice(tp)).body;
    const flow = await userVisits(tp, String(device.user_code), 'deny');
    assert.match(await flow.response.text(), /Device not connected/);
    const denied = await poll(tp, device.device_code);
    assertOAuthError(denied.response, denied.body, 400, 'access_denied', 'the end-user denied the request');
    const again = await userVisits(tp, String(device.user_code), 'allow');
    assert.deepEqual(again.pages, ['device']);
    assert.equal(again.response.status, 400);
  });

  test('device: after expires_in → expired_token, and the user code no longer works', async () => {
    const tp = await setup();
    const device = (await authorizeDevice(tp)).body;
    tp.clock.advance(600);
    const expired = await poll(tp, device.device_code);
    assertOAuthError(expired.response, expired.body, 400, 'expired_token', 'the device code has expired; start over');
    const visit = await userVisits(tp, String(device.user_code), 'allow');
    assert.equal(visit.response.status, 400);
    assert.match(await visit.response.text(), /not valid or has expired/);
  });

  test('device: a wrong user code → the page again with an alert; repeated failures are throttled per address', async () => {
    const tp = await testProvider({ clients: [TV], accounts: [ALICE], config: { loginMaxFailuresPerAddress: 2 } });
    const jar = new CookieJar();
    const page = await tp.provider.fetch(new Request(`${ISSUER}/device?user_code=BCDF-GHJK`));
    jar.store(page);
    const html = await page.text();
    assert.match(html, /name="user_code"[^>]*value="BCDF-GHJK"|value="BCDF-GHJK"[^>]*name="user_code"/);
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)![1]!;
    const submit = () => tp.provider.fetch(new Request(`${ISSUER}/device`, {
      method: 'POST',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf_token: csrf, user_code: 'BCDF-GHJK' }),
    }), { remoteAddress: '203.0.113.7' });
    assert.equal((await submit()).status, 400);
    assert.equal((await submit()).status, 400);
    const throttled = await submit();
    assert.equal(throttled.status, 429);
    assert.match(await throttled.text(), /Too many wrong codes/);
  });

  test('device: a POST without the page\'s CSRF cookie → error page, nothing started', async () => {
    const tp = await setup();
    const device = (await authorizeDevice(tp)).body;
    const response = await tp.provider.fetch(new Request(`${ISSUER}/device`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf_token: 'forged', user_code: String(device.user_code) }),
    }));
    assert.equal(response.status, 400);
    assert.match(await response.text(), /the form has expired/);
  });

  test('device: client errors — not registered for the grant, wrong secret, another client polling, unknown code', async () => {
    const tp = await setup();
    const web = await postForm(tp, '/device_authorization', {}, { authorization: basicAuth('web', SEED_SECRET) });
    assertOAuthError(web.response, web.body, 400, 'unauthorized_client', `client is not allowed to use grant_type ${DEVICE_GRANT}`);
    const wrong = await postForm(tp, '/device_authorization', {}, { authorization: basicAuth('console', 'nope') });
    assertOAuthError(wrong.response, wrong.body, 401, 'invalid_client', 'client authentication failed');

    const device = (await postForm(tp, '/device_authorization', { scope: 'openid' }, { authorization: basicAuth('console', SEED_SECRET) })).body;
    const stolen = await poll(tp, device.device_code, 'tv');
    assertOAuthError(stolen.response, stolen.body, 400, 'invalid_grant', 'device code is invalid');
    const unknown = await poll(tp, 'made-up');
    assertOAuthError(unknown.response, unknown.body, 400, 'invalid_grant', 'device code is invalid');
    const missing = await postForm(tp, '/token', { grant_type: DEVICE_GRANT, client_id: 'tv' });
    assertOAuthError(missing.response, missing.body, 400, 'invalid_request', 'missing required parameter: device_code');
  });
});
