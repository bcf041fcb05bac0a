import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { OutboundTransport } from '../../src/http/outbound.js';
import {
  ALICE, basicAuth, CookieJar, formAction, hiddenInput, ISSUER, obtainCode, postForm, SEED_SECRET, testProvider, type TestProvider,
} from '../../test/helpers/index.js';

const BYE = 'https://rp.example/bye';
const GRANTS = ['authorization_code', 'refresh_token'];
const APP = { client_id: 'app', client_secret: SEED_SECRET, grant_types: GRANTS, post_logout_redirect_uris: [BYE], backchannel_logout_uri: 'https://rp.example/backchannel' };
const FRONT = { client_id: 'front', client_secret: SEED_SECRET, grant_types: GRANTS, frontchannel_logout_uri: 'https://rp.example/frontchannel?x=1' };

/** A relying party's back-channel endpoint: records each POST, answers with the next status. */
function backchannel(statuses: number[] = []) {
  const received: string[] = [];
  const transport: OutboundTransport = async (_url, init) => {
    received.push(new URLSearchParams(init.body).get('logout_token') ?? '');
    return new Response(null, { status: statuses.shift() ?? 200 });
  };
  return { received, transport };
}

async function setup(transport?: OutboundTransport): Promise<TestProvider> {
  return testProvider({ clients: [APP, FRONT], accounts: [ALICE], ...(transport ? { outboundTransport: transport } : {}) });
}

/** Signs in through the code flow in `jar` and returns the client's tokens. */
async function signIn(tp: TestProvider, jar: CookieJar, client_id = 'app', scope = 'openid profile') {
  const code = await obtainCode(tp, { client_id, scope }, jar);
  return (await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' }, { authorization: basicAuth(client_id, SEED_SECRET) })).body;
}

function endSession(tp: TestProvider, jar: CookieJar, params: Record<string, string>) {
  return tp.provider.fetch(new Request(`${ISSUER}/end_session?${new URLSearchParams(params)}`, { headers: { cookie: jar.header() } }));
}

async function refreshWorks(tp: TestProvider, refreshToken: unknown, client_id = 'app'): Promise<boolean> {
  return (await postForm(tp, '/token', { grant_type: 'refresh_token', refresh_token: String(refreshToken) }, { authorization: basicAuth(client_id, SEED_SECRET) })).response.status === 200;
}

async function waitFor(condition: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('RP-initiated logout, back-channel and front-channel logout', () => {
  test('logout: a verified request → the session ends, refresh tokens are revoked, back to the client with state', async () => {
    const rp = backchannel();
    const tp = await setup(rp.transport);
    const jar = new CookieJar();
    const tokens = await signIn(tp, jar);
    const response = await endSession(tp, jar, { id_token_hint: String(tokens.id_token), post_logout_redirect_uri: BYE, state: 'st-1' });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), `${BYE}?state=st-1`);
    assert.match(response.headers.getSetCookie().join('\n'), /latchkey_session=;.*Max-Age=0/);
    jar.store(response);
    assert.equal(jar.values.has('latchkey_session'), false);
    assert.equal(await refreshWorks(tp, tokens.refresh_token), false);

    // The session is gone: a new authorization asks for a login again.
    const again = await tp.provider.fetch(new Request(`${ISSUER}/authorize?${new URLSearchParams({ client_id: 'app', redirect_uri: 'https://rp.example/cb', response_type: 'code', scope: 'openid', prompt: 'none' })}`, { headers: { cookie: jar.header() } }));
    assert.equal(new URL(again.headers.get('location')!).searchParams.get('error'), 'login_required');
  });

  test('logout: a client given a code in the session is told, though it has no token yet; the code redeemed later yields nothing', async () => {
    const rp = backchannel();
    const tp = await setup(rp.transport);
    const jar = new CookieJar();
    const front = await signIn(tp, jar, 'front');
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid' }, jar);
    const response = await endSession(tp, jar, { id_token_hint: String(front.id_token) });
    assert.equal(response.status, 200);
    await waitFor(() => rp.received.length === 1);
    // No ID token for a session the client was just told had ended, and no tokens.
    const late = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' }, { authorization: basicAuth('app', SEED_SECRET) });
    assert.equal(late.response.status, 400);
    assert.deepEqual(late.body, { error: 'invalid_grant', error_description: 'authorization code is invalid' });
  });

  test('logout: a code of a grant given offline_access in the session still yields tokens, which outlive it', async () => {
    const tp = await setup(backchannel().transport);
    const jar = new CookieJar();
    const first = await signIn(tp, jar, 'app', 'openid');
    const code = await obtainCode(tp, { client_id: 'app', scope: 'openid offline_access' }, jar);
    assert.equal((await endSession(tp, jar, { id_token_hint: String(first.id_token) })).status, 200);
    const late = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' }, { authorization: basicAuth('app', SEED_SECRET) });
    assert.equal(late.response.status, 200);
    assert.equal(await refreshWorks(tp, late.body.refresh_token), true);
  });

  test('logout: a pairwise client\'s logout token names the pairwise sub of its ID tokens', async () => {
    const rp = backchannel();
    const tp = await testProvider({ clients: [{ ...APP, subject_type: 'pairwise' }], accounts: [ALICE], outboundTransport: rp.transport });
    const jar = new CookieJar();
    const tokens = await signIn(tp, jar);
    const idToken = JSON.parse(Buffer.from(String(tokens.id_token).split('.')[1]!, 'base64url').toString());
    assert.notEqual(idToken.sub, tp.accounts[0]!.sub, 'the ID token carries a pairwise sub');
    await endSession(tp, jar, { id_token_hint: String(tokens.id_token) });
    await waitFor(() => rp.received.length === 1);
    const jwks = createLocalJWKSet(await (await tp.provider.fetch(new Request(`${ISSUER}/jwks`))).json());
    const { payload } = await jwtVerify(rp.received[0]!, jwks, { issuer: ISSUER, audience: 'app', typ: 'logout+jwt', currentDate: new Date(tp.clock.now() * 1000) });
    assert.equal(payload.sub, idToken.sub);
  });

  test('logout: the back-channel logout token is signed, typed logout+jwt, names sub and sid, and has no nonce', async () => {
    const rp = backchannel();
    const tp = await setup(rp.transport);
    const jar = new CookieJar();
    const tokens = await signIn(tp, jar);
    await endSession(tp, jar, { id_token_hint: String(tokens.id_token) });
    await waitFor(() => rp.received.length === 1);
    const jwks = createLocalJWKSet(await (await tp.provider.fetch(new Request(`${ISSUER}/jwks`))).json());
    const { payload, protectedHeader } = await jwtVerify(rp.received[0]!, jwks, { issuer: ISSUER, audience: 'app', typ: 'logout+jwt', currentDate: new Date(tp.clock.now() * 1000) });
    const idToken = JSON.parse(Buffer.from(String(tokens.id_token).split('.')[1]!, 'base64url').toString());
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(payload.sub, idToken.sub);
    assert.equal(payload.sid, idToken.sid);
    assert.deepEqual(payload.events, { 'http://schemas.openid.net/event/backchannel-logout': {} });
    assert.equal(payload.nonce, undefined);
    assert.equal(typeof payload.jti, 'string');
    assert.deepEqual(tp.events.filter((e) => e.name === 'backchannel_logout.delivered').map((e) => e.data.client_id), ['app']);
  });

  test('logout: a 503 from the RP is retried; a 400 is not', async () => {
    const flaky = backchannel([503, 200]);
    const tp = await setup(flaky.transport);
    const jar = new CookieJar();
    await endSession(tp, jar, { id_token_hint: String((await signIn(tp, jar)).id_token) });
    await waitFor(() => tp.events.some((e) => e.name === 'backchannel_logout.delivered'));
    assert.equal(flaky.received.length, 2);

    const refusing = backchannel([400]);
    const tp2 = await setup(refusing.transport);
    const jar2 = new CookieJar();
    await endSession(tp2, jar2, { id_token_hint: String((await signIn(tp2, jar2)).id_token) });
    await waitFor(() => tp2.events.some((e) => e.name === 'backchannel_logout.failed'));
    assert.equal(refusing.received.length, 1);
    assert.equal(tp2.events.find((e) => e.name === 'backchannel_logout.failed')!.data.outcome, 'answered 400');
  });

  test('logout: tokens granted offline_access outlive the session', async () => {
    const tp = await setup(backchannel().transport);
    const jar = new CookieJar();
    const online = await signIn(tp, jar, 'app', 'openid');
    const offline = await signIn(tp, jar, 'app', 'openid offline_access');
    await endSession(tp, jar, { id_token_hint: String(offline.id_token) });
    assert.equal(await refreshWorks(tp, online.refresh_token), false);
    assert.equal(await refreshWorks(tp, offline.refresh_token), true);
  });

  test('logout: front-channel clients are loaded in iframes with iss and sid; the page may frame only their origin', async () => {
    const tp = await setup(backchannel().transport);
    const jar = new CookieJar();
    const tokens = await signIn(tp, jar);
    await signIn(tp, jar, 'front');
    const response = await endSession(tp, jar, { id_token_hint: String(tokens.id_token), post_logout_redirect_uri: BYE, state: 's' });
    assert.equal(response.status, 200);
    const html = await response.text();
    const sid = JSON.parse(Buffer.from(String(tokens.id_token).split('.')[1]!, 'base64url').toString()).sid;
    const src = /<iframe src="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
    const url = new URL(src);
    assert.equal(url.origin + url.pathname, 'https://rp.example/frontchannel');
    assert.equal(url.searchParams.get('x'), '1');
    assert.equal(url.searchParams.get('iss'), ISSUER);
    assert.equal(url.searchParams.get('sid'), sid);
    assert.match(html, /http-equiv="refresh" content="2;url=https:\/\/rp.example\/bye\?state=s"/);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-src https:\/\/rp\.example/);
    assert.match(csp, /frame-ancestors 'none'/);
  });

  test('logout: no id_token_hint → a confirmation page; Sign out ends the session, Stay signed in keeps it', async () => {
    const tp = await setup(backchannel().transport);
    const jar = new CookieJar();
    const tokens = await signIn(tp, jar);

    const confirm = async (decision: string) => {
      const page = await endSession(tp, jar, { client_id: 'app', post_logout_redirect_uri: BYE, state: 'z' });
      jar.store(page);
      const html = await page.text();
      assert.match(html, /Sign out/);
      assert.match(html, /Stay signed in/);
      return tp.provider.fetch(new Request(formAction(html), {
        method: 'POST',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf_token: hiddenInput(html, 'csrf_token')!, logout_request: hiddenInput(html, 'logout_request')!, decision }),
      }));
    };
    const stay = await confirm('stay');
    assert.equal(stay.status, 200);
    assert.match(await stay.text(), /still signed in/);
    assert.equal(await refreshWorks(tp, tokens.refresh_token), true);

    const out = await confirm('logout');
    assert.equal(out.status, 303);
    assert.equal(out.headers.get('location'), `${BYE}?state=z`);
    assert.equal(await refreshWorks(tp, tokens.refresh_token), false);
  });

  test('logout: a hint for someone else than the signed-in user is not enough → confirmation', async () => {
    const tp = await testProvider({ clients: [APP], accounts: [ALICE, { ...ALICE, username: 'bob' }], outboundTransport: backchannel().transport });
    const jar = new CookieJar();
    const tokens = await signIn(tp, jar);
    const other = await tp.provider.context.keys.signingKey('RS256');
    const { SignJWT } = await import('jose');
    const bobHint = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: other.kid }).setIssuer(ISSUER).setSubject(tp.accounts[1]!.sub).setAudience('app').sign(other.key);
    const response = await endSession(tp, jar, { id_token_hint: bobHint });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /Sign out\?/);
    assert.equal(await refreshWorks(tp, tokens.refresh_token), true);
  });

  test('logout: errors are shown on a page and never redirected', async () => {
    const tp = await setup(backchannel().transport);
    const jar = new CookieJar();
    const tokens = await signIn(tp, jar);
    const cases: [Record<string, string>, string][] = [
      [{ id_token_hint: String(tokens.id_token), post_logout_redirect_uri: 'https://evil.example/' }, 'post_logout_redirect_uri is not registered for this client'],
      [{ post_logout_redirect_uri: BYE }, 'post_logout_redirect_uri needs id_token_hint or client_id to identify the client'],
      [{ id_token_hint: String(tokens.id_token), client_id: 'front' }, 'client_id is not an audience of id_token_hint'],
      [{ id_token_hint: 'not.a.jwt' }, 'id_token_hint is not a valid ID token issued by this server'],
      [{ client_id: 'nobody' }, 'client_id is not a registered client'],
    ];
    for (const [params, description] of cases) {
      const response = await endSession(tp, jar, params);
      assert.equal(response.status, 400, description);
      assert.equal(response.headers.get('location'), null);
      assert.match(await response.text(), new RegExp(description));
    }
    assert.equal(await refreshWorks(tp, tokens.refresh_token), true, 'nothing was ended');
  });

  test('logout: a confirmation POST without the form cookie → error page, session kept', async () => {
    const tp = await setup(backchannel().transport);
    const jar = new CookieJar();
    const tokens = await signIn(tp, jar);
    const response = await tp.provider.fetch(new Request(`${ISSUER}/end_session/confirm`, {
      method: 'POST',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf_token: 'forged', logout_request: 'x', decision: 'logout' }),
    }));
    assert.equal(response.status, 400);
    assert.equal(await refreshWorks(tp, tokens.refresh_token), true);
  });
});
