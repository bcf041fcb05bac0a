/**
 * The server and the CLI on PostgreSQL (`LATCHKEY_TEST_POSTGRES_URL`, set by `.ci/run`) — with
 * short-lived artifacts in Redis when `LATCHKEY_TEST_REDIS_URL` is set too: a fresh database per
 * run, two server instances sharing it, openid-client as the relying party.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { decodeProtectedHeader } from 'jose';
import { connectRedis } from '../../src/storage/redis/index.js';
import { onPostgres } from '../helpers/backends.js';
import { CookieJar, runBrowserlessFlow } from '../helpers/browserless.js';
import { freePort, startTestServer, type TestServer } from '../helpers/server.js';

const adminUrl = process.env.LATCHKEY_TEST_POSTGRES_URL;
const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'http://localhost:3000/callback';

function admin(statement: string): Promise<void> {
  return onPostgres(adminUrl!, statement);
}

if (adminUrl === undefined) {
  test('e2e: latchkey on PostgreSQL', { skip: 'LATCHKEY_TEST_POSTGRES_URL is not set (CI sets it)' }, () => {});
} else {
  describe('e2e: latchkey on PostgreSQL', () => {
    const database = `latchkey_e2e_${randomBytes(6).toString('hex')}`;
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    const redisUrl = process.env.LATCHKEY_TEST_REDIS_URL;
    const redisPrefix = `${database}:`;
    const env: Record<string, string> = {
      LATCHKEY_DATABASE_URL: url.href,
      LATCHKEY_SECRET: randomBytes(32).toString('base64url'),
      ...(redisUrl === undefined ? {} : { LATCHKEY_REDIS_URL: redisUrl, LATCHKEY_REDIS_PREFIX: redisPrefix }),
    };

    /** The Redis keys this run's instances wrote. */
    async function redisKeys(): Promise<string[]> {
      const redis = await connectRedis(redisUrl!);
      const keys: string[] = [];
      for await (const batch of redis.scanIterator({ MATCH: `${redisPrefix}*`, COUNT: 500 })) keys.push(...batch);
      await redis.quit();
      return keys;
    }
    let first: TestServer;
    let second: TestServer;

    /** The origin both instances serve as: the load balancer's, in a real deployment. */
    let issuer: string;
    /** A load balancer: sends each request to the instances in turn; counts who got what. */
    let balance: (request: Request) => Promise<Response>;
    const served = [0, 0];

    before(async () => {
      await admin(`CREATE DATABASE ${database}`);
      const [portA, portB] = [await freePort(), await freePort()];
      issuer = `http://127.0.0.1:${portA}`;
      // Both start on the empty database at once, with one issuer: the advisory locks let one
      // migrate and one create the keys.
      [first, second] = await Promise.all([
        startTestServer({ ...env, LATCHKEY_ISSUER: issuer, LATCHKEY_PORT: String(portA) }),
        startTestServer({ ...env, LATCHKEY_ISSUER: issuer, LATCHKEY_PORT: String(portB) }),
      ]);
      const ports = [portA, portB];
      let turn = 0;
      balance = async (request) => {
        const instance = turn++ % 2;
        served[instance]! += 1;
        const target = new URL(request.url);
        target.port = String(ports[instance]);
        return fetch(new Request(target, request), { redirect: 'manual' } as RequestInit);
      };
      const user = await first.cli(['users', 'create', '--username', 'alice', '--password-stdin'], `${PASSWORD}\n`);
      assert.equal(user.code, 0, user.stderr);
    });

    after(async () => {
      await first?.close();
      await second?.close();
      await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      if (redisUrl !== undefined) {
        const redis = await connectRedis(redisUrl);
        const keys = await redisKeys();
        if (keys.length > 0) await redis.del(keys);
        await redis.quit();
      }
    });

    test('e2e: two instances behind a round-robin balancer — login, consent, code, refresh, revocation hop between them', async () => {
      const created = await second.cli(['clients', 'create'], JSON.stringify({ redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code', 'refresh_token'] }));
      assert.equal(created.code, 0, created.stderr);
      const { client_id, client_secret } = JSON.parse(created.stdout);
      const config = await client.discovery(new URL(issuer), client_id, undefined, client.ClientSecretBasic(client_secret), {
        execute: [client.allowInsecureRequests],
        [client.customFetch]: (url: string, options: client.CustomFetchOptions) => balance(new Request(url, options as RequestInit)),
      });
      const verifier = client.randomPKCECodeVerifier();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT_URI, scope: 'openid', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
      // authorize → login page → login POST → consent page → consent POST → redirect: each step on the other instance.
      const jar = new CookieJar();
      const flow = await runBrowserlessFlow(balance, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow', jar });
      assert.deepEqual(flow.pages, ['login', 'consent']);
      const tokens = await client.authorizationCodeGrant(config, flow.redirect!, { pkceCodeVerifier: verifier });
      assert.ok(tokens.id_token);

      // The login session made on one instance is honoured by both: no page the second time.
      const again = await runBrowserlessFlow(balance, url.href, { jar });
      assert.deepEqual(again.pages, []);
      assert.ok(again.redirect?.searchParams.get('code'));

      const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
      assert.equal((await client.tokenIntrospection(config, refreshed.access_token)).active, true);
      await client.tokenRevocation(config, refreshed.access_token);
      assert.equal((await client.tokenIntrospection(config, refreshed.access_token)).active, false);
      assert.ok(served[0]! > 3 && served[1]! > 3, `both instances served: ${served.join(' / ')}`);
      if (redisUrl !== undefined) {
        // The session and the code lived in Redis, under this run's LATCHKEY_REDIS_PREFIX.
        const kinds = new Set((await redisKeys()).map((key) => key.slice(redisPrefix.length).split(':').slice(0, 2).join(':')));
        assert.ok(kinds.has('artifact:session'), [...kinds].join(', '));
        assert.ok(kinds.has('artifact:authorization_code'));
      }
    });

    test('e2e: a key rotation through the CLI — every instance published the new key before any signs with it', async () => {
      const jwksOf = async (server: TestServer) => ((await (await fetch(`${server.running.url}/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);
      const listed = await first.cli(['keys', 'list']);
      const keys = JSON.parse(listed.stdout) as { kid: string; alg: string; state: string }[];
      const next = keys.find((key) => key.alg === 'RS256' && key.state === 'next')!;
      for (const server of [first, second]) assert.ok((await jwksOf(server)).includes(next.kid), 'the next key is published before the rotation');

      const rotated = await second.cli(['keys', 'rotate', '--alg', 'RS256']);
      assert.equal(rotated.code, 0, rotated.stderr);
      // No waiting: the rotation's NOTIFY drops both instances' cached key sets.
      const created = await first.cli(['clients', 'create'], JSON.stringify({ redirect_uris: [REDIRECT_URI] }));
      const { client_id, client_secret } = JSON.parse(created.stdout);
      for (const server of [first, second]) {
        const config = await client.discovery(new URL(issuer), client_id, undefined, client.ClientSecretBasic(client_secret), {
          execute: [client.allowInsecureRequests],
          [client.customFetch]: (url: string, options: client.CustomFetchOptions) => {
            const target = new URL(url);
            target.port = new URL(server.running.url).port;
            return fetch(target, options as RequestInit);
          },
        });
        const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', nonce: 'n' });
        const flow = await runBrowserlessFlow((request) => {
          const target = new URL(request.url);
          target.port = new URL(server.running.url).port;
          return fetch(new Request(target, request), { redirect: 'manual' } as RequestInit);
        }, url.href, { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' });
        const tokens = await client.authorizationCodeGrant(config, flow.redirect!, { expectedNonce: 'n', idTokenExpected: true });
        assert.equal(decodeProtectedHeader(tokens.id_token!).kid, next.kid, `${server.running.url} signs with the promoted key`);
      }
    });

    test('e2e: latchkey migrate on PostgreSQL → nothing left to apply', async () => {
      const result = await first.cli(['migrate']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'migrations applied\n');
    });
  });
}
