/**
 * DPoP (RFC 9449) against the real server (HTTP, SQLite file): openid-client and oauth4webapi
 * make the proofs, get sender-constrained tokens, refresh them and call /userinfo with them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { runBrowserlessFlow } from '../helpers/browserless.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'http://localhost:3000/callback';
const insecure = { [oauth.allowInsecureRequests]: true };

/**
 * A public client registered on `target` signs alice in (the code flow with PKCE) and exchanges
 * the code with openid-client's DPoP handle of a new ES256 key.
 */
async function publicClientCodeFlow(target: TestServer, scope: string) {
  const registration = await target.createClient({ redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none', application_type: 'native', grant_types: ['authorization_code', 'refresh_token'] });
  const config = await client.discovery(new URL(target.issuer), registration.client_id!, undefined, client.None(), { execute: [client.allowInsecureRequests] });
  const DPoP = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
  const verifier = client.randomPKCECodeVerifier();
  const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
  const tokens = await client.authorizationCodeGrant(config, flow.redirect!, { pkceCodeVerifier: verifier }, undefined, { DPoP });
  return { config, DPoP, tokens };
}

describe('e2e: DPoP on a real server', () => {
  let server: TestServer;
  let sub: string;


  before(async () => {
    server = await startTestServer();
    sub = await server.createUser('alice', PASSWORD, ['--name', 'Alice Liddell']);
  });

  after(async () => {
    await server?.close();
  });

  test('e2e: openid-client — a public client\'s code flow, refresh and userinfo, all DPoP-bound', async () => {
    const { config, DPoP, tokens } = await publicClientCodeFlow(server, 'openid profile');
    assert.ok(config.serverMetadata().dpop_signing_alg_values_supported?.includes('ES256'));
    assert.equal(tokens.token_type, 'dpop');
    assert.equal(tokens.claims()!.sub, sub);

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, sub, { DPoP });
    assert.equal(userinfo.name, 'Alice Liddell');
    // Stolen, the token is useless: as a bearer token, and with another key's proofs.
    await assert.rejects(client.fetchUserInfo(config, tokens.access_token, sub), (error: Error & { status?: number }) => error instanceof client.WWWAuthenticateChallengeError || (error as { status?: number }).status === 401);
    const thief = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
    await assert.rejects(client.fetchUserInfo(config, tokens.access_token, sub, { DPoP: thief }));

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP });
    assert.equal(refreshed.token_type, 'dpop');
    assert.equal((await client.fetchUserInfo(config, refreshed.access_token, sub, { DPoP })).sub, sub);
    // The rotated refresh token is bound too: another key cannot redeem it.
    await assert.rejects(client.refreshTokenGrant(config, refreshed.refresh_token!, undefined, { DPoP: thief }), (error: Error & { error?: string }) => error.error === 'invalid_grant');
  });

  test('e2e: openid-client against LATCHKEY_DPOP_NONCES — it takes the server\'s nonce from use_dpop_nonce and DPoP-Nonce, and retries', async () => {
    const nonces = await startTestServer({ LATCHKEY_DPOP_NONCES: 'true' });
    try {
      const aliceSub = await nonces.createUser('alice', PASSWORD);
      const { config, DPoP, tokens } = await publicClientCodeFlow(nonces, 'openid');
      assert.equal(tokens.token_type, 'dpop');
      assert.equal((await client.fetchUserInfo(config, tokens.access_token, aliceSub, { DPoP })).sub, aliceSub);
      const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP });
      assert.equal(refreshed.token_type, 'dpop');
    } finally {
      await nonces.close();
    }
  });

  test('e2e: oauth4webapi — client credentials with DPoP; introspection tells the key (cnf.jkt)', async () => {
    const service = await server.createClient({ grant_types: ['client_credentials'], scope: 'reports', dpop_bound_access_tokens: true });
    const issuer = new URL(server.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
    const rp: oauth.Client = { client_id: service.client_id! };
    const auth = oauth.ClientSecretBasic(service.client_secret!);

    // Registered with dpop_bound_access_tokens: no proof, no token.
    const refused = await oauth.clientCredentialsGrantRequest(as, rp, auth, { scope: 'reports' }, insecure);
    await assert.rejects(oauth.processClientCredentialsResponse(as, rp, refused), (error: Error & { error?: string }) => error.error === 'invalid_dpop_proof');

    const keyPair = await oauth.generateKeyPair('ES256');
    const DPoP = oauth.DPoP(rp, keyPair);
    const response = await oauth.clientCredentialsGrantRequest(as, rp, auth, { scope: 'reports' }, { ...insecure, DPoP });
    const result = await oauth.processClientCredentialsResponse(as, rp, response);
    assert.equal(result.token_type, 'dpop');

    const introspected = await oauth.processIntrospectionResponse(as, rp, await oauth.introspectionRequest(as, rp, auth, result.access_token, insecure));
    assert.equal(introspected.active, true);
    assert.equal(introspected.token_type, 'DPoP');
    assert.deepEqual(introspected.cnf, { jkt: await calculateJwkThumbprint(await exportJWK(keyPair.publicKey), 'sha256') });
  });
});
