/**
 * The server and the CLI on PostgreSQL (`LATCHKEY_TEST_POSTGRES_URL`, set by `.ci/run`) — with
 * short-lived artifacts in Redis when `LATCHKEY_TEST_REDIS_URL` is set too: a fresh database per
 * run, two server instances sharing it, openid-client as the relying party.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import pg from 'pg';
import { runBrowserlessFlow } from '../helpers/browserless.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const adminUrl = process.env.LATCHKEY_TEST_POSTGRES_URL;
const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'http://localhost:3000/callback';

async function admin(statement: string): Promise<void> {
  const connection = new pg.Client({ connectionString: adminUrl });
  await connection.connect();
  try {
    await connection.query(statement);
  } finally {
    await connection.end();
  }
}

if (adminUrl === undefined) {
  test('e2e: latchkey on PostgreSQL', { skip: 'LATCHKEY_TEST_POSTGRES_URL is not set (CI sets it)' }, () => {});
} else {
  describe('e2e: latchkey on PostgreSQL', () => {
    const database = `latchkey_e2e_${randomBytes(6).toString('hex')}`;
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    const redisUrl = process.env.LATCHKEY_TEST_REDIS_URL;
    const env: Record<string, string> = {
      LATCHKEY_DATABASE_URL: url.href,
      LATCHKEY_SECRET: randomBytes(32).toString('base64url'),
      ...(redisUrl === undefined ? {} : { LATCHKEY_REDIS_URL: redisUrl }),
    };
    let first: TestServer;
    let second: TestServer;

    before(async () => {
      await admin(`CREATE DATABASE ${database}`);
      // Both start on the empty database at once: the advisory locks let one migrate and one create keys.
      [first, second] = await Promise.all([startTestServer(env), startTestServer(env)]);
      const user = await first.cli(['users', 'create', '--username', 'alice', '--password-stdin'], `${PASSWORD}\n`);
      assert.equal(user.code, 0, user.stderr);
    });

    after(async () => {
      await first?.close();
      await second?.close();
      await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    });

    test('e2e: a client from the CLI; the code from one instance is redeemed at the other; refresh and introspection', async () => {
      const created = await first.cli(['clients', 'create'], JSON.stringify({ redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code', 'refresh_token'] }));
      assert.equal(created.code, 0, created.stderr);
      const { client_id, client_secret } = JSON.parse(created.stdout);
      const options = { execute: [client.allowInsecureRequests] };
      const atFirst = await client.discovery(new URL(first.issuer), client_id, undefined, client.ClientSecretBasic(client_secret), options);
      const verifier = client.randomPKCECodeVerifier();
      const url = client.buildAuthorizationUrl(atFirst, {
        redirect_uri: REDIRECT_URI, scope: 'openid', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
      const flow = await runBrowserlessFlow(fetch, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
      assert.ok(flow.redirect?.searchParams.get('code'));

      // The second instance has its own issuer URL; it validates what the first issued via the shared database.
      const code = flow.redirect!.searchParams.get('code')!;
      const exchanged = await fetch(`${second.issuer}/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
      });
      assert.equal(exchanged.status, 200);
      const tokens = (await exchanged.json()) as { access_token: string; refresh_token: string };

      const refreshed = await client.refreshTokenGrant(atFirst, tokens.refresh_token);
      assert.ok(refreshed.access_token);
      assert.equal((await client.tokenIntrospection(atFirst, refreshed.access_token)).active, true);
      await client.tokenRevocation(atFirst, refreshed.access_token);
      assert.equal((await client.tokenIntrospection(atFirst, refreshed.access_token)).active, false);
    });

    test('e2e: latchkey migrate on PostgreSQL → nothing left to apply', async () => {
      const result = await first.cli(['migrate']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'migrations applied\n');
    });
  });
}
