/**
 * Client credentials, introspection, revocation and refresh-token rotation against the real
 * server (HTTP, SQLite file), driven by openid-client and oauth4webapi.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { runBrowserlessFlow } from '../helpers/browserless.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'http://localhost:3000/callback';
const insecure = { execute: [client.allowInsecureRequests] };

describe('e2e: the token family on a real server', () => {
  let server: TestServer;


  before(async () => {
    server = await startTestServer({ LATCHKEY_REFRESH_TOKEN_REUSE_GRACE_SECONDS: '0' });
    await server.createUser('alice', PASSWORD);
  });

  after(async () => {
    await server?.close();
  });

  test('e2e: openid-client — client credentials, introspection (JSON and RFC 9701 JWT), revocation', async () => {
    const service = await server.createClient({ client_name: 'Billing service', grant_types: ['client_credentials'], scope: 'invoices:read invoices:write', introspection_signed_response_alg: 'ES256' });
    const config = await client.discovery(new URL(server.issuer), service.client_id!, undefined, client.ClientSecretBasic(service.client_secret), insecure);

    const tokens = await client.clientCredentialsGrant(config, { scope: 'invoices:read' });
    assert.equal(tokens.scope, 'invoices:read');
    assert.equal(tokens.refresh_token, undefined);
    assert.equal(tokens.id_token, undefined);

    const introspected = await client.tokenIntrospection(config, tokens.access_token);
    assert.equal(introspected.active, true);
    assert.equal(introspected.client_id, service.client_id);
    assert.equal(introspected.scope, 'invoices:read');

    // oauth4webapi asks for and validates the signed response (typ, iss, aud, signature).
    const issuer = new URL(server.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { [oauth.allowInsecureRequests]: true }));
    const rp: oauth.Client = { client_id: service.client_id!, introspection_signed_response_alg: 'ES256' };
    const jwtResponse = await oauth.introspectionRequest(as, rp, oauth.ClientSecretBasic(service.client_secret!), tokens.access_token, {
      requestJwtResponse: true,
      [oauth.allowInsecureRequests]: true,
    });
    assert.equal(jwtResponse.headers.get('content-type'), 'application/token-introspection+jwt');
    const validated = await oauth.processIntrospectionResponse(as, rp, jwtResponse);
    assert.equal(validated.active, true);
    assert.equal(validated.scope, 'invoices:read');

    await client.tokenRevocation(config, tokens.access_token);
    assert.equal((await client.tokenIntrospection(config, tokens.access_token)).active, false);
  });

  test('e2e: openid-client — private_key_jwt and client_secret_jwt client authentication', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'rp-key-1', alg: 'ES256', use: 'sig' };
    const keyClient = await server.createClient({ grant_types: ['client_credentials'], scope: 'reports', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] } });
    assert.equal(keyClient.client_secret, undefined, 'a private_key_jwt client has no secret');
    const keyConfig = await client.discovery(new URL(server.issuer), keyClient.client_id!, undefined, client.PrivateKeyJwt({ key: privateKey, kid: 'rp-key-1' }), insecure);
    const keyTokens = await client.clientCredentialsGrant(keyConfig);
    assert.equal(keyTokens.scope, 'reports');
    assert.equal((await client.tokenIntrospection(keyConfig, keyTokens.access_token)).active, true);

    const secretClient = await server.createClient({ grant_types: ['client_credentials'], scope: 'reports', token_endpoint_auth_method: 'client_secret_jwt' });
    const secretConfig = await client.discovery(new URL(server.issuer), secretClient.client_id!, undefined, client.ClientSecretJwt(secretClient.client_secret), insecure);
    const secretTokens = await client.clientCredentialsGrant(secretConfig);
    assert.equal(secretTokens.scope, 'reports');
    await client.tokenRevocation(secretConfig, secretTokens.access_token);
    assert.equal((await client.tokenIntrospection(secretConfig, secretTokens.access_token)).active, false);
  });

  test('e2e: openid-client — dynamic registration with an initial access token from the CLI, then RFC 7592 management', async () => {
    const issued = await server.cli(['clients', 'initial-token', '--ttl', '600']);
    assert.equal(issued.code, 0, issued.stderr);
    const { initial_access_token, expires_in } = JSON.parse(issued.stdout);
    assert.equal(expires_in, 600);

    const config = await client.dynamicClientRegistration(
      new URL(server.issuer),
      // openid-client authenticates a dynamically registered client with client_secret_post.
      { client_name: 'Registered by openid-client', redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code', 'refresh_token'], token_endpoint_auth_method: 'client_secret_post' },
      undefined,
      { initialAccessToken: initial_access_token, ...insecure },
    );
    const metadata = config.clientMetadata();
    assert.equal(typeof metadata.client_secret, 'string');
    assert.equal(typeof metadata.registration_access_token, 'string');

    // The registered client runs the code flow at once.
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid' });
    const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
    const tokens = await client.authorizationCodeGrant(config, flow.redirect!);
    assert.ok(tokens.id_token);

    // RFC 7592: read, then delete with the registration access token.
    const management = { authorization: `Bearer ${String(metadata.registration_access_token)}` };
    const read = await fetch(String(metadata.registration_client_uri), { headers: management });
    assert.equal(read.status, 200);
    assert.equal((await read.json()).client_name, 'Registered by openid-client');
    assert.equal((await fetch(String(metadata.registration_client_uri), { method: 'DELETE', headers: management })).status, 204);

    // The token is spent: a second registration with it is refused.
    const again = await fetch(`${server.issuer}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${initial_access_token}` },
      body: JSON.stringify({ redirect_uris: [REDIRECT_URI] }),
    });
    assert.equal(again.status, 401);
  });

  test('e2e: resource servers from the CLI — openid-client asks with resource, oauth4webapi validates the RFC 9068 JWT as the API would', async () => {
    const API = 'https://inventory.example/api';
    const registered = await server.cli(['resources', 'create'], JSON.stringify({ resource: API, name: 'Inventory', scope: 'stock:read', access_token_format: 'jwt', access_token_ttl_seconds: 900 }));
    assert.equal(registered.code, 0, registered.stderr);
    const issuer = new URL(server.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { [oauth.allowInsecureRequests]: true }));
    /** The API's side: a request with the token, validated (typ, iss, aud, exp, signature via jwks_uri). */
    const validateAtApi = (token: string) =>
      oauth.validateJwtAccessToken(as, new Request(`${API}/stock`, { headers: { authorization: `Bearer ${token}` } }), API, { [oauth.allowInsecureRequests]: true });

    const service = await server.createClient({ grant_types: ['client_credentials'], scope: 'stock:read' });
    const serviceConfig = await client.discovery(issuer, service.client_id!, undefined, client.ClientSecretBasic(service.client_secret), insecure);
    const serviceTokens = await client.clientCredentialsGrant(serviceConfig, { resource: API });
    assert.equal(serviceTokens.expires_in, 900);
    const serviceClaims = await validateAtApi(serviceTokens.access_token);
    assert.equal(serviceClaims.sub, service.client_id);
    assert.equal(serviceClaims.scope, 'stock:read');

    const web = await server.createClient({ redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code', 'refresh_token'] });
    const webConfig = await client.discovery(issuer, web.client_id!, undefined, client.ClientSecretBasic(web.client_secret), insecure);
    const url = client.buildAuthorizationUrl(webConfig, { redirect_uri: REDIRECT_URI, scope: 'openid stock:read', resource: API });
    const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
    const tokens = await client.authorizationCodeGrant(webConfig, flow.redirect!, undefined, { resource: API });
    const claims = await validateAtApi(tokens.access_token);
    assert.equal(claims.sub, tokens.claims()!.sub, 'the token speaks of the signed-in user');
    assert.equal(claims.client_id, web.client_id);
    assert.equal(claims.scope, 'openid stock:read');

    await assert.rejects(
      () => client.refreshTokenGrant(webConfig, tokens.refresh_token!, { resource: 'https://elsewhere.example' }),
      (error: unknown) => error instanceof client.ResponseBodyError && error.error === 'invalid_target',
    );
    const refreshed = await client.refreshTokenGrant(webConfig, tokens.refresh_token!, { resource: API });
    assert.equal((await validateAtApi(refreshed.access_token)).aud, API);
  });

  test('e2e: oauth4webapi — a public client\'s refresh tokens rotate; replaying a rotated one revokes the family', async () => {
    const spa = await server.createClient({ redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] });
    const issuer = new URL(server.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { [oauth.allowInsecureRequests]: true }));
    const rp: oauth.Client = { client_id: spa.client_id! };
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: rp.client_id, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    }).toString();
    const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
    const params = oauth.validateAuthResponse(as, rp, flow.redirect!);
    const options = { [oauth.allowInsecureRequests]: true };
    const first = await oauth.processAuthorizationCodeResponse(as, rp, await oauth.authorizationCodeGrantRequest(as, rp, oauth.None(), params, REDIRECT_URI, verifier, options));

    const second = await oauth.processRefreshTokenResponse(as, rp, await oauth.refreshTokenGrantRequest(as, rp, oauth.None(), first.refresh_token!, options));
    assert.ok(second.refresh_token);
    assert.notEqual(second.refresh_token, first.refresh_token);

    // Past the reuse grace window (10 s by default) a rotated token is a replay; this server
    // runs with a window of 0 seconds, so the replay is caught at once.
    await assert.rejects(
      async () => oauth.processRefreshTokenResponse(as, rp, await oauth.refreshTokenGrantRequest(as, rp, oauth.None(), first.refresh_token!, options)),
      (error: unknown) => error instanceof oauth.ResponseBodyError && error.error === 'invalid_grant',
    );
    await assert.rejects(
      async () => oauth.processRefreshTokenResponse(as, rp, await oauth.refreshTokenGrantRequest(as, rp, oauth.None(), second.refresh_token!, options)),
      (error: unknown) => error instanceof oauth.ResponseBodyError && error.error === 'invalid_grant',
      'the successor died with the family',
    );
  });
});
