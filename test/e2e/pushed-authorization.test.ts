/**
 * Pushed authorization requests (RFC 9126) against the real server (HTTP, SQLite file), with
 * clients created by the real CLI and the requests pushed by openid-client and oauth4webapi.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { runBrowserlessFlow } from '../helpers/browserless.js';
import { E2E_PASSWORD as PASSWORD, E2E_REDIRECT_URI as REDIRECT_URI, serverForSuite } from '../helpers/server.js';

const insecure = { [oauth.allowInsecureRequests]: true };

describe('e2e: pushed authorization requests on a real server', () => {
  const e2e = serverForSuite();

  test('e2e: openid-client — buildAuthorizationUrlWithPAR with private_key_jwt, then the code flow', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'rp-par-key', alg: 'ES256', use: 'sig' };
    const registration = await e2e.server.createClient({ redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] }, require_pushed_authorization_requests: true });
    const config = await client.discovery(new URL(e2e.server.issuer), registration.client_id!, undefined, client.PrivateKeyJwt({ key: privateKey, kid: 'rp-par-key' }), {
      execute: [client.allowInsecureRequests],
    });
    assert.equal(config.serverMetadata().pushed_authorization_request_endpoint, `${e2e.server.issuer}/par`);

    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    const url = await client.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce,
      state,
    });
    // Only the client and the reference travel through the browser.
    assert.deepEqual([...url.searchParams.keys()].sort(), ['client_id', 'request_uri']);
    assert.match(url.searchParams.get('request_uri')!, /^urn:ietf:params:oauth:request_uri:/);

    const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
    assert.deepEqual(flow.pages, ['login', 'consent']);
    const tokens = await client.authorizationCodeGrant(config, flow.redirect!, { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state, idTokenExpected: true });
    assert.equal(tokens.claims()!.sub, e2e.sub);
    assert.equal(tokens.scope, 'openid profile');

    // The client requires PAR: the same request sent through the browser is refused at its redirect URI.
    const plain = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state });
    const refused = await fetch(plain, { redirect: 'manual' });
    const location = new URL(refused.headers.get('location')!);
    assert.equal(location.origin + location.pathname, REDIRECT_URI);
    assert.equal(location.searchParams.get('error'), 'invalid_request');
  });

  test('e2e: oauth4webapi — a public client pushes with PKCE; the request_uri works once', async () => {
    const registration = await e2e.server.createClient({ redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none', application_type: 'native' });
    const issuer = new URL(e2e.server.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
    const rp: oauth.Client = { client_id: registration.client_id! };
    const verifier = oauth.generateRandomCodeVerifier();
    const pushedResponse = await oauth.pushedAuthorizationRequest(as, rp, oauth.None(), {
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }, insecure);
    assert.equal(pushedResponse.status, 201);
    const pushed = await oauth.processPushedAuthorizationResponse(as, rp, pushedResponse);
    assert.equal(pushed.expires_in, 60);

    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: rp.client_id, request_uri: pushed.request_uri }).toString();
    const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
    const params = oauth.validateAuthResponse(as, rp, flow.redirect!);
    const result = await oauth.processAuthorizationCodeResponse(as, rp, await oauth.authorizationCodeGrantRequest(as, rp, oauth.None(), params, REDIRECT_URI, verifier, insecure));
    assert.equal(oauth.getValidatedIdTokenClaims(result)!.sub, e2e.sub);

    const reused = await fetch(url, { redirect: 'manual' });
    assert.equal(reused.status, 400);
    assert.equal(reused.headers.get('location'), null);
    assert.match(await reused.text(), /request_uri has been used already/);
  });
});
