/**
 * Each example as a relying party meets it: latchkey mounted in Express, Fastify, Hono and a bare
 * `node:http` server, with the app's own users and sign-in page; openid-client discovers the
 * issuer, runs the authorization code flow with PKCE through the app's pages, validates the ID
 * token, fetches userinfo, refreshes and revokes.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import * as client from 'openid-client';
import { runBrowserlessFlow } from '../test/helpers/browserless.js';
import { DEMO_USER } from './shared/app-accounts.js';
import type { RunningExample } from './shared/run.js';

const REDIRECT_URI = 'http://127.0.0.1:8080/callback';

const EXAMPLES: Record<string, () => Promise<{ startExample(port: number): Promise<RunningExample> }>> = {
  express: () => import('./express/server.js'),
  fastify: () => import('./fastify/server.js'),
  hono: () => import('./hono/server.js'),
  'node-http': () => import('./node-http/server.js'),
};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('examples', () => {
  for (const [name, load] of Object.entries(EXAMPLES)) {
    test(`examples/${name}: openid-client completes a code flow through the app's own sign-in page`, async () => {
      const { startExample } = await load();
      const example = await startExample(await freePort());
      try {
        const registered = await example.provider.registerClient({
          client_name: `${name} demo`,
          redirect_uris: [REDIRECT_URI],
          grant_types: ['authorization_code', 'refresh_token'],
        });
        const config = await client.discovery(new URL(example.issuer), registered.client_id, undefined, client.ClientSecretBasic(registered.client_secret!), {
          execute: [client.allowInsecureRequests],
        });
        assert.equal(config.serverMetadata().issuer, example.issuer);

        const codeVerifier = client.randomPKCECodeVerifier();
        const nonce = client.randomNonce();
        const state = client.randomState();
        const authorizationUrl = client.buildAuthorizationUrl(config, {
          redirect_uri: REDIRECT_URI,
          scope: 'openid profile email',
          code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
          code_challenge_method: 'S256',
          nonce,
          state,
        });

        // A wrong password is the app's business: its page says so, latchkey never sees it.
        const refused = await runBrowserlessFlow(fetch, authorizationUrl.href, { credentials: { username: DEMO_USER.username, password: 'wrong' }, decision: 'allow' });
        assert.equal(refused.response.status, 401);
        assert.match(await refused.response.text(), /Wrong username or password/);

        const flow = await runBrowserlessFlow(fetch, authorizationUrl.href, { credentials: { ...DEMO_USER }, decision: 'allow' });
        assert.deepEqual(flow.pages, ['login', 'consent']);
        assert.ok(flow.redirect, `ended at ${flow.response.status}`);
        assert.equal(`${flow.redirect.origin}${flow.redirect.pathname}`, REDIRECT_URI);

        const tokens = await client.authorizationCodeGrant(config, flow.redirect, { pkceCodeVerifier: codeVerifier, expectedNonce: nonce, expectedState: state });
        const claims = tokens.claims()!;
        assert.equal(claims.iss, example.issuer);
        assert.equal(claims.sub, 'user-1815');
        assert.deepEqual(claims.amr, ['pwd']);
        assert.equal(tokens.scope, 'openid profile email');

        const userinfo = await client.fetchUserInfo(config, tokens.access_token, 'user-1815');
        assert.deepEqual(userinfo, { sub: 'user-1815', name: 'Ada Lovelace', preferred_username: 'ada', email: 'ada@example.com', email_verified: true });

        const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
        assert.notEqual(refreshed.access_token, tokens.access_token);
        // A confidential client keeps its refresh token (rotation is for public clients).
        const refreshToken = refreshed.refresh_token ?? tokens.refresh_token!;
        await client.tokenRevocation(config, refreshToken);
        await assert.rejects(client.refreshTokenGrant(config, refreshToken), (error: unknown) => (error as { error?: string }).error === 'invalid_grant');

        // The app's other routes still answer: latchkey only takes its own paths.
        const signIn = await fetch(new URL('/signin?uid=unknown', example.issuer));
        assert.equal(signIn.status, 400);
      } finally {
        await example.close();
      }
    });
  }
});
