import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { decodeJwt, exportJWK, SignJWT } from 'jose';
import {
  ALICE, assertOAuthError, basicAuth, ISSUER, obtainCode, PKCE, postForm, SEED_SECRET, testProvider, type TestProvider,
} from '../../test/helpers/index.js';
import { adminClientToken } from '../../test/helpers/admin.js';
import { dpopKey, dpopProof as proof, type DpopKey } from '../../test/helpers/dpop.js';
import type { ConfigInput } from '../core/config.js';
import { parseResourceServer } from '../core/resource-servers.js';

const WEB = { client_id: 'web', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token'] };
const SPA = { client_id: 'spa', token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] };
const SERVICE = { client_id: 'service', client_secret: SEED_SECRET, grant_types: ['client_credentials'], scope: 'orders:read' };
const STRICT = { client_id: 'strict', client_secret: SEED_SECRET, grant_types: ['client_credentials'], scope: 'orders:read', dpop_bound_access_tokens: true };
const ORDERS = 'https://orders.example/api';
const CB = 'https://rp.example/cb';

async function setup(config: ConfigInput = {}): Promise<TestProvider> {
  const tp = await testProvider({ clients: [WEB, SPA, SERVICE, STRICT], accounts: [ALICE], config });
  await tp.provider.context.storage.resourceServers.create(parseResourceServer({ resource: ORDERS, scope: 'orders:read', access_token_format: 'jwt', access_token_signing_alg: 'ES256' }, tp.clock));
  return tp;
}

async function token(tp: TestProvider, fields: Record<string, string>, headers: Record<string, string>) {
  return postForm(tp, '/token', fields, headers);
}

function clientCredentials(tp: TestProvider, dpop?: string, client_id = 'service', fields: Record<string, string> = {}) {
  return token(tp, { grant_type: 'client_credentials', ...fields }, { authorization: basicAuth(client_id, SEED_SECRET), ...(dpop === undefined ? {} : { dpop }) });
}

function userinfo(tp: TestProvider, authorization: string, dpop?: string) {
  return tp.provider.fetch(new Request(`${ISSUER}/userinfo`, { headers: { authorization, ...(dpop === undefined ? {} : { dpop }) } }));
}

/** The code flow of the public client, its code exchanged with a proof by `key`. */
async function spaTokens(tp: TestProvider, key: DpopKey, authorize: Record<string, string> = {}) {
  const code = await obtainCode(tp, { client_id: 'spa', scope: 'openid profile', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256', ...authorize });
  return token(tp, { grant_type: 'authorization_code', code, redirect_uri: CB, client_id: 'spa', code_verifier: PKCE.code_verifier }, { dpop: await proof(tp, key, 'POST', `${ISSUER}/token`) });
}

function refresh(tp: TestProvider, refreshToken: unknown, client: 'spa' | 'web', dpop?: string) {
  const headers: Record<string, string> = client === 'spa' ? {} : { authorization: basicAuth('web', SEED_SECRET) };
  if (dpop !== undefined) headers.dpop = dpop;
  return token(tp, { grant_type: 'refresh_token', refresh_token: String(refreshToken), ...(client === 'spa' ? { client_id: 'spa' } : {}) }, headers);
}

async function introspect(tp: TestProvider, value: unknown, client_id = 'service') {
  return (await postForm(tp, '/introspect', { token: String(value) }, { authorization: basicAuth(client_id, SEED_SECRET) })).body;
}

describe('DPoP (RFC 9449)', () => {
  test('dpop: client credentials with a proof → token_type DPoP; introspection tells cnf.jkt; a JWT access token carries cnf', async () => {
    const tp = await setup();
    const key = await dpopKey();
    const { response, body } = await clientCredentials(tp, await proof(tp, key, 'POST', `${ISSUER}/token`));
    assert.equal(response.status, 200);
    assert.equal(body.token_type, 'DPoP');
    const introspected = await introspect(tp, body.access_token);
    assert.equal(introspected.active, true);
    assert.equal(introspected.token_type, 'DPoP');
    assert.deepEqual(introspected.cnf, { jkt: key.jkt });

    const jwt = await clientCredentials(tp, await proof(tp, key, 'POST', `${ISSUER}/token`), 'service', { resource: ORDERS });
    assert.equal(jwt.body.token_type, 'DPoP');
    assert.deepEqual(decodeJwt(String(jwt.body.access_token)).cnf, { jkt: key.jkt });

    // Without a proof: a bearer token, as before.
    const bearer = await clientCredentials(tp);
    assert.equal(bearer.body.token_type, 'Bearer');
    const plain = await introspect(tp, bearer.body.access_token);
    assert.equal(plain.token_type, 'Bearer');
    assert.equal(plain.cnf, undefined);
  });

  test('dpop: a public client\'s tokens are bound, refresh token too: refreshed only with a proof by the same key', async () => {
    const tp = await setup();
    const key = await dpopKey();
    const tokens = await spaTokens(tp, key);
    assert.equal(tokens.response.status, 200);
    assert.equal(tokens.body.token_type, 'DPoP');

    const withoutProof = await refresh(tp, tokens.body.refresh_token, 'spa');
    assertOAuthError(withoutProof.response, withoutProof.body, 400, 'invalid_dpop_proof', 'a DPoP proof is required: the refresh token is bound to a DPoP key');
    const other = await dpopKey();
    const otherKey = await refresh(tp, tokens.body.refresh_token, 'spa', await proof(tp, other, 'POST', `${ISSUER}/token`));
    assertOAuthError(otherKey.response, otherKey.body, 400, 'invalid_grant', 'the DPoP proof is not signed by the key the refresh token is bound to');

    const refreshed = await refresh(tp, tokens.body.refresh_token, 'spa', await proof(tp, key, 'POST', `${ISSUER}/token`));
    assert.equal(refreshed.response.status, 200);
    assert.equal(refreshed.body.token_type, 'DPoP');
    assert.notEqual(refreshed.body.refresh_token, tokens.body.refresh_token, 'rotated');
    // The successor is bound as well.
    const again = await refresh(tp, refreshed.body.refresh_token, 'spa');
    assert.equal(again.body.error, 'invalid_dpop_proof');
  });

  test('dpop: a thief without the key sets nothing off: a rotated bound refresh token or a redeemed bound code presented again revokes nothing', async () => {
    const tp = await setup();
    const key = await dpopKey();
    const thief = await dpopKey();
    const tokens = await spaTokens(tp, key);
    const refreshed = await refresh(tp, tokens.body.refresh_token, 'spa', await proof(tp, key, 'POST', `${ISSUER}/token`));
    tp.clock.advance(11); // past the reuse grace window: the old token again would be a replay
    for (const dpop of [undefined, await proof(tp, thief, 'POST', `${ISSUER}/token`)]) {
      const stolen = await refresh(tp, tokens.body.refresh_token, 'spa', dpop);
      assert.equal(stolen.response.status, 400);
      assert.notEqual(stolen.body.error_description, 'refresh token is invalid');
    }
    assert.equal(tp.events.filter((e) => e.name === 'refresh_token.reused').length, 0);
    const still = await refresh(tp, refreshed.body.refresh_token, 'spa', await proof(tp, key, 'POST', `${ISSUER}/token`));
    assert.equal(still.response.status, 200, 'the grant was not revoked');

    const code = await obtainCode(tp, { client_id: 'spa', scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256', dpop_jkt: key.jkt });
    const exchange = async (dpop: string) => token(tp, { grant_type: 'authorization_code', code, redirect_uri: CB, client_id: 'spa', code_verifier: PKCE.code_verifier }, { dpop });
    const first = await exchange(await proof(tp, key, 'POST', `${ISSUER}/token`));
    assert.equal(first.response.status, 200);
    const replayedByThief = await exchange(await proof(tp, thief, 'POST', `${ISSUER}/token`));
    assert.equal(replayedByThief.body.error, 'invalid_grant');
    assert.equal(tp.events.filter((e) => e.name === 'authorization_code.replayed').length, 0);
    const accessToken = String(first.body.access_token);
    const ok = await userinfo(tp, `DPoP ${accessToken}`, await proof(tp, key, 'GET', `${ISSUER}/userinfo`, { accessToken }));
    assert.equal(ok.status, 200, 'the first redemption\'s tokens still work');
  });

  test('dpop: a confidential client\'s refresh token is not bound (its authentication binds it); each access token is bound to its own request\'s proof', async () => {
    const tp = await setup();
    const key = await dpopKey();
    const code = await obtainCode(tp, { client_id: 'web', scope: 'openid' });
    const tokens = await token(tp, { grant_type: 'authorization_code', code, redirect_uri: CB }, { authorization: basicAuth('web', SEED_SECRET), dpop: await proof(tp, key, 'POST', `${ISSUER}/token`) });
    assert.equal(tokens.body.token_type, 'DPoP');
    const bearer = await refresh(tp, tokens.body.refresh_token, 'web');
    assert.equal(bearer.response.status, 200);
    assert.equal(bearer.body.token_type, 'Bearer');
    assert.equal((await userinfo(tp, `Bearer ${String(bearer.body.access_token)}`)).status, 200);
  });

  test('dpop: /userinfo takes a bound token with the DPoP scheme and a proof by its key, and nothing less', async () => {
    const tp = await setup();
    const key = await dpopKey();
    const { body } = await spaTokens(tp, key);
    const accessToken = String(body.access_token);
    const userinfoUrl = `${ISSUER}/userinfo`;

    const ok = await userinfo(tp, `DPoP ${accessToken}`, await proof(tp, key, 'GET', userinfoUrl, { accessToken }));
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as Record<string, unknown>).sub, tp.accounts[0]!.sub);

    const asBearer = await userinfo(tp, `Bearer ${accessToken}`);
    assert.equal(asBearer.status, 401);
    assert.match(asBearer.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/);

    const noProof = await userinfo(tp, `DPoP ${accessToken}`);
    assert.equal(noProof.status, 401);
    assert.deepEqual(await noProof.json(), { error: 'invalid_dpop_proof', error_description: 'a DPoP proof is required with the DPoP scheme' });
    assert.match(noProof.headers.get('www-authenticate') ?? '', /^DPoP .*error="invalid_dpop_proof".*algs="ES256 /);

    const otherKey = await dpopKey();
    const wrongKey = await userinfo(tp, `DPoP ${accessToken}`, await proof(tp, otherKey, 'GET', userinfoUrl, { accessToken }));
    assert.equal(wrongKey.status, 401);
    assert.deepEqual(await wrongKey.json(), { error: 'invalid_token', error_description: 'access token is not bound to the key of the DPoP proof' });
    assert.match(wrongKey.headers.get('www-authenticate') ?? '', /^DPoP /);

    const wrongAth = await userinfo(tp, `DPoP ${accessToken}`, await proof(tp, key, 'GET', userinfoUrl, { accessToken: 'another-token' }));
    assert.equal(((await wrongAth.json()) as Record<string, unknown>).error_description, 'DPoP proof ath does not match the access token');
    const noAth = await userinfo(tp, `DPoP ${accessToken}`, await proof(tp, key, 'GET', userinfoUrl));
    assert.equal(((await noAth.json()) as Record<string, unknown>).error, 'invalid_dpop_proof');
    const wrongMethod = await userinfo(tp, `DPoP ${accessToken}`, await proof(tp, key, 'POST', userinfoUrl, { accessToken }));
    assert.equal(((await wrongMethod.json()) as Record<string, unknown>).error_description, 'DPoP proof htm does not match the request method');

    // An unbound token sent with the DPoP scheme is not taken either.
    const bearerTokens = await spaTokensWithoutProof(tp);
    const unbound = await userinfo(tp, `DPoP ${String(bearerTokens.access_token)}`, await proof(tp, key, 'GET', userinfoUrl, { accessToken: String(bearerTokens.access_token) }));
    assert.equal(unbound.status, 401);
    assert.equal(((await unbound.json()) as Record<string, unknown>).error, 'invalid_token');
  });

  test('dpop: the token endpoint refuses bad proofs with 400 invalid_dpop_proof, before the code is spent', async () => {
    const tp = await setup();
    const key = await dpopKey();
    const other = await dpopKey();
    const tokenUrl = `${ISSUER}/token`;
    const hmacKey = new TextEncoder().encode('a-shared-secret-a-shared-secret!');
    const cases: [string, Promise<string> | string][] = [
      ['a JWT of another type', proof(tp, key, 'POST', tokenUrl, { header: { typ: 'JWT' } })],
      ['a symmetric algorithm', new SignJWT({ jti: randomUUID(), htm: 'POST', htu: tokenUrl, iat: tp.clock.now() }).setProtectedHeader({ typ: 'dpop+jwt', alg: 'HS256', jwk: key.jwk }).sign(hmacKey)],
      ['signed by another key than its jwk', proof(tp, key, 'POST', tokenUrl, { signWith: other.privateKey })],
      ['a private key in its jwk', (async () => proof(tp, { ...key, jwk: (await exportJWK(key.privateKey)) }, 'POST', tokenUrl))()],
      ['another method', proof(tp, key, 'GET', tokenUrl)],
      ['another endpoint', proof(tp, key, 'POST', `${ISSUER}/userinfo`)],
      ['another server', proof(tp, key, 'POST', 'https://elsewhere.example/token')],
      ['an iat too old', proof(tp, key, 'POST', tokenUrl, { claims: { iat: tp.clock.now() - 301 } })],
      ['an iat in the future', proof(tp, key, 'POST', tokenUrl, { claims: { iat: tp.clock.now() + 301 } })],
      ['no jti', proof(tp, key, 'POST', tokenUrl, { claims: { jti: undefined } })],
      ['a jti over 256 characters', proof(tp, key, 'POST', tokenUrl, { claims: { jti: 'j'.repeat(257) } })],
      ['a proof over 8 KB', proof(tp, key, 'POST', tokenUrl, { claims: { padding: 'p'.repeat(8192) } })],
      ['two proofs', (async () => `${await proof(tp, key, 'POST', tokenUrl)}, ${await proof(tp, key, 'POST', tokenUrl)}`)()],
      ['not a JWT', 'not-a-jwt'],
    ];
    const code = await obtainCode(tp, { client_id: 'spa', scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' });
    const exchange = (dpop: string) => token(tp, { grant_type: 'authorization_code', code, redirect_uri: CB, client_id: 'spa', code_verifier: PKCE.code_verifier }, { dpop });
    for (const [what, made] of cases) {
      const { response, body } = await exchange(await made);
      assert.equal(response.status, 400, what);
      assert.equal(body.error, 'invalid_dpop_proof', what);
      assert.equal(response.headers.get('cache-control'), 'no-store', what);
    }
    assert.equal(tp.events.filter((e) => e.name === 'access_token.issued').length, 0);
    // The code is still good: a valid proof redeems it; the same proof again is a replay.
    const valid = await proof(tp, key, 'POST', `${tokenUrl}/`);
    const { response, body } = await exchange(valid);
    assert.equal(response.status, 200);
    assert.equal(body.token_type, 'DPoP');
    const replayed = await clientCredentials(tp, valid);
    assertOAuthError(replayed.response, replayed.body, 400, 'invalid_dpop_proof', 'DPoP proof has been used already');
  });

  test('dpop: dpop_jkt at /authorize binds the code: its exchange needs a proof by that key', async () => {
    const tp = await setup();
    const key = await dpopKey();
    const other = await dpopKey();
    const codeFor = () => obtainCode(tp, { client_id: 'spa', scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256', dpop_jkt: key.jkt });
    const exchange = async (code: string, dpop?: string) => token(tp, { grant_type: 'authorization_code', code, redirect_uri: CB, client_id: 'spa', code_verifier: PKCE.code_verifier }, dpop === undefined ? {} : { dpop });

    const missing = await exchange(await codeFor());
    assertOAuthError(missing.response, missing.body, 400, 'invalid_dpop_proof', 'a DPoP proof is required: the authorization was bound to a DPoP key (dpop_jkt)');
    const wrong = await exchange(await codeFor(), await proof(tp, other, 'POST', `${ISSUER}/token`));
    assertOAuthError(wrong.response, wrong.body, 400, 'invalid_grant', 'the DPoP proof is not signed by the key the authorization was bound to (dpop_jkt)');
    const right = await exchange(await codeFor(), await proof(tp, key, 'POST', `${ISSUER}/token`));
    assert.equal(right.response.status, 200);
    assert.equal(right.body.token_type, 'DPoP');

    const malformed = await tp.provider.fetch(new Request(`${ISSUER}/authorize?${new URLSearchParams({ client_id: 'spa', response_type: 'code', redirect_uri: CB, scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256', dpop_jkt: 'not-a-thumbprint' })}`));
    const location = new URL(malformed.headers.get('location')!);
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.equal(location.searchParams.get('error_description'), 'dpop_jkt must be the base64url SHA-256 thumbprint of a JWK');
  });

  test('dpop: a proof sent with a pushed authorization request binds the code to its key; a dpop_jkt beside it must name the same key', async () => {
    const tp = await setup();
    const key = await dpopKey();
    const other = await dpopKey();
    const request = { client_id: 'spa', response_type: 'code', redirect_uri: CB, scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' };
    const mismatch = await postForm(tp, '/par', { ...request, dpop_jkt: other.jkt }, { dpop: await proof(tp, key, 'POST', `${ISSUER}/par`) });
    assertOAuthError(mismatch.response, mismatch.body, 400, 'invalid_request', 'dpop_jkt does not match the key of the DPoP proof');
    const badProof = await postForm(tp, '/par', request, { dpop: await proof(tp, key, 'POST', `${ISSUER}/token`) });
    assertOAuthError(badProof.response, badProof.body, 400, 'invalid_dpop_proof', 'DPoP proof htu does not match the endpoint');

    const pushed = await postForm(tp, '/par', request, { dpop: await proof(tp, key, 'POST', `${ISSUER}/par`) });
    assert.equal(pushed.response.status, 201);
    const code = await obtainCode(tp, { client_id: 'spa', request_uri: String(pushed.body.request_uri) });
    const withoutProof = await token(tp, { grant_type: 'authorization_code', code, redirect_uri: CB, client_id: 'spa', code_verifier: PKCE.code_verifier }, {});
    assert.equal(withoutProof.body.error, 'invalid_dpop_proof');
  });

  test('dpop: a client registered with dpop_bound_access_tokens gets no token without a proof', async () => {
    const tp = await setup();
    const refused = await clientCredentials(tp, undefined, 'strict');
    assertOAuthError(refused.response, refused.body, 400, 'invalid_dpop_proof', 'a DPoP proof is required for this client (dpop_bound_access_tokens)');
    const key = await dpopKey();
    const { response, body } = await clientCredentials(tp, await proof(tp, key, 'POST', `${ISSUER}/token`), 'strict');
    assert.equal(response.status, 200);
    assert.equal(body.token_type, 'DPoP');
  });

  test('dpop: the admin API takes a bound admin token only with the DPoP scheme and a proof', async () => {
    const tp = await setup();
    await adminClientToken(tp);
    const key = await dpopKey();
    const { body } = await token(tp, { grant_type: 'client_credentials', scope: 'latchkey:admin' }, { authorization: basicAuth('ops-robot', 'admin-secret-0123456789abcdef0123456789abcdef'), dpop: await proof(tp, key, 'POST', `${ISSUER}/token`) });
    assert.equal(body.token_type, 'DPoP');
    const accessToken = String(body.access_token);
    const url = `${ISSUER}/admin/api/clients`;
    const asBearer = await tp.provider.fetch(new Request(url, { headers: { authorization: `Bearer ${accessToken}` } }));
    assert.equal(asBearer.status, 401);
    const withProof = await tp.provider.fetch(new Request(url, { headers: { authorization: `DPoP ${accessToken}`, dpop: await proof(tp, key, 'GET', url, { accessToken }) } }));
    assert.equal(withProof.status, 200);
  });

  test('dpop: with LATCHKEY_DPOP_NONCES, a proof without a nonce of ours → use_dpop_nonce with a fresh DPoP-Nonce; with it → tokens, and a new nonce', async () => {
    const tp = await setup({ dpopNonces: true });
    const key = await dpopKey();
    const tokenUrl = `${ISSUER}/token`;
    const first = await clientCredentials(tp, await proof(tp, key, 'POST', tokenUrl));
    assertOAuthError(first.response, first.body, 400, 'use_dpop_nonce', 'a DPoP nonce is required: send the proof again with the nonce in DPoP-Nonce');
    const nonce = first.response.headers.get('dpop-nonce');
    assert.match(nonce ?? '', /^[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);

    const second = await clientCredentials(tp, await proof(tp, key, 'POST', tokenUrl, { claims: { nonce } }));
    assert.equal(second.response.status, 200);
    assert.equal(second.body.token_type, 'DPoP');
    assert.equal(second.response.headers.get('dpop-nonce'), nonce, 'the same minute: the same nonce');
    // Freshness is the nonce's: a client whose clock is twenty minutes off is served.
    const skewed = await clientCredentials(tp, await proof(tp, key, 'POST', tokenUrl, { claims: { nonce, iat: tp.clock.now() - 1200 } }));
    assert.equal(skewed.response.status, 200);

    // A nonce lasts its minute and the next; then a new one is handed out.
    tp.clock.advance(120);
    const stale = await clientCredentials(tp, await proof(tp, key, 'POST', tokenUrl, { claims: { nonce } }));
    assertOAuthError(stale.response, stale.body, 400, 'use_dpop_nonce', 'the DPoP nonce is not a current one: send the proof again with the nonce in DPoP-Nonce');
    assert.notEqual(stale.response.headers.get('dpop-nonce'), nonce);
    const forged = await clientCredentials(tp, await proof(tp, key, 'POST', tokenUrl, { claims: { nonce: `${nonce!.split('.')[0]}.AAAAAAAAAAAAAAAAAAAAAA` } }));
    assert.equal(forged.body.error, 'use_dpop_nonce');
    // Without a proof, nothing changes: a bearer token, no nonce.
    const bearer = await clientCredentials(tp);
    assert.equal(bearer.body.token_type, 'Bearer');
    assert.equal(bearer.response.headers.get('dpop-nonce'), null);
  });

  test('dpop: with LATCHKEY_DPOP_NONCES, /userinfo answers a proof without a nonce with 401 use_dpop_nonce and a DPoP challenge', async () => {
    const tp = await setup({ dpopNonces: true });
    const key = await dpopKey();
    const tokenUrl = `${ISSUER}/token`;
    const nonce = (await clientCredentials(tp, await proof(tp, key, 'POST', tokenUrl))).response.headers.get('dpop-nonce')!;
    const code = await obtainCode(tp, { client_id: 'spa', scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' });
    const { body } = await token(tp, { grant_type: 'authorization_code', code, redirect_uri: CB, client_id: 'spa', code_verifier: PKCE.code_verifier }, { dpop: await proof(tp, key, 'POST', tokenUrl, { claims: { nonce } }) });
    const accessToken = String(body.access_token);
    const withoutNonce = await userinfo(tp, `DPoP ${accessToken}`, await proof(tp, key, 'GET', `${ISSUER}/userinfo`, { accessToken }));
    assert.equal(withoutNonce.status, 401);
    assert.equal(((await withoutNonce.json()) as Record<string, unknown>).error, 'use_dpop_nonce');
    assert.match(withoutNonce.headers.get('www-authenticate') ?? '', /^DPoP .*error="use_dpop_nonce"/);
    const fresh = withoutNonce.headers.get('dpop-nonce')!;
    const ok = await userinfo(tp, `DPoP ${accessToken}`, await proof(tp, key, 'GET', `${ISSUER}/userinfo`, { accessToken, claims: { nonce: fresh } }));
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('dpop-nonce'), fresh);
  });

  test('dpop: with LATCHKEY_DPOP_NONCES, the admin API asks for a nonce, then answers with the current one', async () => {
    const tp = await setup({ dpopNonces: true });
    await adminClientToken(tp);
    const key = await dpopKey();
    const tokenUrl = `${ISSUER}/token`;
    const admin = { authorization: basicAuth('ops-robot', 'admin-secret-0123456789abcdef0123456789abcdef') };
    const nonce = (await token(tp, { grant_type: 'client_credentials', scope: 'latchkey:admin' }, { ...admin, dpop: await proof(tp, key, 'POST', tokenUrl) })).response.headers.get('dpop-nonce')!;
    const { body } = await token(tp, { grant_type: 'client_credentials', scope: 'latchkey:admin' }, { ...admin, dpop: await proof(tp, key, 'POST', tokenUrl, { claims: { nonce } }) });
    const accessToken = String(body.access_token);
    const url = `${ISSUER}/admin/api/clients`;
    const asked = await tp.provider.fetch(new Request(url, { headers: { authorization: `DPoP ${accessToken}`, dpop: await proof(tp, key, 'GET', url, { accessToken }) } }));
    assert.equal(asked.status, 401);
    assert.match(asked.headers.get('www-authenticate') ?? '', /^DPoP .*error="use_dpop_nonce"/);
    assert.equal(asked.headers.get('dpop-nonce'), nonce);
    const answered = await tp.provider.fetch(new Request(url, { headers: { authorization: `DPoP ${accessToken}`, dpop: await proof(tp, key, 'GET', url, { accessToken, claims: { nonce } }) } }));
    assert.equal(answered.status, 200);
    assert.equal(answered.headers.get('dpop-nonce'), nonce);
  });
});

/** A bearer token of the public client (no proof at the token endpoint). */
async function spaTokensWithoutProof(tp: TestProvider): Promise<Record<string, unknown>> {
  const code = await obtainCode(tp, { client_id: 'spa', scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' });
  const { body } = await token(tp, { grant_type: 'authorization_code', code, redirect_uri: CB, client_id: 'spa', code_verifier: PKCE.code_verifier }, {});
  assert.equal(body.token_type, 'Bearer');
  return body;
}
