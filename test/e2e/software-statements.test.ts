/**
 * Software statements (RFC 7591 §2.3) on a real server configured by environment variables:
 * `LATCHKEY_REGISTRATION=software_statement` and a publisher's keys in
 * `LATCHKEY_SOFTWARE_STATEMENT_ISSUERS`; openid-client registers with the publisher's statement
 * and runs the code flow as the client it made.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import * as client from 'openid-client';
import { runBrowserlessFlow } from '../helpers/browserless.js';
import { E2E_PASSWORD as PASSWORD, E2E_REDIRECT_URI as REDIRECT_URI, serverForSuite } from '../helpers/server.js';

const publisher = await generateKeyPair('ES256', { extractable: true });
const PUBLISHER = 'https://publisher.example';
const jwks = { keys: [{ ...(await exportJWK(publisher.publicKey)), kid: 'publisher-1' }] };

describe('e2e: software statements on a real server', () => {
  const e2e = serverForSuite({ LATCHKEY_REGISTRATION: 'software_statement', LATCHKEY_SOFTWARE_STATEMENT_ISSUERS: JSON.stringify({ [PUBLISHER]: jwks }) });

  test('e2e: openid-client — dynamicClientRegistration with a publisher\'s software statement and no initial access token → the statement\'s metadata, then the code flow; without one → 400', async () => {
    const software_statement = await new SignJWT({ software_id: 'reports-app', software_version: '1.4', client_name: 'Reports (vouched)', redirect_uris: [REDIRECT_URI] })
      .setProtectedHeader({ alg: 'ES256', kid: 'publisher-1' })
      .setIssuer(PUBLISHER)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(publisher.privateKey);
    const config = await client.dynamicClientRegistration(
      new URL(e2e.server.issuer),
      { software_statement, client_name: 'What the installation says', grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_post' },
      undefined,
      { execute: [client.allowInsecureRequests] },
    );
    const metadata = config.clientMetadata();
    assert.equal(metadata.client_name, 'Reports (vouched)');
    assert.equal(metadata.software_id, 'reports-app');
    assert.equal(metadata.software_statement, software_statement);

    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid' });
    const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
    const tokens = await client.authorizationCodeGrant(config, flow.redirect!);
    assert.equal(tokens.claims()!.sub, e2e.sub);

    const refused = await fetch(`${e2e.server.issuer}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uris: [REDIRECT_URI] }) });
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { error: string }).error, 'invalid_software_statement');
  });
});
