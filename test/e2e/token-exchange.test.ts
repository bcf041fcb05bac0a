/**
 * Token exchange (RFC 8693) against the real server (HTTP, SQLite file): clients and APIs created
 * by the real CLI; the app and the API it calls are openid-client configurations.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as client from 'openid-client';
import { runBrowserlessFlow } from '../helpers/browserless.js';
import { E2E_PASSWORD as PASSWORD, E2E_REDIRECT_URI as REDIRECT_URI, serverForSuite } from '../helpers/server.js';

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
const ORDERS = 'https://orders.example/api';
const LEDGER = 'https://ledger.example';

describe('e2e: token exchange on a real server', () => {
  const e2e = serverForSuite();

  test('e2e: openid-client — the app gets a token for the orders API; the orders API exchanges it (genericGrantRequest) for a ledger token that introspects as the user\'s; with its own token as actor_token, one that names it as the actor', async () => {
    const ordersApi = await e2e.server.createClient({ grant_types: ['client_credentials', EXCHANGE], scope: 'ledger:read' });
    for (const definition of [{ resource: ORDERS, scope: 'orders:read', client_id: ordersApi.client_id }, { resource: LEDGER, scope: 'ledger:read', client_id: ordersApi.client_id }]) {
      const created = await e2e.server.cli(['resources', 'create'], JSON.stringify(definition));
      assert.equal(created.code, 0, created.stderr);
    }
    const app = await e2e.server.createClient({ redirect_uris: [REDIRECT_URI] });
    const issuer = new URL(e2e.server.issuer);
    const appConfig = await client.discovery(issuer, app.client_id!, undefined, client.ClientSecretBasic(app.client_secret!), { execute: [client.allowInsecureRequests] });
    const apiConfig = await client.discovery(issuer, ordersApi.client_id!, undefined, client.ClientSecretBasic(ordersApi.client_secret!), { execute: [client.allowInsecureRequests] });
    assert.ok(apiConfig.serverMetadata().grant_types_supported?.includes(EXCHANGE));

    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(appConfig, {
      redirect_uri: REDIRECT_URI, scope: 'orders:read', resource: ORDERS, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
    const userTokens = await client.authorizationCodeGrant(appConfig, flow.redirect!, { pkceCodeVerifier: verifier }, { resource: ORDERS });

    const exchanged = await client.genericGrantRequest(apiConfig, EXCHANGE, {
      subject_token: userTokens.access_token, subject_token_type: ACCESS_TOKEN, resource: LEDGER, scope: 'ledger:read',
    });
    assert.equal(exchanged.issued_token_type, ACCESS_TOKEN);
    assert.equal(exchanged.scope, 'ledger:read');
    const introspection = await client.tokenIntrospection(apiConfig, exchanged.access_token);
    assert.equal(introspection.active, true);
    assert.equal(introspection.sub, e2e.sub);
    assert.equal(introspection.client_id, ordersApi.client_id);
    assert.equal(introspection.aud, LEDGER);
    assert.equal(introspection.act, undefined, 'impersonation: no actor');

    // Delegation (RFC 8693 §4.1): the orders API names itself with its own token as actor_token.
    const own = await client.clientCredentialsGrant(apiConfig, { scope: 'ledger:read' });
    const delegated = await client.genericGrantRequest(apiConfig, EXCHANGE, {
      subject_token: userTokens.access_token, subject_token_type: ACCESS_TOKEN, actor_token: own.access_token, actor_token_type: ACCESS_TOKEN, resource: LEDGER, scope: 'ledger:read',
    });
    const delegatedIntrospection = await client.tokenIntrospection(apiConfig, delegated.access_token);
    assert.equal(delegatedIntrospection.sub, e2e.sub);
    assert.deepEqual(delegatedIntrospection.act, { sub: ordersApi.client_id });

    // The app may not exchange the token: it is registered for no such grant.
    await assert.rejects(client.genericGrantRequest(appConfig, EXCHANGE, { subject_token: userTokens.access_token, subject_token_type: ACCESS_TOKEN }), (error: unknown) => (error as { error?: string }).error === 'unauthorized_client');
  });
});
