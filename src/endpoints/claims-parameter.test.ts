/** The claims request parameter (OIDC Core §5.5). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import {
  ALICE,
  authorizeUrl,
  basicAuth,
  CookieJar,
  ISSUER,
  postForm,
  runBrowserlessFlow,
  SEED_SECRET,
  testProvider,
  type TestProvider,
} from '../../test/helpers/index.js';

const CB = 'https://rp.example/cb';
const APP = { client_id: 'app', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token', 'implicit'], response_types: ['code', 'id_token'] };
/** email at /userinfo, the full name in the ID token — with only the openid scope. */
const CLAIMS = JSON.stringify({ userinfo: { email: null }, id_token: { name: { essential: true } } });

function setup(): Promise<TestProvider> {
  return testProvider({ clients: [APP], accounts: [ALICE] });
}

function flow(tp: TestProvider, params: Record<string, string>, options: { jar?: CookieJar; decision?: 'allow' } = {}) {
  return runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ response_type: 'code', client_id: 'app', redirect_uri: CB, scope: 'openid', ...params }), {
    credentials: { username: String(ALICE.username), password: String(ALICE.password) },
    ...(options.decision === undefined ? {} : { decision: options.decision }),
    ...(options.jar === undefined ? {} : { jar: options.jar }),
  });
}

async function verify(tp: TestProvider, idToken: unknown): Promise<JWTPayload> {
  const jwks = createLocalJWKSet(await (await tp.provider.fetch(new Request(`${ISSUER}/jwks`))).json());
  return (await jwtVerify(String(idToken), jwks, { issuer: ISSUER, audience: 'app', currentDate: new Date(tp.clock.now() * 1000) })).payload;
}

async function userinfo(tp: TestProvider, accessToken: unknown): Promise<Record<string, unknown>> {
  const response = await tp.provider.fetch(new Request(`${ISSUER}/userinfo`, { headers: { authorization: `Bearer ${String(accessToken)}` } }));
  assert.equal(response.status, 200);
  return (await response.json()) as Record<string, unknown>;
}

async function tokensFrom(tp: TestProvider, redirect: URL | undefined) {
  const code = redirect?.searchParams.get('code');
  assert.ok(code, `a code, got ${redirect?.href}`);
  return (await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: CB }, { authorization: basicAuth('app', SEED_SECRET) })).body;
}

describe('claims parameter', () => {
  test('claims asked one by one are shown at consent and released where asked: the ID token or /userinfo', async () => {
    const tp = await setup();
    const consentPage = await flow(tp, { claims: CLAIMS });
    const html = await consentPage.response.text();
    assert.ok(html.includes('Your email address'), 'the consent page lists the email claim');
    assert.ok(html.includes('Your full name'), 'and the name claim');

    const tokens = await tokensFrom(tp, (await flow(tp, { claims: CLAIMS }, { decision: 'allow' })).redirect);
    const idToken = await verify(tp, tokens.id_token);
    assert.equal(idToken.name, ALICE.name);
    assert.equal(idToken.email, undefined, 'email was asked for /userinfo, not the ID token');
    const info = await userinfo(tp, tokens.access_token);
    assert.deepEqual(info, { sub: tp.accounts[0]!.sub, email: ALICE.email });
  });

  test('refreshed tokens keep releasing the requested claims', async () => {
    const tp = await setup();
    const tokens = await tokensFrom(tp, (await flow(tp, { claims: CLAIMS }, { decision: 'allow' })).redirect);
    const refreshed = (await postForm(tp, '/token', { grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) }, { authorization: basicAuth('app', SEED_SECRET) })).body;
    assert.equal((await verify(tp, refreshed.id_token)).name, ALICE.name);
    assert.equal((await userinfo(tp, refreshed.access_token)).email, ALICE.email);
  });

  test('consent is remembered per claim: the same claims pass, a new one asks again', async () => {
    const tp = await setup();
    const jar = new CookieJar();
    const first = await flow(tp, { claims: CLAIMS }, { jar, decision: 'allow' });
    assert.deepEqual(first.pages, ['login', 'consent']);
    const again = await flow(tp, { claims: CLAIMS }, { jar, decision: 'allow' });
    assert.deepEqual(again.pages, [], 'no page: login and consent remembered');
    assert.ok(again.redirect?.searchParams.get('code'));
    const wider = await flow(tp, { claims: JSON.stringify({ userinfo: { email: null, given_name: null } }) }, { jar, decision: 'allow' });
    assert.deepEqual(wider.pages, ['consent']);
  });

  test('claims latchkey does not know are ignored; so is the parameter without the openid scope', async () => {
    const tp = await setup();
    const jar = new CookieJar();
    await flow(tp, {}, { jar, decision: 'allow' });
    const unknown = await flow(tp, { claims: JSON.stringify({ userinfo: { shoe_size: null }, other_member: { x: 1 } }) }, { jar });
    assert.deepEqual(unknown.pages, [], 'nothing new to consent to');
    const tokens = await tokensFrom(tp, unknown.redirect);
    assert.deepEqual(await userinfo(tp, tokens.access_token), { sub: tp.accounts[0]!.sub });
  });

  test('response_type=id_token: claims asked for the ID token travel in it', async () => {
    const tp = await setup();
    const result = await flow(tp, { response_type: 'id_token', nonce: 'n', claims: JSON.stringify({ id_token: { email: null } }) }, { decision: 'allow' });
    const fragment = new URLSearchParams(result.redirect!.hash.slice(1));
    const idToken = await verify(tp, fragment.get('id_token'));
    assert.equal(idToken.email, ALICE.email);
    assert.equal(idToken.name, undefined);
  });

  test('a sub value: the signed-in user answers at once; another user → login_required, or access_denied after signing in', async () => {
    const tp = await setup();
    const jar = new CookieJar();
    await flow(tp, {}, { jar, decision: 'allow' });
    const mine = JSON.stringify({ id_token: { sub: { value: tp.accounts[0]!.sub } } });
    const silent = await tp.provider.fetch(new Request(authorizeUrl({ response_type: 'code', client_id: 'app', redirect_uri: CB, scope: 'openid', prompt: 'none', claims: mine }), { headers: { cookie: jar.header() } }));
    assert.ok(new URL(silent.headers.get('location')!).searchParams.get('code'));

    const someoneElse = JSON.stringify({ id_token: { sub: { value: 'someone-else' } } });
    const refused = await tp.provider.fetch(new Request(authorizeUrl({ response_type: 'code', client_id: 'app', redirect_uri: CB, scope: 'openid', prompt: 'none', state: 's', claims: someoneElse }), { headers: { cookie: jar.header() } }));
    assert.deepEqual(Object.fromEntries(new URL(refused.headers.get('location')!).searchParams), { error: 'login_required', error_description: 'the end-user is not logged in', state: 's', iss: ISSUER });

    const signedIn = await flow(tp, { claims: someoneElse, state: 's' }, { jar, decision: 'allow' });
    assert.deepEqual(signedIn.pages, ['login'], 'asked to sign in as the named user');
    assert.deepEqual(Object.fromEntries(signedIn.redirect!.searchParams), {
      error: 'access_denied', error_description: 'the signed-in end-user is not the one the claims parameter names', state: 's', iss: ISSUER,
    });
  });

  test('malformed claims → invalid_request at the client, each with the reason', async () => {
    const tp = await setup();
    const cases: [Record<string, string>, string][] = [
      [{ claims: 'not json' }, 'claims must be a JSON object'],
      [{ claims: '["email"]' }, 'claims must be a JSON object'],
      [{ claims: JSON.stringify({ userinfo: { email: 5 } }) }, 'claims.userinfo.email: '],
      [{ claims: JSON.stringify({ userinfo: { email: { essential: 'yes' } } }) }, 'claims.userinfo.email'],
      [{ claims: JSON.stringify({ id_token: { sub: { value: 42 } } }) }, 'claims.id_token.sub.value must be a string'],
      [{ claims: JSON.stringify({ userinfo: { email: null } }), response_type: 'id_token', nonce: 'n' }, 'claims.userinfo needs a response_type that issues an access token'],
    ];
    for (const [params, description] of cases) {
      const response = await tp.provider.fetch(new Request(authorizeUrl({ response_type: 'code', client_id: 'app', redirect_uri: CB, scope: 'openid', state: 's', ...params })));
      assert.equal(response.status, 302);
      const location = new URL(response.headers.get('location')!);
      const answer = Object.fromEntries(params.response_type === 'id_token' ? new URLSearchParams(location.hash.slice(1)) : location.searchParams);
      assert.equal(answer.error, 'invalid_request', params.claims);
      assert.ok(answer.error_description!.startsWith(description), `${answer.error_description} starts with ${description}`);
    }
  });
});
