/**
 * latchkey as an upstream's relying party, against an upstream that misbehaves: a small OpenID
 * Provider over real HTTP whose answers each test bends — a wrong nonce, audience or issuer, a
 * signature by a key it does not publish, a UserInfo about someone else, an `iss` that is not its
 * own on the callback. Each is refused; the right one gives the person's profile.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { UpstreamProviderRecord } from '../storage/types.js';
import { authorizationUrl, newRequestSecrets, redeemCallback, UpstreamError, type UpstreamRequestSecrets } from './upstream-client.js';

const CLIENT_ID = 'latchkey';
const REDIRECT_URI = 'https://id.example/upstream/fake/callback';

let server: Server;
let issuer: string;
let published: CryptoKey;
let unpublished: CryptoKey;
let publicJwk: Record<string, unknown>;
/** What the fake upstream puts in its next ID token and UserInfo; tests change them. */
let idTokenClaims: Record<string, unknown>;
let userinfo: Record<string, unknown>;
let signWith: () => CryptoKey;
let lastTokenRequest: { authorization?: string; body: URLSearchParams } | undefined;

before(async () => {
  unpublished = (await generateKeyPair('ES256')).privateKey;
  const keys = await generateKeyPair('ES256', { extractable: true });
  published = keys.privateKey;
  publicJwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  server = createServer((request, response) => {
    const url = new URL(request.url!, issuer);
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', async () => {
      const send = (status: number, value: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(value));
      };
      if (url.pathname === '/.well-known/openid-configuration') {
        return send(200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          userinfo_endpoint: `${issuer}/userinfo`,
          jwks_uri: `${issuer}/jwks`,
          id_token_signing_alg_values_supported: ['ES256'],
          authorization_response_iss_parameter_supported: true,
          token_endpoint_auth_methods_supported: ['client_secret_basic'],
        });
      }
      if (url.pathname === '/jwks') return send(200, { keys: [publicJwk] });
      if (url.pathname === '/token') {
        lastTokenRequest = { ...(request.headers.authorization === undefined ? {} : { authorization: request.headers.authorization }), body: new URLSearchParams(body) };
        const now = Math.floor(Date.now() / 1000);
        const idToken = await new SignJWT({ iss: issuer, aud: CLIENT_ID, sub: 'person-1', iat: now, exp: now + 300, ...idTokenClaims })
          .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
          .sign(signWith());
        return send(200, { access_token: 'at-1', token_type: 'Bearer', expires_in: 300, id_token: idToken });
      }
      if (url.pathname === '/userinfo') return send(200, { sub: 'person-1', ...userinfo });
      send(404, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  idTokenClaims = {};
  userinfo = { email: 'pat@fake.example', email_verified: true, name: 'Pat Fake', preferred_username: 'pat' };
  signWith = () => published;
  lastTokenRequest = undefined;
});

function upstream(): UpstreamProviderRecord {
  return { id: 'fake', name: 'Fake', issuer, client_id: CLIENT_ID, scope: 'openid email profile', create_accounts: true, sync_profile: false, sync_groups: false, disabled: false, created_at: 0, updated_at: 0 };
}

/** Starts a request, then redeems the callback `callback(secrets)` makes of it. */
async function redeem(callback: (secrets: UpstreamRequestSecrets) => URLSearchParams) {
  const secrets = newRequestSecrets();
  const now = Math.floor(Date.now() / 1000);
  await authorizationUrl(upstream(), REDIRECT_URI, secrets, now);
  // `nonce` comes back in the ID token as the upstream read it from the request.
  idTokenClaims = { nonce: secrets.nonce, ...idTokenClaims };
  return redeemCallback(upstream(), 'the-secret', new URL(`${REDIRECT_URI}?${callback(secrets)}`), REDIRECT_URI, secrets, now);
}

const answer = (secrets: UpstreamRequestSecrets) => new URLSearchParams({ code: 'c-1', state: secrets.state, iss: issuer });

describe('upstream client against a misbehaving upstream', () => {
  test('a conforming answer: the profile from the ID token and UserInfo; the code redeemed with the verifier and client_secret_basic', async () => {
    let verifier = '';
    const profile = await redeem((secrets) => {
      verifier = secrets.code_verifier;
      return answer(secrets);
    });
    assert.deepEqual(profile, { subject: 'person-1', email: 'pat@fake.example', email_verified: true, name: 'Pat Fake', preferred_username: 'pat' });
    assert.equal(lastTokenRequest?.body.get('code_verifier'), verifier);
    assert.equal(lastTokenRequest?.body.get('redirect_uri'), REDIRECT_URI);
    // RFC 6749 §2.3.1: each part form-encoded first.
    assert.equal(lastTokenRequest?.authorization, `Basic ${Buffer.from(`${CLIENT_ID}:the%2Dsecret`).toString('base64')}`);
  });

  test('a groups claim: the names latchkey takes as group names, each once; without one, no groups', async () => {
    userinfo = { groups: ['eng', 'bad"name', 5, 'eng', 'x'.repeat(200), ' padded', 'k8s:admins'] };
    assert.deepEqual((await redeem(answer)).groups, ['eng', 'k8s:admins']);
    userinfo = {};
    idTokenClaims = {};
    assert.equal((await redeem(answer)).groups, undefined);
  });

  test('the authorization request: S256 challenge of the verifier, state, nonce, scope', async () => {
    const secrets = newRequestSecrets();
    const url = new URL(await authorizationUrl(upstream(), REDIRECT_URI, secrets, Math.floor(Date.now() / 1000)));
    assert.equal(url.origin + url.pathname, `${issuer}/authorize`);
    assert.equal(url.searchParams.get('state'), secrets.state);
    assert.equal(url.searchParams.get('nonce'), secrets.nonce);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.notEqual(url.searchParams.get('code_challenge'), secrets.code_verifier);
    assert.equal(url.searchParams.get('scope'), 'openid email profile');
  });

  const refusals: [string, () => void, (secrets: UpstreamRequestSecrets) => URLSearchParams][] = [
    ['an ID token with another nonce', () => (idTokenClaims = { nonce: 'not-the-one' }), answer],
    ['an ID token for another audience', () => (idTokenClaims = { aud: 'someone-else' }), answer],
    ['an ID token from another issuer', () => (idTokenClaims = { iss: 'https://evil.example' }), answer],
    ['an ID token expired', () => (idTokenClaims = { exp: Math.floor(Date.now() / 1000) - 3600 }), answer],
    ['an ID token signed by a key the upstream does not publish', () => (signWith = () => unpublished), answer],
    ['UserInfo about someone else', () => (userinfo = { sub: 'person-2' }), answer],
    ['a callback with another state', () => {}, (secrets) => new URLSearchParams({ code: 'c-1', state: `${secrets.state}x`, iss: issuer })],
    ['a callback whose iss is not the upstream (RFC 9207, a mix-up)', () => {}, (secrets) => new URLSearchParams({ code: 'c-1', state: secrets.state, iss: 'https://evil.example' })],
    ['a callback without iss from an upstream that sends it', () => {}, (secrets) => new URLSearchParams({ code: 'c-1', state: secrets.state })],
  ];
  for (const [what, bend, callback] of refusals) {
    test(`refused: ${what}`, async () => {
      bend();
      await assert.rejects(
        redeem(callback),
        (error: unknown) => error instanceof UpstreamError && !error.denied,
      );
    });
  }

  test('an error answer (access_denied) is a refusal told as denied', async () => {
    await assert.rejects(
      redeem((secrets) => new URLSearchParams({ error: 'access_denied', state: secrets.state, iss: issuer })),
      (error: unknown) => error instanceof UpstreamError && error.denied,
    );
  });
});
