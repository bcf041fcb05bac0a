/** Responses encrypted to the client (OIDC Core §10.2, JARM §2.2): ID tokens, UserInfo, JWT authorization responses. */
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, test } from 'node:test';
import { CompactEncrypt, compactDecrypt, createLocalJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import {
  ALICE, basicAuth, CookieJar, ISSUER, obtainCode, postForm, runBrowserlessFlow, SEED_SECRET, testProvider, type TestProvider,
} from '../../test/helpers/index.js';
import type { OutboundTransport } from '../http/outbound.js';
import { InvalidClientMetadata } from '../core/errors.js';
import { parseClientMetadata } from '../core/client-metadata.js';

// A KeyObject, unlike a WebCrypto key, decrypts RSA-OAEP and RSA-OAEP-256 alike.
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = await generateKeyPair('ECDH-ES+A128KW', { extractable: true });
const signing = await generateKeyPair('ES256', { extractable: true });
const rsaEnc = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-enc', use: 'enc' };
const ecEnc = { ...(await exportJWK(ec.publicKey)), kid: 'ec-enc', use: 'enc' };
const ecSig = { ...(await exportJWK(signing.publicKey)), kid: 'ec-sig', use: 'sig' };

const CB = 'https://rp.example/cb';
const ENCRYPTED = {
  client_id: 'sealed', client_secret: SEED_SECRET, jwks: { keys: [ecSig, rsaEnc, ecEnc] }, post_logout_redirect_uris: ['https://rp.example/bye'],
  id_token_encrypted_response_alg: 'RSA-OAEP-256',
  userinfo_signed_response_alg: 'ES256', userinfo_encrypted_response_alg: 'ECDH-ES+A128KW', userinfo_encrypted_response_enc: 'A256GCM',
  authorization_encrypted_response_alg: 'ECDH-ES',
};
const ENCRYPTED_JSON = { client_id: 'sealed-json', client_secret: SEED_SECRET, jwks: { keys: [rsaEnc] }, userinfo_encrypted_response_alg: 'RSA-OAEP' };
const REMOTE = { client_id: 'remote', client_secret: SEED_SECRET, jwks_uri: 'https://rp.example/jwks.json', userinfo_encrypted_response_alg: 'RSA-OAEP-256' };

/** The test provider's clock. */
const NOW = Math.floor(Date.parse('2030-01-01T00:00:00Z') / 1000);

function setup(outboundTransport?: OutboundTransport): Promise<TestProvider> {
  return testProvider({ clients: [ENCRYPTED, ENCRYPTED_JSON, REMOTE], accounts: [ALICE], ...(outboundTransport === undefined ? {} : { outboundTransport }) });
}

async function tokensFor(tp: TestProvider, client_id: string): Promise<Record<string, unknown>> {
  const code = await obtainCode(tp, { client_id, scope: 'openid email', nonce: 'n-sealed' });
  const { response, body } = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: CB }, { authorization: basicAuth(client_id, SEED_SECRET) });
  assert.equal(response.status, 200);
  return body;
}

/** `jwe` decrypted with `key`, after checking its header; the plaintext. */
async function decrypt(jwe: unknown, key: CryptoKey | KeyObject, header: Record<string, string>): Promise<string> {
  assert.equal(String(jwe).split('.').length, 5, 'a compact JWE');
  assert.deepEqual(decodeProtectedHeader(String(jwe)), header);
  return new TextDecoder().decode((await compactDecrypt(String(jwe), key)).plaintext);
}

/** A JWT latchkey signed, verified against its published keys. */
async function verifySigned(tp: TestProvider, jwt: string, audience: string): Promise<JWTPayload> {
  const jwks = createLocalJWKSet(await (await tp.provider.fetch(new Request(`${ISSUER}/jwks`))).json());
  return (await jwtVerify(jwt, jwks, { issuer: ISSUER, audience, currentDate: new Date(NOW * 1000) })).payload;
}

describe('responses encrypted to the client', () => {
  test('encryption: the ID token is signed, then encrypted to the client\'s RSA key (RSA-OAEP-256, A128CBC-HS256 by default, cty JWT)', async () => {
    const tp = await setup();
    const tokens = await tokensFor(tp, 'sealed');
    const inner = await decrypt(tokens.id_token, rsa.privateKey, { alg: 'RSA-OAEP-256', enc: 'A128CBC-HS256', kid: 'rsa-enc', cty: 'JWT' });
    const claims = await verifySigned(tp, inner, 'sealed');
    assert.equal(claims.sub, tp.accounts[0]!.sub);
    assert.equal(claims.nonce, 'n-sealed');
  });

  test('encryption: an encrypted ID token comes back as id_token_hint re-encrypted to latchkey\'s decryption key (OIDC Core §3.1.2.1) → the signed ID token inside is the hint, at /authorize and /end_session', async () => {
    const tp = await setup();
    const jar = new CookieJar();
    const code = await obtainCode(tp, { client_id: 'sealed', scope: 'openid' }, jar);
    const { body } = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: CB }, { authorization: basicAuth('sealed', SEED_SECRET) });
    const signed = await decrypt(body.id_token, rsa.privateKey, { alg: 'RSA-OAEP-256', enc: 'A128CBC-HS256', kid: 'rsa-enc', cty: 'JWT' });
    const { keys } = (await (await tp.provider.fetch(new Request(`${ISSUER}/jwks`))).json()) as { keys: JWK[] };
    const latchkeys = keys.find((key) => key.use === 'enc' && key.alg === 'ECDH-ES')!;
    const hint = await new CompactEncrypt(new TextEncoder().encode(signed)).setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: latchkeys.kid!, cty: 'JWT' }).encrypt(await importJWK(latchkeys, 'ECDH-ES'));
    const query = (params: Record<string, string>) => new URLSearchParams(params).toString();
    const silent = await tp.provider.fetch(new Request(`${ISSUER}/authorize?${query({ client_id: 'sealed', response_type: 'code', redirect_uri: CB, scope: 'openid', prompt: 'none', id_token_hint: hint })}`, { headers: { cookie: jar.header() } }));
    assert.ok(new URL(silent.headers.get('location')!).searchParams.get('code'), 'prompt=none with the hint: the same user, a code');
    // As it came, encrypted to the client, the hint is nothing latchkey can read.
    const unreadable = await tp.provider.fetch(new Request(`${ISSUER}/authorize?${query({ client_id: 'sealed', response_type: 'code', redirect_uri: CB, scope: 'openid', prompt: 'none', id_token_hint: String(body.id_token) })}`, { headers: { cookie: jar.header() } }));
    assert.equal(new URL(unreadable.headers.get('location')!).searchParams.get('error_description'), 'id_token_hint is not a valid ID token issued by this server');
    const logout = await tp.provider.fetch(new Request(`${ISSUER}/end_session?${query({ id_token_hint: hint, post_logout_redirect_uri: 'https://rp.example/bye', state: 'sealed-bye' })}`, { headers: { cookie: jar.header() } }));
    assert.equal(logout.status, 303);
    assert.equal(logout.headers.get('location'), 'https://rp.example/bye?state=sealed-bye');
  });

  test('encryption: UserInfo signed then encrypted (ECDH-ES+A128KW, A256GCM) — or, without a signing alg, the JSON claims encrypted', async () => {
    const tp = await setup();
    const { access_token } = await tokensFor(tp, 'sealed');
    const response = await tp.provider.fetch(new Request(`${ISSUER}/userinfo`, { headers: { authorization: `Bearer ${String(access_token)}` } }));
    assert.equal(response.headers.get('content-type'), 'application/jwt');
    const again = await response.text();
    const { epk, ...header } = decodeProtectedHeader(again);
    assert.equal(typeof epk, 'object', 'ECDH-ES carries its ephemeral key');
    assert.deepEqual(header, { alg: 'ECDH-ES+A128KW', enc: 'A256GCM', kid: 'ec-enc', cty: 'JWT' });
    const signed = new TextDecoder().decode((await compactDecrypt(again, ec.privateKey)).plaintext);
    const claims = await verifySigned(tp, signed, 'sealed');
    assert.equal(claims.email, 'alice@example.com');

    const plain = await tokensFor(tp, 'sealed-json');
    const jsonAnswer = await tp.provider.fetch(new Request(`${ISSUER}/userinfo`, { headers: { authorization: `Bearer ${String(plain.access_token)}` } }));
    assert.equal(jsonAnswer.headers.get('content-type'), 'application/jwt');
    const json = JSON.parse(await decrypt(await jsonAnswer.text(), rsa.privateKey, { alg: 'RSA-OAEP', enc: 'A128CBC-HS256', kid: 'rsa-enc' })) as Record<string, unknown>;
    assert.deepEqual(json, { sub: tp.accounts[0]!.sub, email: 'alice@example.com', email_verified: true });
  });

  test('encryption: a JWT authorization response (JARM) signed, then encrypted (ECDH-ES)', async () => {
    const tp = await setup();
    const result = await runBrowserlessFlow((request) => tp.provider.fetch(request), `${ISSUER}/authorize?${new URLSearchParams({ client_id: 'sealed', response_type: 'code', response_mode: 'jwt', redirect_uri: CB, scope: 'openid', state: 'sealed-state' })}`, {
      credentials: { username: String(ALICE.username), password: String(ALICE.password) }, decision: 'allow', jar: new CookieJar(),
    });
    const jwe = result.redirect!.searchParams.get('response')!;
    const { epk, ...header } = decodeProtectedHeader(jwe);
    assert.equal(typeof epk, 'object');
    assert.deepEqual(header, { alg: 'ECDH-ES', enc: 'A128CBC-HS256', kid: 'ec-enc', cty: 'JWT' });
    const claims = await verifySigned(tp, new TextDecoder().decode((await compactDecrypt(jwe, ec.privateKey)).plaintext), 'sealed');
    assert.equal(claims.state, 'sealed-state');
    assert.equal(typeof claims.code, 'string');
  });

  test('encryption: query.jwt for a type that returns tokens — allowed when the response is encrypted (JARM §2.3.1), the tokens in the JWE', async () => {
    const hybrid = { client_id: 'sealed-hybrid', client_secret: SEED_SECRET, jwks: { keys: [ecEnc] }, authorization_encrypted_response_alg: 'ECDH-ES', grant_types: ['authorization_code', 'implicit'], response_types: ['code id_token'] };
    const tp = await testProvider({ clients: [hybrid], accounts: [ALICE] });
    const result = await runBrowserlessFlow(
      (request) => tp.provider.fetch(request),
      `${ISSUER}/authorize?${new URLSearchParams({ client_id: 'sealed-hybrid', response_type: 'code id_token', response_mode: 'query.jwt', redirect_uri: CB, scope: 'openid', nonce: 'n-hybrid', state: 's-hybrid' })}`,
      { credentials: { username: String(ALICE.username), password: String(ALICE.password) }, decision: 'allow', jar: new CookieJar() },
    );
    assert.equal(result.redirect!.hash, '', 'nothing in the fragment');
    const jwe = result.redirect!.searchParams.get('response')!;
    assert.equal(jwe.split('.').length, 5, 'a JWE in the query');
    const claims = await verifySigned(tp, new TextDecoder().decode((await compactDecrypt(jwe, ec.privateKey)).plaintext), 'sealed-hybrid');
    assert.equal(claims.state, 's-hybrid');
    assert.equal(typeof claims.code, 'string');
    assert.equal(typeof claims.id_token, 'string');
  });

  test('encryption: a client whose jwks_uri no longer holds a key to encrypt to → 500 server_error, no stack trace', async () => {
    const transport: OutboundTransport = async () => new Response(JSON.stringify({ keys: [ecSig] }), { status: 200, headers: { 'content-type': 'application/json' } });
    const tp = await setup(transport);
    const { access_token } = await tokensFor(tp, 'remote');
    const response = await tp.provider.fetch(new Request(`${ISSUER}/userinfo`, { headers: { authorization: `Bearer ${String(access_token)}` } }));
    assert.equal(response.status, 500);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.error, 'server_error');
    assert.doesNotMatch(JSON.stringify(body), /at .*\.ts:/);
  });

  test('encryption: a code is not spent on an ID token that cannot be encrypted — the client\'s jwks_uri unreadable → 500, and the same code works once it is back', async () => {
    let serving = false;
    const transport: OutboundTransport = async () =>
      serving ? new Response(JSON.stringify({ keys: [rsaEnc] }), { status: 200, headers: { 'content-type': 'application/json' } }) : new Response('down', { status: 503 });
    const tp = await testProvider({ clients: [{ client_id: 'remote-id', client_secret: SEED_SECRET, jwks_uri: 'https://rp.example/jwks.json', id_token_encrypted_response_alg: 'RSA-OAEP-256' }], accounts: [ALICE], outboundTransport: transport });
    const code = await obtainCode(tp, { client_id: 'remote-id', scope: 'openid' });
    const redeem = () => postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: CB }, { authorization: basicAuth('remote-id', SEED_SECRET) });
    const failed = await redeem();
    assert.equal(failed.response.status, 500);
    assert.equal(failed.body.error, 'server_error');
    serving = true;
    const redeemed = await redeem();
    assert.equal(redeemed.response.status, 200, 'the code was kept');
    const claims = await verifySigned(tp, await decrypt(redeemed.body.id_token, rsa.privateKey, { alg: 'RSA-OAEP-256', enc: 'A128CBC-HS256', kid: 'rsa-enc', cty: 'JWT' }), 'remote-id');
    assert.equal(claims.sub, tp.accounts[0]!.sub);
  });

  test('encryption: the metadata — algorithms latchkey knows, enc only with alg, a key that can receive it', () => {
    const base = { redirect_uris: [CB] };
    const rejects = (metadata: Record<string, unknown>, description: string) => assert.throws(() => parseClientMetadata({ ...base, ...metadata }), (error: unknown) => error instanceof InvalidClientMetadata && error.description === description, description);
    rejects({ id_token_encrypted_response_enc: 'A128GCM' }, 'id_token_encrypted_response_enc needs id_token_encrypted_response_alg');
    rejects({ jwks: { keys: [rsaEnc] }, userinfo_encrypted_response_alg: 'RSA1_5' }, 'userinfo_encrypted_response_alg must be one of RSA-OAEP, RSA-OAEP-256, ECDH-ES, ECDH-ES+A128KW, ECDH-ES+A256KW');
    rejects({ jwks: { keys: [rsaEnc] }, userinfo_encrypted_response_alg: 'RSA-OAEP', userinfo_encrypted_response_enc: 'A192GCM' }, 'userinfo_encrypted_response_enc must be one of A128CBC-HS256, A256CBC-HS512, A128GCM, A256GCM');
    rejects({ authorization_encrypted_response_alg: 'ECDH-ES' }, 'authorization_encrypted_response_alg needs jwks or jwks_uri (the client\'s encryption key)');
    rejects({ jwks: { keys: [ecSig] }, id_token_encrypted_response_alg: 'ECDH-ES' }, 'jwks has no key to encrypt to with ECDH-ES (use enc or none, EC or X25519/X448)');
    rejects({ jwks: { keys: [ecEnc] }, id_token_encrypted_response_alg: 'RSA-OAEP' }, 'jwks has no key to encrypt to with RSA-OAEP (use enc or none, RSA)');
    const accepted = parseClientMetadata({ ...base, jwks: { keys: [ecEnc] }, id_token_encrypted_response_alg: 'ECDH-ES+A256KW' });
    assert.equal(accepted.id_token_encrypted_response_alg, 'ECDH-ES+A256KW');
  });
});
