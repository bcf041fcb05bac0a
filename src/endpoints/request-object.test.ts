import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, test } from 'node:test';
import { CompactEncrypt, exportJWK, generateKeyPair, importJWK, SignJWT, UnsecuredJWT, type JWK, type JWTPayload } from 'jose';
import {
  ALICE, assertOAuthError, basicAuth, CookieJar, ISSUER, postForm, runBrowserlessFlow, SEED_SECRET, testProvider, type TestProvider,
} from '../../test/helpers/index.js';
import type { ConfigInput } from '../core/config.js';
import type { OutboundTransport } from '../http/outbound.js';
import { rotateKeys } from '../keys/rotation.js';

const ec = await generateKeyPair('ES256', { extractable: true });
// A KeyObject, unlike a WebCrypto key, signs with RS256 and PS256 alike.
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = await generateKeyPair('ES256', { extractable: true });
const ecPublic = { ...(await exportJWK(ec.publicKey)), kid: 'ec-1' };
const rsaPublic = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1' };

const SIGNER = { client_id: 'signer', client_secret: SEED_SECRET, jwks: { keys: [ecPublic] } };
const HMAC = { client_id: 'hmac', client_secret: SEED_SECRET, request_object_signing_alg: 'HS256' };
const PINNED = { client_id: 'pinned', client_secret: SEED_SECRET, jwks: { keys: [rsaPublic] }, request_object_signing_alg: 'PS256' };
const STRICT = { client_id: 'strict', client_secret: SEED_SECRET, jwks: { keys: [ecPublic] }, require_signed_request_object: true };
const PLAIN = { client_id: 'plain', client_secret: SEED_SECRET };

function setup(config: ConfigInput = {}): Promise<TestProvider> {
  return testProvider({ clients: [SIGNER, HMAC, PINNED, STRICT, PLAIN], accounts: [ALICE], config });
}

/** What an object encrypted with an algorithm latchkey does not decrypt is told. */
const ENCRYPTION_REFUSAL = 'request object must be encrypted with RSA-OAEP-256 or ECDH-ES and A128CBC-HS256, A256CBC-HS512, A128GCM, A256GCM';

/** The test provider's clock. */
const NOW = Math.floor(Date.parse('2030-01-01T00:00:00Z') / 1000);

const REQUEST = { response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid profile', state: 'object-state', nonce: 'object-nonce' };

/** A request object of `client_id` holding `claims` (with REQUEST's parameters unless overridden), signed ES256 with the client's key unless told otherwise. */
function requestObject(client_id: string, claims: JWTPayload = {}, options: { alg?: string; key?: CryptoKey | KeyObject | Uint8Array; header?: Record<string, unknown> } = {}): Promise<string> {
  const payload = { iss: client_id, aud: ISSUER, iat: NOW, exp: NOW + 300, client_id, ...REQUEST, ...claims };
  const alg = options.alg ?? 'ES256';
  if (alg === 'none') return Promise.resolve(new UnsecuredJWT(payload).encode());
  return new SignJWT(payload).setProtectedHeader({ alg, typ: 'oauth-authz-req+jwt', ...options.header }).sign(options.key ?? ec.privateKey);
}

/** The browser at /authorize with `query`, through login and consent to the client's redirect URI (or to where it stops). */
function authorize(tp: TestProvider, query: Record<string, string>) {
  return runBrowserlessFlow((request) => tp.provider.fetch(request), `${ISSUER}/authorize?${new URLSearchParams(query)}`, {
    credentials: { username: String(ALICE.username), password: String(ALICE.password) },
    decision: 'allow',
    jar: new CookieJar(),
  });
}

function exchange(tp: TestProvider, code: string, client_id: string) {
  return postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' }, { authorization: basicAuth(client_id, SEED_SECRET) });
}

function claimsOf(jwt: unknown): Record<string, unknown> {
  return JSON.parse(Buffer.from(String(jwt).split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

/** /authorize answered with an error page (never a redirect) naming `error` and `description`. */
async function assertErrorPage(tp: TestProvider, query: Record<string, string>, error: string, description: string): Promise<void> {
  const response = await tp.provider.fetch(new Request(`${ISSUER}/authorize?${new URLSearchParams(query)}`));
  assert.equal(response.headers.get('location'), null, `${description}: an error page, never a redirect`);
  assert.equal(response.status, 400);
  const text = await response.text();
  assert.ok(text.includes(error), `${description}: ${error} on the page`);
  assert.ok(text.includes(description.replace(/'/g, '&#39;')), `${description}: on the page`);
}

/** /authorize redirected `error` and `description` to the client's redirect URI. */
async function assertRedirectedError(tp: TestProvider, query: Record<string, string>, error: string, description: string): Promise<URL> {
  const response = await tp.provider.fetch(new Request(`${ISSUER}/authorize?${new URLSearchParams(query)}`));
  assert.equal(response.status, 302);
  const location = new URL(response.headers.get('location')!);
  assert.equal(location.origin + location.pathname, 'https://rp.example/cb');
  assert.equal(location.searchParams.get('error'), error);
  assert.equal(location.searchParams.get('error_description'), description);
  return location;
}

describe('request objects (RFC 9101, OIDC Core §6.1)', () => {
  test('request: a signed request object at /authorize → login, consent, a code for the request it holds; its nonce in the ID token', async () => {
    const tp = await setup();
    const result = await authorize(tp, { client_id: 'signer', request: await requestObject('signer') });
    assert.deepEqual(result.pages, ['login', 'consent']);
    assert.equal(result.redirect?.origin + result.redirect!.pathname, 'https://rp.example/cb');
    assert.equal(result.redirect?.searchParams.get('state'), 'object-state');
    const tokens = await exchange(tp, result.redirect!.searchParams.get('code')!, 'signer');
    assert.equal(tokens.response.status, 200);
    assert.equal(tokens.body.scope, 'openid profile');
    assert.equal(claimsOf(tokens.body.id_token).nonce, 'object-nonce');
  });

  test('request: only the object\'s parameters count — what the query adds beside client_id and request is ignored', async () => {
    const tp = await setup();
    const result = await authorize(tp, { client_id: 'signer', request: await requestObject('signer'), scope: 'openid email', state: 'forged', redirect_uri: 'https://evil.example/cb', response_type: 'code id_token', prompt: 'none' });
    assert.deepEqual(result.pages, ['login', 'consent'], 'prompt=none in the query is not the request\'s');
    assert.equal(result.redirect?.origin, 'https://rp.example');
    assert.equal(result.redirect?.searchParams.get('state'), 'object-state');
    assert.equal(result.redirect?.searchParams.get('id_token'), null);
    const tokens = await exchange(tp, result.redirect!.searchParams.get('code')!, 'signer');
    assert.equal(tokens.body.scope, 'openid profile');
  });

  test('request: JSON values in the object — max_age a number, claims an object — are read as their parameters', async () => {
    const tp = await setup();
    const request = await requestObject('signer', { max_age: 600, claims: { id_token: { email: { essential: true } } } });
    const result = await authorize(tp, { client_id: 'signer', request });
    const tokens = await exchange(tp, result.redirect!.searchParams.get('code')!, 'signer');
    const idToken = claimsOf(tokens.body.id_token);
    assert.equal(idToken.email, ALICE.email);
    assert.equal(typeof idToken.auth_time, 'number', 'max_age asks for auth_time');
  });

  test('request: HS256 under the client secret, for a client registered with request_object_signing_alg HS256', async () => {
    const tp = await setup();
    const hmac = tp.clients.find((client) => client.client_id === 'hmac')!;
    assert.equal(typeof hmac.client_secret_encrypted, 'string', 'the secret is kept sealed, to check HMAC signatures');
    assert.equal(tp.clients.find((client) => client.client_id === 'plain')!.client_secret_encrypted, undefined, 'and only for such clients');
    const request = await requestObject('hmac', {}, { alg: 'HS256', key: new TextEncoder().encode(SEED_SECRET) });
    const result = await authorize(tp, { client_id: 'hmac', request });
    assert.equal(result.redirect?.searchParams.get('state'), 'object-state');
    assert.ok(result.redirect?.searchParams.get('code'));
  });

  test('request: an unsigned object (alg none) is a plain request in another form: accepted unless the client must sign', async () => {
    const tp = await setup();
    const result = await authorize(tp, { client_id: 'plain', request: await requestObject('plain', {}, { alg: 'none' }) });
    assert.equal(result.redirect?.searchParams.get('state'), 'object-state');
    assert.ok(result.redirect?.searchParams.get('code'));
  });

  test('request: a client registered with require_signed_request_object → plain and unsigned requests are refused at its redirect URI; a signed one works', async () => {
    const tp = await setup();
    const refusal = 'this client must send its authorization requests as signed request objects (RFC 9101)';
    const plain = await assertRedirectedError(tp, { client_id: 'strict', ...REQUEST }, 'invalid_request', refusal);
    assert.equal(plain.searchParams.get('state'), 'object-state');
    await assertRedirectedError(tp, { client_id: 'strict', request: await requestObject('strict', {}, { alg: 'none' }) }, 'invalid_request', refusal);
    const signed = await authorize(tp, { client_id: 'strict', request: await requestObject('strict') });
    assert.ok(signed.redirect?.searchParams.get('code'));
  });

  test('request: requireSignedRequestObject → every client must sign; discovery says so', async () => {
    const tp = await setup({ requireSignedRequestObject: true });
    const metadata = (await (await tp.provider.fetch(new Request(`${ISSUER}/.well-known/openid-configuration`))).json()) as Record<string, unknown>;
    assert.equal(metadata.request_parameter_supported, true);
    assert.equal(metadata.require_signed_request_object, true);
    await assertRedirectedError(tp, { client_id: 'plain', ...REQUEST }, 'invalid_request', 'this client must send its authorization requests as signed request objects (RFC 9101)');
    const signed = await authorize(tp, { client_id: 'signer', request: await requestObject('signer') });
    assert.ok(signed.redirect?.searchParams.get('code'));
  });

  test('request: an object that does not verify, or is not for this client and server → an error page with invalid_request_object, never a redirect', async () => {
    const tp = await setup();
    const cases: [string, Record<string, string>, string][] = [
      ['not a JWT', { client_id: 'signer', request: 'not-a-jwt' }, 'request is not a JWT'],
      ['signed by a key the client did not register', { client_id: 'signer', request: await requestObject('signer', {}, { key: stranger.privateKey }) }, 'request object rejected: signature verification failed'],
      ['a signature for another payload', { client_id: 'signer', request: (await requestObject('signer')).replace(/\.[^.]+\./, `.${Buffer.from(JSON.stringify({ ...REQUEST, client_id: 'signer', redirect_uri: 'https://rp.example/cb' })).toString('base64url')}.`) }, 'request object rejected: signature verification failed'],
      ['expired', { client_id: 'signer', request: await requestObject('signer', { exp: NOW - 60 }) }, 'request object has expired'],
      ['not yet valid', { client_id: 'signer', request: await requestObject('signer', { nbf: NOW + 600 }) }, 'request object is not valid yet (nbf)'],
      ['meant for another server', { client_id: 'signer', request: await requestObject('signer', { aud: 'https://other-op.example' }) }, 'request object aud must be this server&#39;s issuer identifier'],
      ['issued by another client', { client_id: 'signer', request: await requestObject('signer', { iss: 'pinned' }) }, 'request object iss must be the client_id'],
      ['client_id other than the query\'s', { client_id: 'signer', request: await requestObject('signer', { client_id: 'plain', iss: 'signer' }) }, 'request object client_id does not match the client_id parameter'],
      ['a request inside', { client_id: 'signer', request: await requestObject('signer', { request: 'x.y.z' }) }, 'a request object must not contain request'],
      ['a request_uri inside', { client_id: 'signer', request: await requestObject('signer', { request_uri: 'https://rp.example/r' }) }, 'a request object must not contain request_uri'],
      ['a parameter that is an array', { client_id: 'signer', request: await requestObject('signer', { scope: ['openid'] }) }, 'request object parameter scope must be a string'],
      ['typ of another kind of JWT', { client_id: 'signer', request: await requestObject('signer', {}, { header: { typ: 'dpop+jwt' } }) }, 'request object typ dpop+jwt is not oauth-authz-req+jwt'],
      ['an algorithm the client did not register', { client_id: 'pinned', request: await requestObject('pinned', {}, { alg: 'RS256', key: rsa.privateKey }) }, 'request object is signed with an algorithm this client may not use'],
      ['unsigned from a client that registered an algorithm', { client_id: 'pinned', request: await requestObject('pinned', {}, { alg: 'none' }) }, 'request object must be signed with PS256'],
      ['HMAC from a client whose secret latchkey does not keep', { client_id: 'plain', request: await requestObject('plain', {}, { alg: 'HS256', key: new TextEncoder().encode(SEED_SECRET) }) }, 'request object cannot be verified: client has no sealed secret'],
      ['signed from a client with no keys', { client_id: 'plain', request: await requestObject('plain') }, 'request object cannot be verified: client has no keys'],
      ['encrypted with a key latchkey does not hold (dir)', { client_id: 'signer', request: await new CompactEncrypt(new TextEncoder().encode('{}')).setProtectedHeader({ alg: 'dir', enc: 'A128GCM' }).encrypt(new Uint8Array(16)) }, ENCRYPTION_REFUSAL],
      ['over 16 KB', { client_id: 'signer', request: await requestObject('signer', { padding: 'x'.repeat(16_384) }) }, 'request object is too large'],
    ];
    for (const [what, query, description] of cases) {
      await assertErrorPage(tp, query, 'invalid_request_object', description).catch((error: unknown) => {
        throw new Error(`${what}: ${(error as Error).message}`);
      });
    }
    // Before the object is read, the client must be known.
    await assertErrorPage(tp, { request: await requestObject('signer') }, 'invalid_request', 'missing required parameter: client_id');
    await assertErrorPage(tp, { client_id: 'nobody', request: await requestObject('signer') }, 'invalid_request', 'client_id is not a registered client');
  });

  test('request: a valid object with a bad request in it → the error goes to the redirect URI it names, with its state', async () => {
    const tp = await setup();
    const location = await assertRedirectedError(tp, { client_id: 'signer', request: await requestObject('signer', { response_type: 'token' }) }, 'unsupported_response_type', 'response_type token is not supported');
    assert.equal(location.searchParams.get('state'), 'object-state');
    await assertErrorPage(tp, { client_id: 'signer', request: await requestObject('signer', { redirect_uri: 'https://evil.example/cb' }) }, 'invalid_request', 'redirect_uri is not registered for this client');
  });

  test('par: a request object pushed to /par → its claims are the pushed request (the form\'s other parameters ignored); signed, it satisfies require_signed_request_object', async () => {
    const tp = await setup();
    const request = await requestObject('strict');
    const { response, body } = await postForm(tp, '/par', { request, state: 'forged', scope: 'openid email' }, { authorization: basicAuth('strict', SEED_SECRET) });
    assert.equal(response.status, 201);
    const result = await authorize(tp, { client_id: 'strict', request_uri: String(body.request_uri) });
    assert.equal(result.redirect?.searchParams.get('state'), 'object-state');
    const tokens = await exchange(tp, result.redirect!.searchParams.get('code')!, 'strict');
    assert.equal(tokens.body.scope, 'openid profile');
  });

  test('par: a client that must sign pushes a plain or unsigned request → 400 invalid_request; a bad object → 400 invalid_request_object; nothing stored', async () => {
    const tp = await setup();
    const auth = { authorization: basicAuth('strict', SEED_SECRET) };
    const refusal = 'this client must send its authorization requests as signed request objects (RFC 9101)';
    const plain = await postForm(tp, '/par', REQUEST, auth);
    assertOAuthError(plain.response, plain.body, 400, 'invalid_request', refusal);
    const unsigned = await postForm(tp, '/par', { request: await requestObject('strict', {}, { alg: 'none' }) }, auth);
    assertOAuthError(unsigned.response, unsigned.body, 400, 'invalid_request', refusal);
    const forged = await postForm(tp, '/par', { request: await requestObject('strict', {}, { key: stranger.privateKey }) }, auth);
    assertOAuthError(forged.response, forged.body, 400, 'invalid_request_object', 'request object rejected: signature verification failed');
    const otherClients = await postForm(tp, '/par', { request: await requestObject('signer') }, auth);
    assertOAuthError(otherClients.response, otherClients.body, 400, 'invalid_request_object', 'request object iss must be the client_id');
  });

  test('registration: request_object_signing_alg, require_signed_request_object and request_object_encryption_alg/enc are client metadata, registered and shown', async () => {
    const tp = await setup({ registration: 'open' });
    const registered = await tp.provider.fetch(new Request(`${ISSUER}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['https://rp.example/cb'], jwks: { keys: [ecPublic] }, request_object_signing_alg: 'ES256', require_signed_request_object: true, request_object_encryption_alg: 'ECDH-ES', request_object_encryption_enc: 'A256GCM' }),
    }));
    assert.equal(registered.status, 201);
    const body = (await registered.json()) as Record<string, unknown>;
    assert.equal(body.request_object_signing_alg, 'ES256');
    assert.equal(body.require_signed_request_object, true);
    assert.equal(body.request_object_encryption_alg, 'ECDH-ES');
    assert.equal(body.request_object_encryption_enc, 'A256GCM');
    const result = await authorize(tp, { client_id: String(body.client_id), request: await requestObject(String(body.client_id)) });
    assert.ok(result.redirect?.searchParams.get('code'));
  });
});

/** URLs the clients serve their request objects at (as the test's transport answers them). */
const SIGNIN_URI = 'https://rp.example/requests/signin.jwt';
const REFERRER = { client_id: 'referrer', client_secret: SEED_SECRET, jwks: { keys: [ecPublic] }, request_uris: [SIGNIN_URI, 'https://rp.example/requests/pinned.jwt#version-1'] };
const STRICT_REFERRER = { ...REFERRER, client_id: 'strict-referrer', require_signed_request_object: true };

/** What a URL answers: a body (status 200 unless told), or a failure to connect. */
type Served = { body: string; status?: number; location?: string } | Error;

/** A transport answering the provider's outbound requests from `files` (404 for anything else), and the URLs it was asked for. */
function servedFiles(files: Map<string, Served>): { transport: OutboundTransport; fetched: string[] } {
  const fetched: string[] = [];
  const transport: OutboundTransport = async (url) => {
    fetched.push(url.href);
    const file = files.get(url.href);
    if (file === undefined) return new Response('not found', { status: 404 });
    if (file instanceof Error) throw file;
    return new Response(file.body, { status: file.status ?? 200, headers: { 'content-type': 'application/oauth-authz-req+jwt', ...(file.location === undefined ? {} : { location: file.location }) } });
  };
  return { transport, fetched };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

describe('request objects by reference (OIDC Core §6.2, RFC 9101 §5.2)', () => {
  async function setupServing(config: ConfigInput = {}) {
    const files = new Map<string, Served>();
    const { transport, fetched } = servedFiles(files);
    const tp = await testProvider({ clients: [REFERRER, STRICT_REFERRER, SIGNER], accounts: [ALICE], config, outboundTransport: transport });
    return { tp, files, fetched };
  }

  test('request_uri: a request object served at a URL the client registered → fetched from there at each use, login, consent, a code for the request it holds', async () => {
    const { tp, files, fetched } = await setupServing();
    files.set(SIGNIN_URI, { body: await requestObject('referrer') });
    const result = await authorize(tp, { client_id: 'referrer', request_uri: SIGNIN_URI, state: 'ignored beside the object' });
    assert.equal(result.redirect?.searchParams.get('state'), 'object-state');
    const tokens = await exchange(tp, result.redirect!.searchParams.get('code')!, 'referrer');
    assert.equal(tokens.response.status, 200);
    assert.equal(claimsOf(tokens.body.id_token).nonce, 'object-nonce');
    assert.equal(tokens.body.scope, 'openid profile');
    // Fetched again for the next request: never cached, so a changed file counts at once.
    files.set(SIGNIN_URI, { body: await requestObject('referrer', { state: 'second-state' }) });
    assert.equal((await authorize(tp, { client_id: 'referrer', request_uri: SIGNIN_URI })).redirect?.searchParams.get('state'), 'second-state');
    assert.deepEqual(fetched, [SIGNIN_URI, SIGNIN_URI]);
  });

  test('request_uri: a fragment is the object\'s SHA-256 — the object must match it (a file served with a final newline, hashed as served); the URL is fetched without it', async () => {
    const { tp, files, fetched } = await setupServing();
    const served = `${await requestObject('referrer')}\n`;
    files.set(SIGNIN_URI, { body: served });
    const result = await authorize(tp, { client_id: 'referrer', request_uri: `${SIGNIN_URI}#${sha256(served)}` });
    assert.ok(result.redirect?.searchParams.get('code'));
    assert.deepEqual(fetched, [SIGNIN_URI]);
    // A registered URL's fragment is not part of the match: the request's own fragment is checked.
    const pinned = 'https://rp.example/requests/pinned.jwt';
    files.set(pinned, { body: served });
    assert.ok((await authorize(tp, { client_id: 'referrer', request_uri: `${pinned}#${sha256(served)}` })).redirect?.searchParams.get('code'));
    await assertErrorPage(tp, { client_id: 'referrer', request_uri: `${SIGNIN_URI}#${sha256('an older version')}` }, 'invalid_request_uri', 'request_uri content does not match the SHA-256 digest in its fragment');
    await assertErrorPage(tp, { client_id: 'referrer', request_uri: `${SIGNIN_URI}#version-1` }, 'invalid_request_uri', 'request_uri content does not match the SHA-256 digest in its fragment');
  });

  test('request_uri: a URL the client did not register is never fetched → an error page with invalid_request_uri, never a redirect', async () => {
    const { tp, files, fetched } = await setupServing();
    const object = await requestObject('referrer');
    const unregistered = [
      'https://rp.example/requests/other.jwt',
      `${SIGNIN_URI}?v=2`,
      'https://rp.example/requests/SIGNIN.jwt',
      'http://rp.example/requests/signin.jwt',
      'http://169.254.169.254/latest/meta-data/',
      'urn:example:request',
      `${SIGNIN_URI}#${'x'.repeat(512)}`,
    ];
    for (const uri of unregistered) {
      files.set(uri, { body: object });
      await assertErrorPage(tp, { client_id: 'referrer', request_uri: uri }, 'invalid_request_uri', 'request_uri is not registered for this client (request_uris)');
    }
    // Another client's registered URL is not this one's.
    files.set(SIGNIN_URI, { body: await requestObject('signer') });
    await assertErrorPage(tp, { client_id: 'signer', request_uri: SIGNIN_URI }, 'invalid_request_uri', 'request_uri is not registered for this client (request_uris)');
    assert.deepEqual(fetched, []);
    // Before anything is fetched, the client must be known.
    await assertErrorPage(tp, { request_uri: SIGNIN_URI }, 'invalid_request', 'missing required parameter: client_id');
    await assertErrorPage(tp, { client_id: 'referrer', request_uri: SIGNIN_URI, request: object }, 'invalid_request', 'request and request_uri must not both be sent');
    assert.deepEqual(fetched, []);
  });

  test('request_uri: a registered URL that answers anything but a request object → an error page naming what went wrong, never a redirect', async () => {
    const { tp, files } = await setupServing();
    const cases: [string, Served, string, string][] = [
      ['not found', { body: 'gone', status: 404 }, 'invalid_request_uri', 'request_uri answered with status 404'],
      ['a server error', { body: '', status: 503 }, 'invalid_request_uri', 'request_uri answered with status 503'],
      ['a redirect (the object must come from the registered URL)', { body: '', status: 302, location: 'https://cdn.example/signin.jwt' }, 'invalid_request_uri', `request_uri could not be fetched: ${SIGNIN_URI} redirected more than 0 times`],
      ['no connection', new TypeError('fetch failed'), 'invalid_request_uri', 'request_uri could not be fetched: request to https://rp.example failed'],
      ['an empty file', { body: '\n' }, 'invalid_request_uri', 'request_uri answered with an empty body'],
      ['too large to be an object', { body: 'x'.repeat(40_000) }, 'invalid_request_uri', 'request_uri could not be fetched: https://rp.example answered with more than 16385 bytes'],
      ['a page, not a JWT', { body: '<html>sign in</html>' }, 'invalid_request_object', 'request is not a JWT'],
      ['signed by a stranger', { body: await requestObject('referrer', {}, { key: stranger.privateKey }) }, 'invalid_request_object', 'request object rejected: signature verification failed'],
      ['another client\'s object', { body: await requestObject('signer') }, 'invalid_request_object', 'request object iss must be the client_id'],
      ['expired', { body: await requestObject('referrer', { exp: NOW - 60 }) }, 'invalid_request_object', 'request object has expired'],
    ];
    for (const [what, served, error, description] of cases) {
      files.set(SIGNIN_URI, served);
      await assertErrorPage(tp, { client_id: 'referrer', request_uri: SIGNIN_URI }, error, description).catch((failure: unknown) => {
        throw new Error(`${what}: ${(failure as Error).message}`);
      });
    }
  });

  test('request_uri: an object by reference is signed or not as it says — a client that must sign is refused an unsigned one at its redirect URI, with its state', async () => {
    const { tp, files } = await setupServing();
    files.set(SIGNIN_URI, { body: await requestObject('strict-referrer') });
    assert.ok((await authorize(tp, { client_id: 'strict-referrer', request_uri: SIGNIN_URI })).redirect?.searchParams.get('code'));
    files.set(SIGNIN_URI, { body: await requestObject('strict-referrer', {}, { alg: 'none' }) });
    const location = await assertRedirectedError(tp, { client_id: 'strict-referrer', request_uri: SIGNIN_URI }, 'invalid_request', 'this client must send its authorization requests as signed request objects (RFC 9101)');
    assert.equal(location.searchParams.get('state'), 'object-state');
  });

  test('registration: request_uris is client metadata — registered, shown, used; one that is not https (off loopback) → invalid_client_metadata', async () => {
    const { tp, files } = await setupServing({ registration: 'open' });
    const register = (metadata: Record<string, unknown>) => tp.provider.fetch(new Request(`${ISSUER}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['https://rp.example/cb'], jwks: { keys: [ecPublic] }, ...metadata }),
    }));
    const registered = await register({ request_uris: ['https://rp.example/requests/registered.jwt'] });
    assert.equal(registered.status, 201);
    const body = (await registered.json()) as Record<string, unknown>;
    assert.deepEqual(body.request_uris, ['https://rp.example/requests/registered.jwt']);
    files.set('https://rp.example/requests/registered.jwt', { body: await requestObject(String(body.client_id)) });
    assert.ok((await authorize(tp, { client_id: String(body.client_id), request_uri: 'https://rp.example/requests/registered.jwt' })).redirect?.searchParams.get('code'));
    const refused = await register({ request_uris: ['http://rp.example/requests/plain.jwt'] });
    assert.equal(refused.status, 400);
    assert.deepEqual(await refused.json(), { error: 'invalid_client_metadata', error_description: 'request URI http://rp.example/requests/plain.jwt must use https (http is allowed only on a loopback host)' });
  });
});

/** latchkey's published decryption keys (`use: enc`), as a client reads them from its JWKS. */
async function decryptionKeysOf(tp: TestProvider): Promise<JWK[]> {
  const { keys } = (await (await tp.provider.fetch(new Request(`${ISSUER}/jwks`))).json()) as { keys: JWK[] };
  return keys.filter((key) => key.use === 'enc');
}

/** `plaintext` as a compact JWE to `jwk` (with its alg and kid unless the header says otherwise). */
async function encryptTo(jwk: JWK, plaintext: string, header: Record<string, unknown> = {}, key?: CryptoKey | KeyObject): Promise<string> {
  const protectedHeader = { alg: jwk.alg!, enc: 'A256GCM', kid: jwk.kid, cty: 'JWT', ...header };
  for (const name of Object.keys(protectedHeader) as (keyof typeof protectedHeader)[]) if (protectedHeader[name] === undefined) delete protectedHeader[name];
  return new CompactEncrypt(new TextEncoder().encode(plaintext)).setProtectedHeader(protectedHeader).encrypt(key ?? ((await importJWK(jwk, jwk.alg)) as CryptoKey));
}

/** The claims requestObject signs, as a JSON object (an encrypted, unsigned object's content). */
function requestClaims(client_id: string, claims: JWTPayload = {}): string {
  return JSON.stringify({ iss: client_id, aud: ISSUER, iat: NOW, exp: NOW + 300, client_id, ...REQUEST, ...claims });
}

describe('encrypted request objects (RFC 9101 §6.1, OIDC Core §6.1)', () => {
  test('encrypted: a signed object encrypted to any of latchkey\'s published decryption keys (RSA-OAEP-256, ECDH-ES; current and next) → a code for the request it holds; it counts as signed', async () => {
    const tp = await setup();
    const keys = await decryptionKeysOf(tp);
    assert.deepEqual(keys.map((key) => key.alg).sort(), ['ECDH-ES', 'ECDH-ES', 'RSA-OAEP-256', 'RSA-OAEP-256']);
    const contentAlgorithms = ['A128CBC-HS256', 'A256CBC-HS512', 'A128GCM', 'A256GCM'];
    for (const [i, key] of keys.entries()) {
      const request = await encryptTo(key, await requestObject('strict', { state: `encrypted-${i}` }), { enc: contentAlgorithms[i] });
      const result = await authorize(tp, { client_id: 'strict', request });
      assert.equal(result.redirect?.searchParams.get('state'), `encrypted-${i}`, `${key.alg} ${key.kid}`);
      const tokens = await exchange(tp, result.redirect!.searchParams.get('code')!, 'strict');
      assert.equal(claimsOf(tokens.body.id_token).nonce, 'object-nonce');
    }
  });

  test('encrypted: unsigned — the claims as JSON, or an alg none JWT — read as an unsigned object: accepted from a client that need not sign, refused at the redirect URI of one that must; without a kid, the current key', async () => {
    const tp = await setup();
    const stored = await tp.provider.context.storage.keys.list();
    const current = stored.find((key) => key.alg === 'RSA-OAEP-256' && key.state === 'current')!.public_jwk;
    const next = stored.find((key) => key.alg === 'RSA-OAEP-256' && key.state === 'next')!.public_jwk;
    const asJson = await encryptTo(current, requestClaims('signer', { state: 'json-claims' }), { cty: undefined });
    assert.equal((await authorize(tp, { client_id: 'signer', request: asJson })).redirect?.searchParams.get('state'), 'json-claims');
    const unsecured = await encryptTo(current, await requestObject('signer', { state: 'alg-none' }, { alg: 'none' }), { kid: undefined });
    assert.equal((await authorize(tp, { client_id: 'signer', request: unsecured })).redirect?.searchParams.get('state'), 'alg-none');
    // Without a kid only the current key is tried.
    await assertErrorPage(tp, { client_id: 'signer', request: await encryptTo(next, requestClaims('signer'), { kid: undefined }) }, 'invalid_request_object', 'request object could not be decrypted');
    // Encryption says nothing of who made the object: a client that must sign still must.
    const location = await assertRedirectedError(tp, { client_id: 'strict', request: await encryptTo(current, requestClaims('strict')) }, 'invalid_request', 'this client must send its authorization requests as signed request objects (RFC 9101)');
    assert.equal(location.searchParams.get('state'), 'object-state');
  });

  test('encrypted: what latchkey cannot decrypt or will not read → an error page with invalid_request_object, never a redirect', async () => {
    const tp = await setup();
    const keys = await decryptionKeysOf(tp);
    const rsaKey = keys.find((key) => key.alg === 'RSA-OAEP-256')!;
    const signed = await requestObject('signer');
    const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signingKid = ((await (await tp.provider.fetch(new Request(`${ISSUER}/jwks`))).json()) as { keys: JWK[] }).keys.find((key) => key.alg === 'RS256')!.kid;
    const valid = await encryptTo(rsaKey, signed);
    const [header, encryptedKey, iv, ciphertext, tag] = valid.split('.');
    const cases: [string, string, string][] = [
      ['RSA-OAEP (not offered)', await encryptTo(rsaKey, signed, { alg: 'RSA-OAEP' }, (await importJWK({ ...rsaKey, alg: 'RSA-OAEP' }, 'RSA-OAEP')) as CryptoKey), ENCRYPTION_REFUSAL],
      ['A192GCM content encryption', await encryptTo(rsaKey, signed, { enc: 'A192GCM' }), ENCRYPTION_REFUSAL],
      ['to a key latchkey never published', await encryptTo(rsaKey, signed, { kid: 'someone-elses' }, foreign.publicKey), 'request object is encrypted to a key latchkey does not publish (kid someone-elses)'],
      ['to a signing key\'s kid', await encryptTo(rsaKey, signed, { kid: signingKid }, foreign.publicKey), `request object is encrypted to a key latchkey does not publish (kid ${signingKid})`],
      ['to another key under latchkey\'s kid', await encryptTo(rsaKey, signed, {}, foreign.publicKey), 'request object could not be decrypted'],
      ['a changed ciphertext', [header, encryptedKey, iv, `${ciphertext!.slice(0, -4)}AAAA`, tag].join('.'), 'request object could not be decrypted'],
      ['a signed object by a stranger inside', await encryptTo(rsaKey, await requestObject('signer', {}, { key: stranger.privateKey })), 'request object rejected: signature verification failed'],
      ['another encrypted object inside', await encryptTo(rsaKey, valid), 'an encrypted request object must hold a signed object or its claims, not another encrypted one'],
      ['neither a JWT nor claims inside', await encryptTo(rsaKey, 'hello'), 'an encrypted request object must hold a signed object or a JSON object of claims'],
      ['a JSON array inside', await encryptTo(rsaKey, '[1]'), 'an encrypted request object must hold a signed object or a JSON object of claims'],
      ['expired inside', await encryptTo(rsaKey, await requestObject('signer', { exp: NOW - 60 })), 'request object has expired'],
    ];
    for (const [what, request, description] of cases) {
      await assertErrorPage(tp, { client_id: 'signer', request }, 'invalid_request_object', description).catch((failure: unknown) => {
        throw new Error(`${what}: ${(failure as Error).message}`);
      });
    }
  });

  test('encrypted: after a rotation the old key still decrypts while it is published (previous); once retired, not', async () => {
    const tp = await setup();
    const { storage, config, clock, keys } = tp.provider.context;
    const current = (await storage.keys.list()).find((key) => key.alg === 'ECDH-ES' && key.state === 'current')!;
    const request = await encryptTo(current.public_jwk, await requestObject('signer'));
    await rotateKeys(storage, config.secret!, clock, ['ECDH-ES']);
    keys.invalidate();
    assert.ok((await authorize(tp, { client_id: 'signer', request })).redirect?.searchParams.get('code'), 'previous: still decrypts');
    await rotateKeys(storage, config.secret!, clock, ['ECDH-ES']);
    keys.invalidate();
    await assertErrorPage(tp, { client_id: 'signer', request }, 'invalid_request_object', `request object is encrypted to a key latchkey does not publish (kid ${current.kid})`);
  });

  test('encrypted: pushed — an encrypted object pushed to /par is the pushed request (and signed inside, satisfies require_signed_request_object)', async () => {
    const tp = await setup();
    const [key] = await decryptionKeysOf(tp);
    const { response, body } = await postForm(tp, '/par', { request: await encryptTo(key!, await requestObject('strict', { state: 'sealed-and-pushed' })) }, { authorization: basicAuth('strict', SEED_SECRET) });
    assert.equal(response.status, 201);
    assert.equal((await authorize(tp, { client_id: 'strict', request_uri: String(body.request_uri) })).redirect?.searchParams.get('state'), 'sealed-and-pushed');
    const garbled = await postForm(tp, '/par', { request: await encryptTo(key!, 'hello') }, { authorization: basicAuth('strict', SEED_SECRET) });
    assertOAuthError(garbled.response, garbled.body, 400, 'invalid_request_object', 'an encrypted request object must hold a signed object or a JSON object of claims');
  });

  test('encrypted: by reference — an encrypted object served at a registered request_uri', async () => {
    const files = new Map<string, Served>();
    const { transport } = servedFiles(files);
    const tp = await testProvider({ clients: [REFERRER], accounts: [ALICE], outboundTransport: transport });
    const [key] = await decryptionKeysOf(tp);
    files.set(SIGNIN_URI, { body: await encryptTo(key!, await requestObject('referrer', { state: 'sealed-by-reference' })) });
    assert.equal((await authorize(tp, { client_id: 'referrer', request_uri: SIGNIN_URI })).redirect?.searchParams.get('state'), 'sealed-by-reference');
  });
});
