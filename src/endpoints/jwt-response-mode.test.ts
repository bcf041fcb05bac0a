import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import {
  ALICE, basicAuth, CookieJar, hiddenInput, ISSUER, postForm, runBrowserlessFlow, SEED_SECRET, testProvider, type TestProvider,
} from '../../test/helpers/index.js';
import { InvalidClientMetadata } from '../core/errors.js';
import { parseClientMetadata } from '../core/client-metadata.js';

const WEB = { client_id: 'web', client_secret: SEED_SECRET };
const EC = { client_id: 'ec', client_secret: SEED_SECRET, authorization_signed_response_alg: 'ES256' };
const HYBRID = { client_id: 'hybrid', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'implicit'], response_types: ['code', 'code id_token'] };

/** The test provider's clock. */
const NOW = Math.floor(Date.parse('2030-01-01T00:00:00Z') / 1000);

function setup(): Promise<TestProvider> {
  return testProvider({ clients: [WEB, EC, HYBRID], accounts: [ALICE] });
}

const REQUEST = { response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid', state: 'jarm-state' };

function authorize(tp: TestProvider, query: Record<string, string>, decision: 'allow' | 'deny' = 'allow') {
  return runBrowserlessFlow((request) => tp.provider.fetch(request), `${ISSUER}/authorize?${new URLSearchParams({ ...REQUEST, ...query })}`, {
    credentials: { username: String(ALICE.username), password: String(ALICE.password) },
    decision,
    jar: new CookieJar(),
  });
}

/** `response`, verified against the provider's published keys as the client would: signature, iss, aud, exp. */
async function verifyResponse(tp: TestProvider, response: string | null | undefined, client_id: string): Promise<JWTPayload> {
  assert.ok(response, 'a response JWT');
  const jwks = (await (await tp.provider.fetch(new Request(`${ISSUER}/jwks`))).json()) as JSONWebKeySet;
  const { payload } = await jwtVerify(response, createLocalJWKSet(jwks), { issuer: ISSUER, audience: client_id, currentDate: new Date(NOW * 1000), requiredClaims: ['exp'] });
  assert.equal(payload.exp, NOW + 300);
  return payload;
}

describe('JWT-secured authorization responses (JARM)', () => {
  test('jarm: response_mode=jwt for code → query.jwt: the redirect carries only `response`, a JWT signed by latchkey with iss, aud, exp, code and state; the code works', async () => {
    const tp = await setup();
    const result = await authorize(tp, { client_id: 'web', response_mode: 'jwt' });
    assert.equal(result.redirect?.origin + result.redirect!.pathname, 'https://rp.example/cb');
    assert.deepEqual([...result.redirect!.searchParams.keys()], ['response'], 'no code, state or iss outside the JWT');
    const response = result.redirect!.searchParams.get('response');
    assert.equal(decodeProtectedHeader(response!).alg, 'RS256');
    const claims = await verifyResponse(tp, response, 'web');
    assert.equal(claims.state, 'jarm-state');
    assert.equal(typeof claims.code, 'string');
    const tokens = await postForm(tp, '/token', { grant_type: 'authorization_code', code: String(claims.code), redirect_uri: 'https://rp.example/cb' }, { authorization: basicAuth('web', SEED_SECRET) });
    assert.equal(tokens.response.status, 200);
  });

  test('jarm: fragment.jwt in the fragment; form_post.jwt as the one field of the auto-submitted form; signed with the client\'s authorization_signed_response_alg', async () => {
    const tp = await setup();
    const fragment = await authorize(tp, { client_id: 'ec', response_mode: 'fragment.jwt' });
    assert.equal(fragment.redirect?.search, '');
    const inFragment = new URLSearchParams(fragment.redirect!.hash.slice(1));
    assert.deepEqual([...inFragment.keys()], ['response']);
    assert.equal(decodeProtectedHeader(inFragment.get('response')!).alg, 'ES256');
    assert.equal((await verifyResponse(tp, inFragment.get('response'), 'ec')).state, 'jarm-state');

    const posted = await authorize(tp, { client_id: 'web', response_mode: 'form_post.jwt' });
    assert.equal(posted.redirect, undefined);
    const page = await posted.response.text();
    assert.match(page, /<form[^>]*method="post"[^>]*action="https:\/\/rp\.example\/cb"/);
    assert.equal(hiddenInput(page, 'state'), undefined);
    assert.equal(hiddenInput(page, 'code'), undefined);
    assert.equal(typeof (await verifyResponse(tp, hiddenInput(page, 'response'), 'web')).code, 'string');
  });

  test('jarm: errors at the redirect URI come as JWTs too — a denial, prompt=none without a session, a bad scope', async () => {
    const tp = await setup();
    const denied = await authorize(tp, { client_id: 'web', response_mode: 'jwt' }, 'deny');
    const deniedClaims = await verifyResponse(tp, denied.redirect?.searchParams.get('response'), 'web');
    assert.equal(deniedClaims.error, 'access_denied');
    assert.equal(deniedClaims.state, 'jarm-state');

    for (const [query, error] of [[{ prompt: 'none' }, 'login_required'], [{ scope: 'nothing-known' }, 'invalid_scope']] as const) {
      const response = await tp.provider.fetch(new Request(`${ISSUER}/authorize?${new URLSearchParams({ ...REQUEST, client_id: 'web', response_mode: 'query.jwt', ...query })}`));
      assert.equal(response.status, 302);
      const location = new URL(response.headers.get('location')!);
      assert.deepEqual([...location.searchParams.keys()], ['response']);
      assert.equal((await verifyResponse(tp, location.searchParams.get('response'), 'web')).error, error);
    }
  });

  test('jarm: a type that returns tokens never in a query — query.jwt refused (in fragment.jwt) unless encrypted, jwt means fragment.jwt', async () => {
    const tp = await setup();
    const hybrid = { client_id: 'hybrid', response_type: 'code id_token', nonce: 'n-1' };
    const refused = await tp.provider.fetch(new Request(`${ISSUER}/authorize?${new URLSearchParams({ ...REQUEST, ...hybrid, response_mode: 'query.jwt' })}`));
    const location = new URL(refused.headers.get('location')!);
    assert.equal(location.search, '');
    const claims = await verifyResponse(tp, new URLSearchParams(location.hash.slice(1)).get('response'), 'hybrid');
    assert.equal(claims.error, 'invalid_request');
    assert.equal(claims.error_description, 'response_mode query.jwt is not allowed for response_type code id_token: tokens must not travel in a query string unless the response is encrypted (authorization_encrypted_response_alg)');

    const result = await authorize(tp, { ...hybrid, response_mode: 'jwt' });
    const inFragment = await verifyResponse(tp, new URLSearchParams(result.redirect!.hash.slice(1)).get('response'), 'hybrid');
    assert.equal(typeof inFragment.code, 'string');
    assert.equal(typeof inFragment.id_token, 'string');
  });

  test('jarm: an unknown response mode → invalid_request in the plain default mode', async () => {
    const tp = await setup();
    const response = await tp.provider.fetch(new Request(`${ISSUER}/authorize?${new URLSearchParams({ ...REQUEST, client_id: 'web', response_mode: 'web_message.jwt' })}`));
    const location = new URL(response.headers.get('location')!);
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.equal(location.searchParams.get('error_description'), 'response_mode web_message.jwt is not supported');
    assert.equal(location.searchParams.get('iss'), ISSUER);
  });

  test('jarm: authorization_signed_response_alg is one of latchkey\'s signing algorithms', () => {
    const base = { redirect_uris: ['https://rp.example/cb'] };
    assert.equal(parseClientMetadata({ ...base, authorization_signed_response_alg: 'EdDSA' }).authorization_signed_response_alg, 'EdDSA');
    assert.throws(() => parseClientMetadata({ ...base, authorization_signed_response_alg: 'HS256' }), (error: unknown) => error instanceof InvalidClientMetadata && error.description === 'authorization_signed_response_alg must be one of RS256, PS256, ES256, EdDSA');
  });
});
