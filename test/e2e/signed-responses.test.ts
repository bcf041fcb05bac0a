/**
 * Responses latchkey signs, and encrypts, for the client — JWT-secured authorization responses
 * (JARM), signed UserInfo responses, encrypted ID tokens — against the real server (HTTP, SQLite file), with clients created by the
 * real CLI and the responses validated by openid-client and oauth4webapi.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { runBrowserlessFlow } from '../helpers/browserless.js';
import { E2E_PASSWORD as PASSWORD, E2E_REDIRECT_URI as REDIRECT_URI, serverForSuite } from '../helpers/server.js';

const insecure = { [oauth.allowInsecureRequests]: true };

describe('e2e: signed responses on a real server', () => {
  const e2e = serverForSuite();

  test('e2e: openid-client — useJwtResponseMode: the code flow with the response as a signed JWT (ES256 for this client)', async () => {
    const registration = await e2e.server.createClient({ redirect_uris: [REDIRECT_URI], authorization_signed_response_alg: 'ES256' });
    const config = await client.discovery(new URL(e2e.server.issuer), registration.client_id!, { authorization_signed_response_alg: 'ES256' }, client.ClientSecretBasic(registration.client_secret!), {
      execute: [client.allowInsecureRequests, client.useJwtResponseMode],
    });
    assert.ok(config.serverMetadata().response_modes_supported?.includes('jwt'));
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI, scope: 'openid profile', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', nonce, state,
    });
    assert.equal(url.searchParams.get('response_mode'), 'jwt');
    const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
    assert.deepEqual([...flow.redirect!.searchParams.keys()], ['response']);
    const tokens = await client.authorizationCodeGrant(config, flow.redirect!, { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state, idTokenExpected: true });
    assert.equal(tokens.claims()!.sub, e2e.sub);
  });

  test('e2e: oauth4webapi — validateJwtAuthResponse accepts latchkey\'s response and refuses a changed one', async () => {
    const registration = await e2e.server.createClient({ redirect_uris: [REDIRECT_URI] });
    const issuer = new URL(e2e.server.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
    const rp: oauth.Client = { client_id: registration.client_id! };
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: rp.client_id, redirect_uri: REDIRECT_URI, response_type: 'code', response_mode: 'jwt', scope: 'openid', state }).toString();
    const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
    const params = await oauth.validateJwtAuthResponse(as, rp, flow.redirect!, state, insecure);
    const result = await oauth.processAuthorizationCodeResponse(as, rp, await oauth.authorizationCodeGrantRequest(as, rp, oauth.ClientSecretBasic(registration.client_secret!), params, REDIRECT_URI, oauth.nopkce, insecure));
    assert.equal(oauth.getValidatedIdTokenClaims(result)!.sub, e2e.sub);

    const [header, payload, signature] = flow.redirect!.searchParams.get('response')!.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const changed = new URL(REDIRECT_URI);
    changed.searchParams.set('response', `${header}.${Buffer.from(JSON.stringify({ ...claims, code: 'attacker-code' })).toString('base64url')}.${signature}`);
    await assert.rejects(oauth.validateJwtAuthResponse(as, rp, changed, state, insecure));
  });

  test('e2e: openid-client — fetchUserInfo for a client registered with userinfo_signed_response_alg verifies the signed answer', async () => {
    const registration = await e2e.server.createClient({ redirect_uris: [REDIRECT_URI], userinfo_signed_response_alg: 'PS256' });
    const config = await client.discovery(new URL(e2e.server.issuer), registration.client_id!, { userinfo_signed_response_alg: 'PS256' }, client.ClientSecretBasic(registration.client_secret!), {
      execute: [client.allowInsecureRequests],
    });
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid profile', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
    const tokens = await client.authorizationCodeGrant(config, flow.redirect!, { pkceCodeVerifier: verifier });
    const raw = await fetch(`${e2e.server.issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(raw.headers.get('content-type'), 'application/jwt');
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, e2e.sub);
    assert.equal(userinfo.sub, e2e.sub);
    assert.equal(userinfo.preferred_username, 'alice');
  });

  test('e2e: openid-client — enableDecryptingResponses: the ID token encrypted to the client\'s RSA key (RSA-OAEP-256) is decrypted and validated', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RSA-OAEP-256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'rp-enc', use: 'enc', alg: 'RSA-OAEP-256' };
    const registration = await e2e.server.createClient({ redirect_uris: [REDIRECT_URI], jwks: { keys: [jwk] }, id_token_encrypted_response_alg: 'RSA-OAEP-256', id_token_encrypted_response_enc: 'A256GCM' });
    const config = await client.discovery(new URL(e2e.server.issuer), registration.client_id!, undefined, client.ClientSecretBasic(registration.client_secret!), {
      execute: [client.allowInsecureRequests],
    });
    client.enableDecryptingResponses(config, ['A256GCM'], { key: privateKey, kid: 'rp-enc' });
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', nonce, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
    const tokens = await client.authorizationCodeGrant(config, flow.redirect!, { pkceCodeVerifier: verifier, expectedNonce: nonce, idTokenExpected: true });
    assert.equal(tokens.id_token!.split('.').length, 5, 'the ID token travelled as a JWE');
    assert.equal(tokens.claims()!.sub, e2e.sub);
  });
});
