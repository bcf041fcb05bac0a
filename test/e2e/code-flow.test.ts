/**
 * The whole authorization code flow against the real server (HTTP, SQLite file), with clients
 * and users created by the real CLI and the flow driven by real relying-party libraries.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { runBrowserlessFlow } from '../helpers/browserless.js';
import { curl, startTestServer, type TestServer } from '../helpers/server.js';

const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'http://localhost:3000/callback';

describe('e2e: authorization code flow on a real server', () => {
  let server: TestServer;
  let sub: string;

  before(async () => {
    server = await startTestServer();
    const user = await server.cli(
      ['users', 'create', '--username', 'alice', '--email', 'alice@example.com', '--email-verified', '--name', 'Alice Liddell', '--password-stdin'],
      `${PASSWORD}\n`,
    );
    assert.equal(user.code, 0, user.stderr);
    sub = JSON.parse(user.stdout).sub;
  });

  after(async () => {
    await server?.close();
  });

  test('e2e: openid-client — discovery, PKCE + nonce, ID token validation, userinfo, refresh', async () => {
    const created = await server.cli(
      ['clients', 'create'],
      JSON.stringify({ client_name: 'Web App', redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code', 'refresh_token'] }),
    );
    assert.equal(created.code, 0, created.stderr);
    const registration = JSON.parse(created.stdout);
    assert.equal(registration.token_endpoint_auth_method, 'client_secret_basic');
    assert.match(registration.client_secret, /^[A-Za-z0-9_-]{43}$/);

    // The running server sees the client the CLI just created, without a restart.
    const config = await client.discovery(new URL(server.issuer), registration.client_id, undefined, client.ClientSecretBasic(registration.client_secret), {
      execute: [client.allowInsecureRequests],
    });
    const codeVerifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile email offline_access',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      nonce,
      state,
    });

    const flow = await runBrowserlessFlow(fetch, authorizationUrl.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
    assert.deepEqual(flow.pages, ['login', 'consent']);
    if (!flow.redirect) throw new Error('not redirected back to the client');

    const tokens = await client.authorizationCodeGrant(config, flow.redirect, { pkceCodeVerifier: codeVerifier, expectedNonce: nonce, expectedState: state, idTokenExpected: true });
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(tokens.expires_in, 3600);
    assert.ok(tokens.refresh_token);
    const claims = tokens.claims()!;
    assert.equal(claims.sub, sub);
    assert.equal(claims.iss, server.issuer);
    assert.equal(claims.aud, registration.client_id);
    assert.equal(claims.nonce, nonce);
    assert.equal(typeof claims.auth_time, 'number');

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, sub);
    assert.deepEqual(userinfo, { sub, name: 'Alice Liddell', preferred_username: 'alice', updated_at: userinfo.updated_at, email: 'alice@example.com', email_verified: true });

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    assert.notEqual(refreshed.access_token, tokens.access_token);
    assert.equal(refreshed.claims()!.sub, sub);
    assert.equal(refreshed.claims()!.auth_time, claims.auth_time);
    const again = await client.fetchUserInfo(config, refreshed.access_token, sub);
    assert.equal(again.sub, sub);
  });

  test('e2e: oauth4webapi — a public client with PKCE and form_post-free query response', async () => {
    const created = await server.cli(['clients', 'create'], JSON.stringify({ redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none', application_type: 'native' }));
    assert.equal(created.code, 0, created.stderr);
    const registration = JSON.parse(created.stdout);
    assert.equal(registration.client_secret, undefined);

    const issuer = new URL(server.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { [oauth.allowInsecureRequests]: true }));
    const rp: oauth.Client = { client_id: registration.client_id };
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: rp.client_id,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid email',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();

    const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
    const params = oauth.validateAuthResponse(as, rp, flow.redirect!);
    const response = await oauth.authorizationCodeGrantRequest(as, rp, oauth.None(), params, REDIRECT_URI, verifier, { [oauth.allowInsecureRequests]: true });
    const result = await oauth.processAuthorizationCodeResponse(as, rp, response);
    assert.equal(oauth.getValidatedIdTokenClaims(result)!.sub, sub);
    const userinfo = await oauth.processUserInfoResponse(as, rp, sub, await oauth.userInfoRequest(as, rp, result.access_token, { [oauth.allowInsecureRequests]: true }));
    assert.deepEqual(userinfo, { sub, email: 'alice@example.com', email_verified: true });
  });

  test('e2e: openid-client — the claims parameter and a pairwise client', async () => {
    const created = await server.cli(['clients', 'create'], JSON.stringify({ redirect_uris: [REDIRECT_URI], subject_type: 'pairwise' }));
    assert.equal(created.code, 0, created.stderr);
    const registration = JSON.parse(created.stdout);
    assert.equal(registration.subject_type, 'pairwise');
    const config = await client.discovery(new URL(server.issuer), registration.client_id, undefined, client.ClientSecretBasic(registration.client_secret), {
      execute: [client.allowInsecureRequests],
    });
    assert.equal(config.serverMetadata().claims_parameter_supported, true);
    assert.deepEqual(config.serverMetadata().subject_types_supported, ['public', 'pairwise']);

    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      claims: JSON.stringify({ id_token: { email: { essential: true } }, userinfo: { name: null } }),
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
    const tokens = await client.authorizationCodeGrant(config, flow.redirect!, { pkceCodeVerifier: verifier });
    const claims = tokens.claims()!;
    assert.equal(claims.email, 'alice@example.com');
    assert.equal(claims.name, undefined);
    assert.notEqual(claims.sub, sub, 'a pairwise sub, not the account id');
    // openid-client checks that userinfo speaks of the same sub as the ID token.
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(userinfo.name, 'Alice Liddell');
    assert.equal(userinfo.email, undefined);
  });

  test('e2e: openid-client — the groups scope, and a client only for one group (users and clients made by the CLI)', async () => {
    const member = await server.cli(['users', 'create', '--username', 'grace', '--group', 'staff', '--group', 'k8s:admins', '--password-stdin'], `${PASSWORD}\n`);
    assert.equal(member.code, 0, member.stderr);
    assert.deepEqual(JSON.parse(member.stdout).groups, ['staff', 'k8s:admins']);
    const created = await server.cli(['clients', 'create'], JSON.stringify({ redirect_uris: [REDIRECT_URI], allowed_groups: ['staff'] }));
    assert.equal(created.code, 0, created.stderr);
    const registration = JSON.parse(created.stdout);
    assert.deepEqual(registration.allowed_groups, ['staff']);
    const config = await client.discovery(new URL(server.issuer), registration.client_id, undefined, client.ClientSecretBasic(registration.client_secret), {
      execute: [client.allowInsecureRequests],
    });
    assert.ok(config.serverMetadata().scopes_supported?.includes('groups'));

    const signIn = async (username: string) => {
      const verifier = client.randomPKCECodeVerifier();
      const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid groups', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
      const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username, password: PASSWORD }, decision: 'allow' });
      return { flow, tokens: () => client.authorizationCodeGrant(config, flow.redirect!, { pkceCodeVerifier: verifier }) };
    };
    const grace = await signIn('grace');
    const tokens = await grace.tokens();
    assert.deepEqual(tokens.claims()!.groups, ['staff', 'k8s:admins']);
    assert.deepEqual((await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub)).groups, ['staff', 'k8s:admins']);

    // alice belongs to no group: refused after her login, and openid-client reads the error.
    const alice = await signIn('alice');
    assert.deepEqual(alice.flow.pages, ['login']);
    await assert.rejects(alice.tokens(), (error: Error & { error?: string }) => error.error === 'access_denied');
  });

  test('e2e: ID tokens signed with ES256, PS256 and EdDSA verify in openid-client', async () => {
    for (const alg of ['ES256', 'PS256', 'EdDSA']) {
      const created = await server.cli(['clients', 'create'], JSON.stringify({ redirect_uris: [REDIRECT_URI], id_token_signed_response_alg: alg }));
      assert.equal(created.code, 0, created.stderr);
      const registration = JSON.parse(created.stdout);
      const config = await client.discovery(new URL(server.issuer), registration.client_id, { id_token_signed_response_alg: alg }, client.ClientSecretBasic(registration.client_secret), {
        execute: [client.allowInsecureRequests],
      });
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', nonce });
      const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
      const tokens = await client.authorizationCodeGrant(config, flow.redirect!, { expectedNonce: nonce, idTokenExpected: true });
      const header = JSON.parse(Buffer.from(tokens.id_token!.split('.')[0]!, 'base64url').toString());
      assert.equal(header.alg, alg);
      assert.equal(tokens.claims()!.sub, sub);
    }
  });

  test('e2e: the seed\'s curl walk-through (django-oidc-provider "Access Tokens") works verbatim', async () => {
    const created = await server.cli(
      ['clients', 'create'],
      JSON.stringify({
        client_id: '651462',
        client_secret: '37b1c4ff826f8d78bd45e25bad75a2c0',
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
      }),
    );
    assert.equal(created.code, 0, created.stderr);
    assert.equal(JSON.parse(created.stdout).client_secret, '37b1c4ff826f8d78bd45e25bad75a2c0');

    const authorize = `${server.issuer}/authorize?client_id=651462&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&response_type=code&scope=openid%20email%20profile&state=123123`;
    const flow = await runBrowserlessFlow(fetch, authorize, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
    assert.equal(flow.redirect!.searchParams.get('state'), '123123');
    const code = flow.redirect!.searchParams.get('code')!;

    const tokens = JSON.parse(await curl([
      '-X', 'POST',
      '-H', 'Cache-Control: no-cache',
      '-H', 'Content-Type: application/x-www-form-urlencoded',
      `${server.issuer}/token/`,
      '-d', 'client_id=651462',
      '-d', 'client_secret=37b1c4ff826f8d78bd45e25bad75a2c0',
      '-d', `code=${code}`,
      '-d', `redirect_uri=${REDIRECT_URI}`,
      '-d', 'grant_type=authorization_code',
    ]));
    assert.deepEqual(Object.keys(tokens).sort(), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
    assert.equal(tokens.token_type, 'Bearer');

    const userinfo = JSON.parse(await curl(['-X', 'GET', '-H', 'Cache-Control: no-cache', '-H', `Authorization: Bearer ${tokens.access_token}`, `${server.issuer}/userinfo`]));
    assert.equal(userinfo.sub, sub);
    assert.equal(userinfo.email, 'alice@example.com');

    const refreshed = JSON.parse(await curl([
      '-X', 'POST',
      '-H', 'Cache-Control: no-cache',
      '-H', 'Content-Type: application/x-www-form-urlencoded',
      `${server.issuer}/token/`,
      '-d', 'client_id=651462',
      '-d', 'client_secret=37b1c4ff826f8d78bd45e25bad75a2c0',
      '-d', 'grant_type=refresh_token',
      '-d', `refresh_token=${tokens.refresh_token}`,
    ]));
    assert.equal(refreshed.token_type, 'Bearer');
    assert.notEqual(refreshed.access_token, tokens.access_token);

    // The seed's rendered page omits the secret on refresh: a confidential client must authenticate (RFC 6749 §6).
    const withoutSecret = JSON.parse(await curl([
      '-X', 'POST', `${server.issuer}/token/`,
      '-d', 'client_id=651462', '-d', 'grant_type=refresh_token', '-d', `refresh_token=${tokens.refresh_token}`,
    ]));
    assert.deepEqual(withoutSecret, { error: 'invalid_client', error_description: 'client is registered for client_secret_post authentication' });
  });
});
