/** The implicit (`id_token`) and hybrid (`code id_token`) flows against the real server, validated by openid-client. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { runBrowserlessFlow } from '../helpers/browserless.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const PASSWORD = 'correct horse battery staple';
/** Never requested: the flow stops at the redirect, and the RP reads the URL it was sent to. */
const REDIRECT_URI = 'https://rp.example/callback';

describe('e2e: implicit and hybrid flows on a real server', () => {
  let server: TestServer;
  let sub: string;


  async function signIn(url: URL): Promise<URL> {
    const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
    assert.ok(flow.redirect, `redirected to the client, got ${flow.response.status}`);
    return flow.redirect;
  }

  before(async () => {
    server = await startTestServer();
    sub = await server.createUser('alice', PASSWORD, ['--email', 'alice@example.com']);
  });

  after(async () => {
    await server?.close();
  });

  test('e2e: openid-client implicitAuthentication — response_type=id_token, fragment, claims in the ID token', async () => {
    const spa = await server.createClient({ redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none', grant_types: ['implicit'], response_types: ['id_token'] });
    const config = await client.discovery(new URL(server.issuer), spa.client_id!, undefined, client.None(), {
      execute: [client.allowInsecureRequests, client.useIdTokenResponseType],
    });
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid email', nonce });
    assert.equal(url.searchParams.get('response_type'), 'id_token');
    const callback = await signIn(url);
    assert.ok(callback.hash.includes('id_token='), 'the ID token comes in the fragment');

    const claims = await client.implicitAuthentication(config, callback, nonce);
    assert.equal(claims.sub, sub);
    assert.equal(claims.email, 'alice@example.com');
  });

  test('e2e: openid-client useCodeIdTokenResponseType — the hybrid response (c_hash checked), then the code at /token', async () => {
    const web = await server.createClient({ redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code', 'implicit', 'refresh_token'], response_types: ['code id_token'] });
    const config = await client.discovery(new URL(server.issuer), web.client_id!, undefined, client.ClientSecretBasic(web.client_secret), {
      execute: [client.allowInsecureRequests, client.useCodeIdTokenResponseType],
    });
    const nonce = client.randomNonce();
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI, scope: 'openid', nonce, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    assert.equal(url.searchParams.get('response_type'), 'code id_token');
    const callback = await signIn(url);

    const tokens = await client.authorizationCodeGrant(config, callback, { expectedNonce: nonce, pkceCodeVerifier: verifier });
    assert.equal(tokens.claims()!.sub, sub);
    assert.ok(tokens.refresh_token);
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, sub);
    assert.equal(userinfo.sub, sub);
  });
});
