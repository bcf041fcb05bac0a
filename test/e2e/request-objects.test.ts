/**
 * Request objects (RFC 9101) against the real server (HTTP, SQLite file), with clients created by
 * the real CLI and the objects signed by openid-client and oauth4webapi — by value, pushed, and by
 * reference from a relying party's own HTTP server.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CompactEncrypt, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { runBrowserlessFlow } from '../helpers/browserless.js';
import { E2E_PASSWORD as PASSWORD, E2E_REDIRECT_URI as REDIRECT_URI, serverForSuite } from '../helpers/server.js';

const insecure = { [oauth.allowInsecureRequests]: true };

describe('e2e: request objects on a real server', () => {
  const e2e = serverForSuite();

  test('e2e: openid-client — buildAuthorizationUrlWithJAR for a client that must sign, alone and pushed with PAR', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'rp-jar-key', alg: 'ES256', use: 'sig' };
    const registration = await e2e.server.createClient({
      redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] }, request_object_signing_alg: 'ES256', require_signed_request_object: true,
    });
    const config = await client.discovery(new URL(e2e.server.issuer), registration.client_id!, undefined, client.PrivateKeyJwt({ key: privateKey, kid: 'rp-jar-key' }), {
      execute: [client.allowInsecureRequests],
    });
    assert.equal(config.serverMetadata().request_parameter_supported, true);
    const signingKey = { key: privateKey, kid: 'rp-jar-key' };

    for (const pushed of [false, true]) {
      const verifier = client.randomPKCECodeVerifier();
      const nonce = client.randomNonce();
      const state = client.randomState();
      let url = await client.buildAuthorizationUrlWithJAR(config, {
        redirect_uri: REDIRECT_URI,
        scope: 'openid profile',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        nonce,
        state,
      }, signingKey);
      assert.ok(url.searchParams.get('request'), 'the request travels as a signed object');
      if (pushed) {
        url = await client.buildAuthorizationUrlWithPAR(config, url.searchParams);
        assert.deepEqual([...url.searchParams.keys()].sort(), ['client_id', 'request_uri']);
      }
      const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
      assert.ok(flow.redirect, `${pushed ? 'pushed' : 'plain'}: back at the client`);
      const tokens = await client.authorizationCodeGrant(config, flow.redirect, { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state, idTokenExpected: true });
      assert.equal(tokens.claims()!.sub, e2e.sub);
      assert.equal(tokens.scope, 'openid profile');
    }

    // The client must sign: the same request as plain parameters is refused at its redirect URI.
    const plain = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()), code_challenge_method: 'S256' });
    const refused = await fetch(plain, { redirect: 'manual' });
    const location = new URL(refused.headers.get('location')!);
    assert.equal(location.origin + location.pathname, REDIRECT_URI);
    assert.equal(location.searchParams.get('error'), 'invalid_request');
  });

  test('e2e: oauth4webapi — issueRequestObject for a client_secret_basic client with registered keys; a tampered object is refused', async () => {
    const { privateKey, publicKey } = await generateKeyPair('PS256', { extractable: true });
    const registration = await e2e.server.createClient({ redirect_uris: [REDIRECT_URI], jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'rp-ps-key' }] } });
    const issuer = new URL(e2e.server.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
    const rp: oauth.Client = { client_id: registration.client_id!, request_object_signing_alg: 'PS256' };
    const clientAuth = oauth.ClientSecretBasic(registration.client_secret!);
    const state = oauth.generateRandomState();
    const request = await oauth.issueRequestObject(as, rp, { redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid email', state }, { key: privateKey, kid: 'rp-ps-key' });

    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: rp.client_id, request }).toString();
    const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
    const params = oauth.validateAuthResponse(as, rp, flow.redirect!, state);
    const result = await oauth.processAuthorizationCodeResponse(as, rp, await oauth.authorizationCodeGrantRequest(as, rp, clientAuth, params, REDIRECT_URI, oauth.nopkce, insecure));
    assert.equal(oauth.getValidatedIdTokenClaims(result)!.sub, e2e.sub);
    assert.equal(result.scope, 'openid email');

    const [header, payload, signature] = request.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, redirect_uri: 'https://evil.example/cb' })).toString('base64url')}.${signature}`;
    url.search = new URLSearchParams({ client_id: rp.client_id, request: tampered }).toString();
    const refused = await fetch(url, { redirect: 'manual' });
    assert.equal(refused.status, 400);
    assert.equal(refused.headers.get('location'), null);
    assert.match(await refused.text(), /invalid_request_object/);
  });
});

/** A relying party's web server, serving one request object at /request.jwt; counts what it was asked. */
async function requestObjectHost(): Promise<{ url: string; serve(object: string): void; requests: () => number; close(): Promise<void> }> {
  let object = '';
  let requests = 0;
  const server: Server = createServer((request, response) => {
    requests += 1;
    if (request.url !== '/request.jwt') return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/oauth-authz-req+jwt' }).end(object);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/request.jwt`,
    serve: (jwt) => void (object = jwt),
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('e2e: encrypted request objects on a real server', () => {
  const e2e = serverForSuite();

  test('e2e: oauth4webapi — issueRequestObject, then encrypted to the decryption key latchkey publishes in its JWKS (RSA-OAEP-256, then ECDH-ES) → a code, tokens', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const registration = await e2e.server.createClient({ redirect_uris: [REDIRECT_URI], jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'rp-sealed-key' }] }, require_signed_request_object: true });
    const issuer = new URL(e2e.server.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
    assert.deepEqual(as.request_object_encryption_alg_values_supported, ['RSA-OAEP-256', 'ECDH-ES']);
    const { keys } = (await (await fetch(as.jwks_uri!)).json()) as { keys: JWK[] };
    const rpClient: oauth.Client = { client_id: registration.client_id!, request_object_signing_alg: 'ES256' };
    const clientAuth = oauth.ClientSecretBasic(registration.client_secret!);

    for (const alg of ['RSA-OAEP-256', 'ECDH-ES']) {
      const encryptionKey = keys.find((key) => key.use === 'enc' && key.alg === alg)!;
      const state = oauth.generateRandomState();
      const signed = await oauth.issueRequestObject(as, rpClient, { redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid', state }, { key: privateKey, kid: 'rp-sealed-key' });
      const request = await new CompactEncrypt(new TextEncoder().encode(signed))
        .setProtectedHeader({ alg, enc: 'A256GCM', kid: encryptionKey.kid!, cty: 'JWT' })
        .encrypt(await importJWK(encryptionKey, alg));
      const url = new URL(as.authorization_endpoint!);
      url.search = new URLSearchParams({ client_id: rpClient.client_id, request }).toString();
      const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
      const params = oauth.validateAuthResponse(as, rpClient, flow.redirect!, state);
      const result = await oauth.processAuthorizationCodeResponse(as, rpClient, await oauth.authorizationCodeGrantRequest(as, rpClient, clientAuth, params, REDIRECT_URI, oauth.nopkce, insecure));
      assert.equal(oauth.getValidatedIdTokenClaims(result)!.sub, e2e.sub, alg);
    }
  });
});

describe('e2e: request objects by reference on a real server', () => {
  // The relying party runs on this machine: outbound requests to loopback must be allowed.
  const e2e = serverForSuite({ LATCHKEY_DEVELOPMENT: 'true', LATCHKEY_DANGEROUSLY_ALLOW_PRIVATE_NETWORK_FETCH: 'true' });
  let rp: Awaited<ReturnType<typeof requestObjectHost>>;
  before(async () => {
    rp = await requestObjectHost();
  });
  after(async () => {
    await rp?.close();
  });

  test('e2e: oauth4webapi — issueRequestObject served at a registered request_uri (with its SHA-256 as the fragment) → fetched by the server, a code, tokens', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const registration = await e2e.server.createClient({ redirect_uris: [REDIRECT_URI], jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'rp-ref-key' }] }, request_uris: [rp.url] });
    const issuer = new URL(e2e.server.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
    assert.equal(as.request_uri_parameter_supported, true);
    assert.equal(as.require_request_uri_registration, true);
    const rpClient: oauth.Client = { client_id: registration.client_id!, request_object_signing_alg: 'ES256' };
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const object = await oauth.issueRequestObject(as, rpClient, { redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid profile', state, nonce }, { key: privateKey, kid: 'rp-ref-key' });
    rp.serve(object);

    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: rpClient.client_id, request_uri: `${rp.url}#${createHash('sha256').update(object).digest('base64url')}` }).toString();
    const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
    assert.equal(rp.requests(), 1, 'the server fetched the object once');
    const params = oauth.validateAuthResponse(as, rpClient, flow.redirect!, state);
    const clientAuth = oauth.ClientSecretBasic(registration.client_secret!);
    const result = await oauth.processAuthorizationCodeResponse(as, rpClient, await oauth.authorizationCodeGrantRequest(as, rpClient, clientAuth, params, REDIRECT_URI, oauth.nopkce, insecure), { expectedNonce: nonce, requireIdToken: true });
    assert.equal(oauth.getValidatedIdTokenClaims(result)!.sub, e2e.sub);
    assert.equal(result.scope, 'openid profile');
  });
});

describe('e2e: request objects by reference — the outbound policy holds', () => {
  const e2e = serverForSuite();

  test('e2e: a request_uri on a private address is registered but never fetched by a server that does not allow private network fetches → an error page', async () => {
    const rp = await requestObjectHost();
    try {
      const registration = await e2e.server.createClient({ redirect_uris: [REDIRECT_URI], jwks: { keys: [{ ...(await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey)), kid: 'k' }] }, request_uris: [rp.url] });
      const url = new URL(`${e2e.server.issuer}/authorize`);
      url.search = new URLSearchParams({ client_id: registration.client_id!, request_uri: rp.url }).toString();
      const refused = await fetch(url, { redirect: 'manual' });
      assert.equal(refused.status, 400);
      assert.equal(refused.headers.get('location'), null);
      const page = await refused.text();
      assert.match(page, /invalid_request_uri/);
      assert.match(page, /request_uri could not be fetched/);
      assert.equal(rp.requests(), 0);
    } finally {
      await rp.close();
    }
  });
});
