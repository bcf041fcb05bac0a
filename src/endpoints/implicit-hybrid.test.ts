/** Implicit and hybrid response types (OIDC Core §3.2, §3.3): off by default, enabled per client. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { parseClientMetadata } from '../core/client-metadata.js';
import {
  ALICE,
  assertOAuthError,
  authorizeUrl,
  basicAuth,
  CookieJar,
  disableBeforeNextGrant,
  hiddenInput,
  ISSUER,
  PKCE,
  postForm,
  runBrowserlessFlow,
  SEED_SECRET,
  testProvider,
  type TestProvider,
} from '../../test/helpers/index.js';

const CB = 'https://rp.example/cb';
const ALL_TYPES = ['code', 'id_token', 'id_token token', 'code id_token', 'code token', 'code id_token token'];
/** A confidential client registered for every response type. */
const HYBRID = { client_id: 'hybrid', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'implicit', 'refresh_token'], response_types: ALL_TYPES };
/** A public client for the implicit and hybrid types. */
const SPA = { client_id: 'spa', token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'implicit'], response_types: ['id_token', 'code id_token'] };
/** A client with the defaults: code only. */
const WEB = { client_id: 'web', client_secret: SEED_SECRET };

function setup(): Promise<TestProvider> {
  return testProvider({ clients: [HYBRID, SPA, WEB], accounts: [ALICE] });
}

/** Runs login and consent; returns the parameters the client received in the fragment. */
async function authorize(tp: TestProvider, params: Record<string, string>, jar = new CookieJar()): Promise<Record<string, string>> {
  const flow = await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ client_id: 'hybrid', redirect_uri: CB, scope: 'openid email profile', nonce: 'n-0S6_WzA2Mj', state: 'af0ifjsldkj', ...params }), {
    credentials: { username: String(ALICE.username), password: String(ALICE.password) },
    decision: 'allow',
    jar,
  });
  const redirect = flow.redirect;
  assert.ok(redirect, `a redirect to the client, got ${flow.response.status}`);
  assert.equal(`${redirect.origin}${redirect.pathname}`, CB);
  assert.equal(redirect.search, '', 'nothing in the query');
  return Object.fromEntries(new URLSearchParams(redirect.hash.slice(1)));
}

/** A request answered at once (no pages), and its fragment. */
async function fragmentOf(tp: TestProvider, params: Record<string, string>): Promise<Record<string, string>> {
  const response = await tp.provider.fetch(new Request(authorizeUrl({ redirect_uri: CB, state: 's', ...params })));
  assert.equal(response.status, 302);
  const location = new URL(response.headers.get('location')!);
  assert.equal(`${location.origin}${location.pathname}${location.search}`, CB);
  return Object.fromEntries(new URLSearchParams(location.hash.slice(1)));
}

async function verifyIdToken(tp: TestProvider, idToken: string, audience = 'hybrid'): Promise<JWTPayload> {
  const jwks = createLocalJWKSet(await (await tp.provider.fetch(new Request(`${ISSUER}/jwks`))).json());
  return (await jwtVerify(idToken, jwks, { issuer: ISSUER, audience, currentDate: new Date(tp.clock.now() * 1000) })).payload;
}

/** OIDC Core §3.3.2.11: base64url of the left half of the SHA-256 of the value (RS256). */
function leftHalfSha256(value: string): string {
  return createHash('sha256').update(value).digest().subarray(0, 16).toString('base64url');
}

describe('implicit and hybrid: registration', () => {
  test('a client registers the types with the implicit grant; parts in any order are one type', () => {
    const metadata = parseClientMetadata({ redirect_uris: [CB], grant_types: ['authorization_code', 'implicit'], response_types: ['token id_token code', 'id_token'] });
    assert.deepEqual(metadata.response_types, ['code id_token token', 'id_token']);
  });

  test('bad registrations are refused with the reason', () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ redirect_uris: [CB], grant_types: ['authorization_code'], response_types: ['code id_token'] }, 'invalid_client_metadata', 'grant_types implicit and a response_type with id_token or token must be registered together'],
      [{ redirect_uris: [CB], grant_types: ['implicit'], response_types: ['code id_token'] }, 'invalid_client_metadata', 'grant_types authorization_code and a response_type with code must be registered together'],
      [{ redirect_uris: ['http://localhost:3000/cb'], grant_types: ['implicit'], response_types: ['id_token'] }, 'invalid_redirect_uri', 'redirect URI http://localhost:3000/cb must use https on a host other than localhost for response types that return tokens'],
      [{ redirect_uris: ['https://localhost/cb'], grant_types: ['implicit'], response_types: ['id_token'] }, 'invalid_redirect_uri', 'redirect URI https://localhost/cb must use https on a host other than localhost for response types that return tokens'],
      [{ grant_types: ['implicit'], response_types: ['id_token'] }, 'invalid_redirect_uri', 'redirect_uris is required for the implicit grant'],
      [{ redirect_uris: [CB], grant_types: ['implicit'], response_types: ['token'] }, 'invalid_client_metadata', `response_type token is not supported (supported: ${ALL_TYPES.join(', ')})`],
    ];
    for (const [input, error, description] of cases) {
      assert.throws(() => parseClientMetadata(input), (thrown: Error & { error?: string; description?: string }) => {
        assert.equal(thrown.error, error);
        assert.equal(thrown.description, description);
        return true;
      });
    }
  });

  test('a native client may use a loopback redirect URI for the implicit types', () => {
    assert.doesNotThrow(() => parseClientMetadata({ application_type: 'native', redirect_uris: ['http://127.0.0.1:5000/cb'], grant_types: ['implicit'], response_types: ['id_token'] }));
  });
});

describe('implicit and hybrid: responses', () => {
  test('id_token → the ID token in the fragment with nonce and the scope\'s claims; no code, no access token', async () => {
    const tp = await setup();
    const fragment = await authorize(tp, { response_type: 'id_token' });
    assert.deepEqual(Object.keys(fragment).sort(), ['id_token', 'iss', 'state']);
    assert.equal(fragment.iss, ISSUER);
    assert.equal(fragment.state, 'af0ifjsldkj');
    const claims = await verifyIdToken(tp, fragment.id_token!);
    assert.equal(claims.nonce, 'n-0S6_WzA2Mj');
    assert.equal(claims.sub, tp.accounts[0]!.sub);
    assert.equal(claims.email, ALICE.email, 'OIDC Core §5.4: no access token, so the claims travel in the ID token');
    assert.equal(claims.name, ALICE.name);
    assert.equal(claims.at_hash, undefined);
    assert.equal(claims.c_hash, undefined);
    assert.equal(typeof claims.sid, 'string');
  });

  test('id_token token → an access token with at_hash in the ID token; the claims come from /userinfo', async () => {
    const tp = await setup();
    const fragment = await authorize(tp, { response_type: 'id_token token' });
    assert.deepEqual(Object.keys(fragment).sort(), ['access_token', 'expires_in', 'id_token', 'iss', 'scope', 'state', 'token_type']);
    assert.equal(fragment.token_type, 'Bearer');
    assert.equal(fragment.expires_in, '3600');
    assert.equal(fragment.scope, 'openid email profile');
    const claims = await verifyIdToken(tp, fragment.id_token!);
    assert.equal(claims.at_hash, leftHalfSha256(fragment.access_token!));
    assert.equal(claims.email, undefined);
    const userinfo = await tp.provider.fetch(new Request(`${ISSUER}/userinfo`, { headers: { authorization: `Bearer ${fragment.access_token}` } }));
    assert.equal(userinfo.status, 200);
    assert.equal((await userinfo.json()).email, ALICE.email);
  });

  test('code id_token → a code and an ID token with c_hash; the code is exchanged as usual', async () => {
    const tp = await setup();
    const fragment = await authorize(tp, { response_type: 'code id_token' });
    assert.deepEqual(Object.keys(fragment).sort(), ['code', 'id_token', 'iss', 'state']);
    const claims = await verifyIdToken(tp, fragment.id_token!);
    assert.equal(claims.c_hash, leftHalfSha256(fragment.code!));
    assert.equal(claims.nonce, 'n-0S6_WzA2Mj');
    const { response, body } = await postForm(tp, '/token', { grant_type: 'authorization_code', code: fragment.code!, redirect_uri: CB }, { authorization: basicAuth('hybrid', SEED_SECRET) });
    assert.equal(response.status, 200);
    assert.ok(body.refresh_token);
    const fromToken = await verifyIdToken(tp, String(body.id_token));
    assert.equal(fromToken.sub, claims.sub);
    assert.equal(fromToken.nonce, 'n-0S6_WzA2Mj');
  });

  test('code id_token token → all three, with c_hash and at_hash; the parts may come in any order', async () => {
    const tp = await setup();
    const fragment = await authorize(tp, { response_type: 'token code id_token' });
    assert.deepEqual(Object.keys(fragment).sort(), ['access_token', 'code', 'expires_in', 'id_token', 'iss', 'scope', 'state', 'token_type']);
    const claims = await verifyIdToken(tp, fragment.id_token!);
    assert.equal(claims.c_hash, leftHalfSha256(fragment.code!));
    assert.equal(claims.at_hash, leftHalfSha256(fragment.access_token!));
  });

  test('code token → a code and an access token, no nonce needed; replaying the code revokes that access token too', async () => {
    const tp = await setup();
    const fragment = await authorize(tp, { response_type: 'code token', scope: 'openid', nonce: '' });
    assert.deepEqual(Object.keys(fragment).sort(), ['access_token', 'code', 'expires_in', 'iss', 'scope', 'state', 'token_type']);
    const exchange = () => postForm(tp, '/token', { grant_type: 'authorization_code', code: fragment.code!, redirect_uri: CB }, { authorization: basicAuth('hybrid', SEED_SECRET) });
    assert.equal((await exchange()).response.status, 200);
    const introspect = () => postForm(tp, '/introspect', { token: fragment.access_token! }, { authorization: basicAuth('hybrid', SEED_SECRET) });
    assert.equal((await introspect()).body.active, true);
    const replay = await exchange();
    assertOAuthError(replay.response, replay.body, 400, 'invalid_grant', 'authorization code is invalid');
    assert.deepEqual((await introspect()).body, { active: false }, 'the whole grant is revoked');
  });

  test('id_token token, the account disabled in the moment the authorization is answered → access_denied, no access token stored', async () => {
    const tp = await setup();
    const issued: unknown[] = [];
    tp.provider.on('access_token.issued', (event) => issued.push(event));
    assert.equal(typeof (await authorize(tp, { response_type: 'id_token token' })).access_token, 'string');
    assert.equal(issued.length, 1);
    disableBeforeNextGrant(tp, tp.accounts[0]!);
    const fragment = await authorize(tp, { response_type: 'id_token token' });
    assert.deepEqual(fragment, { error: 'access_denied', error_description: 'the end-user can no longer sign in', state: 'af0ifjsldkj', iss: ISSUER });
    assert.equal(issued.length, 1, 'no access token issued');
  });

  test('response_mode=form_post → the tokens in an auto-submitting form, not in the URL', async () => {
    const tp = await setup();
    const flow = await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({
      client_id: 'hybrid', redirect_uri: CB, scope: 'openid', nonce: 'n', response_type: 'code id_token', response_mode: 'form_post',
    }), { credentials: { username: String(ALICE.username), password: String(ALICE.password) }, decision: 'allow' });
    assert.equal(flow.response.status, 200);
    const html = await flow.response.text();
    assert.match(html, new RegExp(`<form method="post" action="${CB}"`));
    assert.ok(hiddenInput(html, 'code'));
    assert.equal((await verifyIdToken(tp, hiddenInput(html, 'id_token')!)).nonce, 'n');
  });

  test('a second authorization in the same browser answers at once, in the fragment', async () => {
    const tp = await setup();
    const jar = new CookieJar();
    await authorize(tp, { response_type: 'id_token' }, jar);
    const response = await tp.provider.fetch(new Request(authorizeUrl({ client_id: 'hybrid', redirect_uri: CB, scope: 'openid email profile', nonce: 'second', response_type: 'id_token' }), { headers: { cookie: jar.header() } }));
    assert.equal(response.status, 302);
    const fragment = new URLSearchParams(new URL(response.headers.get('location')!).hash.slice(1));
    assert.equal((await verifyIdToken(tp, fragment.get('id_token')!)).nonce, 'second');
  });

  test('a public client: id_token needs no PKCE; code id_token does', async () => {
    const tp = await setup();
    const implicit = await authorize(tp, { client_id: 'spa', response_type: 'id_token', scope: 'openid' });
    assert.ok(implicit.id_token);
    const withoutPkce = await fragmentOf(tp, { client_id: 'spa', response_type: 'code id_token', scope: 'openid', nonce: 'n' });
    assert.deepEqual(withoutPkce, { error: 'invalid_request', error_description: 'code_challenge is required for public clients (PKCE, S256)', state: 's', iss: ISSUER });
    const hybrid = await authorize(tp, { client_id: 'spa', response_type: 'code id_token', scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' });
    assert.ok(hybrid.code);
  });
});

describe('implicit and hybrid: errors, in the fragment', () => {
  const cases: [string, Record<string, string>, string, string][] = [
    ['a client not registered for the type', { client_id: 'web', response_type: 'id_token', scope: 'openid', nonce: 'n' }, 'unauthorized_client', 'client is not allowed to use response_type id_token'],
    ['no nonce', { client_id: 'hybrid', response_type: 'code id_token', scope: 'openid' }, 'invalid_request', 'nonce is required for response_type code id_token'],
    ['no openid scope', { client_id: 'hybrid', response_type: 'id_token', scope: 'email', nonce: 'n' }, 'invalid_request', 'response_type id_token needs the openid scope'],
    ['response_mode=query', { client_id: 'hybrid', response_type: 'id_token token', scope: 'openid', nonce: 'n', response_mode: 'query' }, 'invalid_request', 'response_mode query is not allowed for response_type id_token token: tokens must not travel in a query string'],
    ['prompt=none without a session', { client_id: 'hybrid', response_type: 'id_token', scope: 'openid', nonce: 'n', prompt: 'none' }, 'login_required', 'the end-user is not logged in'],
    ['the bare token type', { client_id: 'hybrid', response_type: 'token', scope: 'openid' }, 'unsupported_response_type', 'response_type token is not supported'],
  ];
  for (const [name, params, error, description] of cases) {
    test(`implicit and hybrid: ${name} → ${error}`, async () => {
      const tp = await setup();
      if (params.response_type === 'token') {
        // An unknown type has no default mode of its own: the error goes in the query.
        const response = await tp.provider.fetch(new Request(authorizeUrl({ redirect_uri: CB, state: 's', ...params })));
        const location = new URL(response.headers.get('location')!);
        assert.equal(location.hash, '');
        assert.deepEqual(Object.fromEntries(location.searchParams), { error, error_description: description, state: 's', iss: ISSUER });
        return;
      }
      assert.deepEqual(await fragmentOf(tp, params), { error, error_description: description, state: 's', iss: ISSUER });
    });
  }
});
