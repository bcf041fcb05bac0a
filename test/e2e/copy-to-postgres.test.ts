/**
 * `latchkey copy-to`: a latchkey on SQLite, with an account, a client and tokens, copied into a
 * new PostgreSQL database (`LATCHKEY_TEST_POSTGRES_URL`, set by `.ci/run`); a server started on
 * PostgreSQL with the same secret then serves what the SQLite one issued.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { onPostgres } from '../helpers/backends.js';
import { runBrowserlessFlow } from '../helpers/browserless.js';
import { E2E_PASSWORD, E2E_REDIRECT_URI, startTestServer, type TestServer } from '../helpers/server.js';

const adminUrl = process.env.LATCHKEY_TEST_POSTGRES_URL;

if (adminUrl === undefined) {
  test('e2e: latchkey copy-to PostgreSQL', { skip: 'LATCHKEY_TEST_POSTGRES_URL is not set (CI sets it)' }, () => {});
} else {
  describe('e2e: latchkey copy-to PostgreSQL', () => {
    const database = `latchkey_copy_${randomBytes(6).toString('hex')}`;
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    let sqlite: TestServer;
    let postgres: TestServer | undefined;

    before(async () => {
      await onPostgres(adminUrl, `CREATE DATABASE ${database}`);
      sqlite = await startTestServer();
    });
    after(async () => {
      await postgres?.close();
      await sqlite?.close();
      await onPostgres(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    });

    test('e2e: copy-to fills an empty PostgreSQL database with everything; a server there with the same secret signs the user in, refreshes and introspects the SQLite server\'s tokens, publishes its keys; a second copy is refused', async () => {
      await sqlite.createUser('alice', E2E_PASSWORD, ['--group', 'staff']);
      const app = await sqlite.createClient({ redirect_uris: [E2E_REDIRECT_URI], grant_types: ['authorization_code', 'refresh_token'] });
      const basic = `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64')}`;
      const signIn = async (issuer: string) => {
        const flow = await runBrowserlessFlow(fetch, `${issuer}/authorize?${new URLSearchParams({ client_id: app.client_id!, response_type: 'code', redirect_uri: E2E_REDIRECT_URI, scope: 'openid' })}`, { credentials: { username: 'alice', password: E2E_PASSWORD }, decision: 'allow' });
        const code = flow.redirect?.searchParams.get('code');
        assert.ok(code, `signed in at ${issuer}`);
        const answer = await fetch(`${issuer}/token`, { method: 'POST', headers: { authorization: basic }, body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: E2E_REDIRECT_URI }) });
        assert.equal(answer.status, 200);
        return (await answer.json()) as Record<string, string>;
      };
      const before = await signIn(sqlite.issuer);

      const copy = await sqlite.cli(['copy-to', url.href]);
      assert.equal(copy.code, 0, copy.stderr);
      const { copied } = JSON.parse(copy.stdout) as { copied: Record<string, number> };
      assert.equal(copied.accounts, 1);
      assert.ok(copied.clients! >= 1 && copied.keys! >= 1 && copied.tokens! >= 2 && copied.audit_events! >= 1, JSON.stringify(copied));
      assert.match(copy.stderr, /LATCHKEY_SECRET/);

      postgres = await startTestServer({ LATCHKEY_DATABASE_URL: url.href, LATCHKEY_SECRET: readFileSync(join(sqlite.dir, 'secret'), 'utf8').trim() });
      const refreshed = await fetch(`${postgres.issuer}/token`, { method: 'POST', headers: { authorization: basic }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: before.refresh_token! }) });
      assert.equal(refreshed.status, 200, 'a refresh token the SQLite server issued');
      const introspected = (await (await fetch(`${postgres.issuer}/introspect`, { method: 'POST', headers: { authorization: basic }, body: new URLSearchParams({ token: before.access_token! }) })).json()) as Record<string, unknown>;
      assert.equal(introspected.active, true, 'an access token the SQLite server issued');
      const kid = decodeProtectedHeader(before.id_token!).kid;
      const jwks = (await (await fetch(`${postgres.issuer}/jwks`)).json()) as { keys: { kid: string }[] };
      assert.ok(jwks.keys.some((key) => key.kid === kid), 'the signing keys came along (decrypted with the same secret)');
      await signIn(postgres.issuer);
      const alice = JSON.parse((await postgres.cli(['users', 'show', 'alice'])).stdout) as { groups: string[] };
      assert.deepEqual(alice.groups, ['staff']);
      // The audit log goes on numbering after the copied events.
      assert.equal((await postgres.cli(['users', 'create', '--username', 'bob'], '')).code, 0);

      const again = await sqlite.cli(['copy-to', url.href]);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /the PostgreSQL database is not empty \(\w+ has rows\): copy-to fills a new database only/);
      const notPostgres = await sqlite.cli(['copy-to', 'mysql://db/latchkey']);
      assert.equal(notPostgres.code, 1);
      assert.equal(notPostgres.stderr, 'latchkey: the destination must be a postgres:// URL\n');
    });
  });
}
