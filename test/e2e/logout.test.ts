/**
 * RP-initiated logout with openid-client's end-session URL, and back-channel logout delivered to
 * a real HTTP endpoint of the relying party.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { CookieJar, runBrowserlessFlow } from '../helpers/browserless.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'http://localhost:3000/callback';
const POST_LOGOUT = 'http://localhost:3000/signed-out';

describe('e2e: logout on a real server', () => {
  let server: TestServer;
  let rp: Server;
  let rpUrl: string;
  const logoutTokens: string[] = [];

  before(async () => {
    rp = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        logoutTokens.push(new URLSearchParams(body).get('logout_token') ?? '');
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => rp.listen(0, '127.0.0.1', resolve));
    rpUrl = `http://127.0.0.1:${(rp.address() as AddressInfo).port}`;
    // The relying party runs on this machine: outbound requests to loopback must be allowed.
    server = await startTestServer({ LATCHKEY_DEVELOPMENT: 'true', LATCHKEY_DANGEROUSLY_ALLOW_PRIVATE_NETWORK_FETCH: 'true' });
    await server.createUser('alice', PASSWORD);
  });

  after(async () => {
    await server?.close();
    await new Promise<void>((resolve) => rp?.close(() => resolve()));
  });

  test('e2e: openid-client buildEndSessionUrl → signed out, redirected with state, logout token POSTed to the RP', async () => {
    const created = await server.cli(['clients', 'create'], JSON.stringify({
      redirect_uris: [REDIRECT_URI],
      post_logout_redirect_uris: [POST_LOGOUT],
      backchannel_logout_uri: `${rpUrl}/backchannel-logout`,
      grant_types: ['authorization_code', 'refresh_token'],
    }));
    assert.equal(created.code, 0, created.stderr);
    const registration = JSON.parse(created.stdout);
    const config = await client.discovery(new URL(server.issuer), registration.client_id, undefined, client.ClientSecretBasic(registration.client_secret), {
      execute: [client.allowInsecureRequests],
    });
    assert.equal(config.serverMetadata().backchannel_logout_supported, true);

    const jar = new CookieJar();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid' });
    const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow', jar });
    const tokens = await client.authorizationCodeGrant(config, flow.redirect!);

    const endSession = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: POST_LOGOUT, state: 'bye-state' });
    const response = await fetch(endSession, { headers: { cookie: jar.header() }, redirect: 'manual' });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), `${POST_LOGOUT}?state=bye-state`);

    await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token!), (error: unknown) => error instanceof client.ResponseBodyError && error.error === 'invalid_grant');

    const deadline = Date.now() + 5000;
    while (logoutTokens.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.equal(logoutTokens.length, 1);
    const { payload } = await jwtVerify(logoutTokens[0]!, createRemoteJWKSet(new URL(`${server.issuer}/jwks`)), { issuer: server.issuer, audience: registration.client_id, typ: 'logout+jwt' });
    assert.equal(payload.sid, tokens.claims()!.sid);
  });
});
