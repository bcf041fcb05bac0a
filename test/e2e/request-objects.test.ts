/**
 * Request objects (RFC 9101) against the real server (HTTP, SQLite file), with clients created by
 * the real CLI and the objects signed by openid-client and oauth4webapi.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
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
