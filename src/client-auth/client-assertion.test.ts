import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { OutboundTransport } from '../../src/http/outbound.js';
import { assertOAuthError, basicAuth, ISSUER, postForm, SEED_SECRET, testProvider, type TestProvider } from '../../test/helpers/index.js';
import { JWT_BEARER_ASSERTION_TYPE } from './client-assertion.js';

const GRANT = { grant_type: 'client_credentials' };

async function keyPair(alg = 'ES256'): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: `${alg}-${Math.random().toString(36).slice(2)}`, alg } };
}

interface AssertionOptions {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  jti?: string | null;
  alg?: string;
  kid?: string;
}

/** A client assertion signed with `key`; claims default to a valid assertion of `client_id`. */
async function assertion(tp: TestProvider, client_id: string, key: CryptoKey | Uint8Array, options: AssertionOptions = {}): Promise<string> {
  const now = tp.clock.now();
  const claims: Record<string, unknown> = {
    iss: options.iss ?? client_id,
    sub: options.sub ?? client_id,
    aud: options.aud ?? ISSUER,
    iat: now,
    exp: options.exp ?? now + 60,
  };
  if (options.jti !== null) claims.jti = options.jti ?? Math.random().toString(36).slice(2);
  return new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? 'ES256', ...(options.kid ? { kid: options.kid } : {}) }).sign(key);
}

function withAssertion(tp: TestProvider, jwt: string, extra: Record<string, string> = {}, headers: Record<string, string> = {}) {
  return postForm(tp, '/token', { ...GRANT, client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: jwt, ...extra }, headers);
}

const secretKey = new TextEncoder().encode(SEED_SECRET);

describe('client authentication: private_key_jwt and client_secret_jwt', async () => {
  const signer = await keyPair('ES256');
  const other = await keyPair('ES256');
  const CLIENTS = [
    { client_id: 'pk', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [signer.jwk] }, grant_types: ['client_credentials'], scope: 'api' },
    { client_id: 'pk-es256-only', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [signer.jwk] }, token_endpoint_auth_signing_alg: 'ES256', grant_types: ['client_credentials'], scope: 'api' },
    { client_id: 'hs', client_secret: SEED_SECRET, token_endpoint_auth_method: 'client_secret_jwt', grant_types: ['client_credentials'], scope: 'api' },
    { client_id: 'basic', client_secret: SEED_SECRET, grant_types: ['client_credentials'], scope: 'api' },
  ];
  const setup = () => testProvider({ clients: CLIENTS });

  test('private_key_jwt: a valid assertion (aud = issuer) authenticates the client', async () => {
    const tp = await setup();
    const { response, body } = await withAssertion(tp, await assertion(tp, 'pk', signer.privateKey));
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(body.scope, 'api');
  });

  test('private_key_jwt: aud = the token endpoint URL is accepted too; client_id beside it must match', async () => {
    const tp = await setup();
    assert.equal((await withAssertion(tp, await assertion(tp, 'pk', signer.privateKey, { aud: `${ISSUER}/token` }), { client_id: 'pk' })).response.status, 200);
    const mismatch = await withAssertion(tp, await assertion(tp, 'pk', signer.privateKey), { client_id: 'hs' });
    assertOAuthError(mismatch.response, mismatch.body, 401, 'invalid_client', 'client_id does not match the client_assertion');
  });

  test('client_secret_jwt: an HS256 assertion under the client secret authenticates the client', async () => {
    const tp = await setup();
    const { response } = await withAssertion(tp, await assertion(tp, 'hs', secretKey, { alg: 'HS256' }));
    assert.equal(response.status, 200);
    const wrong = await withAssertion(tp, await assertion(tp, 'hs', new TextEncoder().encode(`${SEED_SECRET}x`), { alg: 'HS256' }));
    assertOAuthError(wrong.response, wrong.body, 401, 'invalid_client', 'client authentication failed');
  });

  const refusals: [string, RegExp, (tp: TestProvider) => Promise<string>][] = [
    ['signed by another key', /signature verification failed/, (tp) => assertion(tp, 'pk', other.privateKey)],
    ['an array aud', /aud must be the issuer identifier/, (tp) => assertion(tp, 'pk', signer.privateKey, { aud: [ISSUER, 'https://other.example'] })],
    ['another server as aud', /aud must be the issuer identifier/, (tp) => assertion(tp, 'pk', signer.privateKey, { aud: 'https://other.example' })],
    ['iss other than the client', /"iss" claim/, (tp) => assertion(tp, 'pk', signer.privateKey, { iss: 'someone' })],
    ['expired', /"exp" claim/, (tp) => assertion(tp, 'pk', signer.privateKey, { exp: tp.clock.now() - 60 })],
    ['expiring more than 10 minutes ahead', /too far in the future/, (tp) => assertion(tp, 'pk', signer.privateKey, { exp: tp.clock.now() + 3600 })],
    ['without jti', /"jti" claim/, (tp) => assertion(tp, 'pk', signer.privateKey, { jti: null })],
    ['HMAC under the public key for a private_key_jwt client', /alg/, (tp) => assertion(tp, 'pk', secretKey, { alg: 'HS256' })],
    ['unsigned (alg none)', /alg|Unsecured/, async (tp) => {
      const now = tp.clock.now();
      const body = Buffer.from(JSON.stringify({ iss: 'pk', sub: 'pk', aud: ISSUER, exp: now + 60, jti: 'x' })).toString('base64url');
      return `${Buffer.from('{"alg":"none"}').toString('base64url')}.${body}.`;
    }],
  ];
  for (const [name, reason, make] of refusals) {
    test(`private_key_jwt: assertion ${name} → 401 invalid_client`, async () => {
      const tp = await setup();
      const { response, body } = await withAssertion(tp, await make(tp));
      assertOAuthError(response, body, 401, 'invalid_client', 'client authentication failed');
      const failures = tp.events.filter((e) => e.name === 'client_authentication.failed');
      assert.equal(failures.length, 1);
      assert.match(String(failures[0]!.data.reason), reason);
    });
  }

  test('private_key_jwt: an alg other than the registered token_endpoint_auth_signing_alg → 401', async () => {
    const tp = await setup();
    const rsa = await keyPair('PS256');
    await tp.provider.context.storage.clients.update({ ...(await tp.provider.context.storage.clients.find('pk-es256-only'))!, jwks: { keys: [signer.jwk, rsa.jwk] } });
    const { response } = await withAssertion(tp, await assertion(tp, 'pk-es256-only', rsa.privateKey, { alg: 'PS256' }));
    assert.equal(response.status, 401);
    assert.equal((await withAssertion(tp, await assertion(tp, 'pk-es256-only', signer.privateKey))).response.status, 200);
  });

  test('private_key_jwt: a jti used twice → the second is refused', async () => {
    const tp = await setup();
    const jwt = await assertion(tp, 'pk', signer.privateKey, { jti: 'once' });
    assert.equal((await withAssertion(tp, jwt)).response.status, 200);
    const again = await withAssertion(tp, jwt);
    assertOAuthError(again.response, again.body, 401, 'invalid_client', 'client authentication failed');
  });

  test('client assertion: wrong client_assertion_type → 401; missing client_assertion → 400; with Basic too → 400', async () => {
    const tp = await setup();
    const jwt = await assertion(tp, 'pk', signer.privateKey);
    const wrongType = await postForm(tp, '/token', { ...GRANT, client_assertion_type: 'urn:example:saml', client_assertion: jwt });
    assertOAuthError(wrongType.response, wrongType.body, 401, 'invalid_client', `client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}`);
    const missing = await postForm(tp, '/token', { ...GRANT, client_assertion_type: JWT_BEARER_ASSERTION_TYPE });
    assertOAuthError(missing.response, missing.body, 400, 'invalid_request', 'missing required parameter: client_assertion');
    const both = await withAssertion(tp, jwt, {}, { authorization: basicAuth('basic', SEED_SECRET) });
    assertOAuthError(both.response, both.body, 400, 'invalid_request', 'client authentication must use only one method');
    const notJwt = await withAssertion(tp, 'not-a-jwt');
    assertOAuthError(notJwt.response, notJwt.body, 401, 'invalid_client', 'client authentication failed');
  });

  test('client assertion: a client registered for client_secret_basic cannot use an assertion, nor the reverse', async () => {
    const tp = await setup();
    const viaAssertion = await withAssertion(tp, await assertion(tp, 'basic', secretKey, { alg: 'HS256' }));
    assertOAuthError(viaAssertion.response, viaAssertion.body, 401, 'invalid_client', 'client is registered for client_secret_basic authentication');
    const viaBasic = await postForm(tp, '/token', GRANT, { authorization: basicAuth('hs', SEED_SECRET) });
    assertOAuthError(viaBasic.response, viaBasic.body, 401, 'invalid_client', 'client is registered for client_secret_jwt authentication');
  });
});

describe('client authentication: private_key_jwt with jwks_uri', async () => {
  const first = await keyPair('ES256');
  const second = await keyPair('ES256');

  /** A transport serving the client's JWK Set, counting fetches. */
  function jwksServer(keys: () => JWK[]): { transport: OutboundTransport; fetches: string[] } {
    const fetches: string[] = [];
    const transport: OutboundTransport = async (url) => {
      fetches.push(url.href);
      return new Response(JSON.stringify({ keys: keys() }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    return { transport, fetches };
  }

  const client = { client_id: 'remote', token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://rp.example/jwks.json', grant_types: ['client_credentials'], scope: 'api' };

  test('jwks_uri: fetched once and cached; a rotated key is found by one refetch after the cooldown', async () => {
    let published = [first.jwk];
    const server = jwksServer(() => published);
    const tp = await testProvider({ clients: [client], outboundTransport: server.transport });
    assert.equal((await withAssertion(tp, await assertion(tp, 'remote', first.privateKey, { kid: first.jwk.kid! }))).response.status, 200);
    assert.equal((await withAssertion(tp, await assertion(tp, 'remote', first.privateKey, { kid: first.jwk.kid! }))).response.status, 200);
    assert.deepEqual(server.fetches, ['https://rp.example/jwks.json']);

    published = [second.jwk];
    tp.clock.advance(31);
    const rotated = await withAssertion(tp, await assertion(tp, 'remote', second.privateKey, { kid: second.jwk.kid! }));
    assert.equal(rotated.response.status, 200);
    assert.equal(server.fetches.length, 2);
  });

  test('jwks_uri: unknown kids within the cooldown do not make latchkey fetch again', async () => {
    const server = jwksServer(() => [first.jwk]);
    const tp = await testProvider({ clients: [client], outboundTransport: server.transport });
    for (let i = 0; i < 5; i++) {
      const { response } = await withAssertion(tp, await assertion(tp, 'remote', second.privateKey, { kid: 'unknown' }));
      assert.equal(response.status, 401);
    }
    assert.equal(server.fetches.length, 1);
  });

  test('jwks_uri: an unreachable or malformed key set → 401 invalid_client, no stack trace', async () => {
    const failing: OutboundTransport = async () => new Response('<html>', { status: 200 });
    const tp = await testProvider({ clients: [client], outboundTransport: failing });
    const { response, body } = await withAssertion(tp, await assertion(tp, 'remote', first.privateKey));
    assertOAuthError(response, body, 401, 'invalid_client', 'client authentication failed');
  });
});
