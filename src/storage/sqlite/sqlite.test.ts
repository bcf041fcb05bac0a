import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { fixedClock } from '../../util/clock.js';
import { assertGrantsOfDisabledAccountsRevoked, assertGrantsOfEarlierTokens, DISABLED_ACCOUNTS_BEFORE_0009_SQL, runStorageConformance, TOKENS_BEFORE_GRANTS_SQL } from '../conformance.js';
import type { Storage } from '../types.js';
import { readMigrationFiles } from '../sql/migration-files.js';
import { openSqliteStorage } from './index.js';

const paths = new WeakMap<object, string>();

runStorageConformance(
  'sqlite',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-sqlite-'));
    const path = join(dir, 'latchkey.db');
    const clock = fixedClock(0);
    const storage = await openSqliteStorage({ path, clock });
    paths.set(storage, path);
    return { storage, clock, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
  { openSecondConnection: ({ storage, clock }) => openSqliteStorage({ path: paths.get(storage)!, clock }) },
);

test('sqlite: two storages opening one fresh file at once apply the migrations once, and both work', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-sqlite-'));
  const path = join(dir, 'nested', 'latchkey.db');
  try {
    const clock = fixedClock(0);
    const [a, b] = await Promise.all([openSqliteStorage({ path, clock }), openSqliteStorage({ path, clock })]);
    await a.artifacts.increment('x', 60);
    assert.equal(await b.artifacts.readCounter('x'), 1);
    await Promise.all([a.close(), b.close()]);
    const raw = new BetterSqlite3(path, { readonly: true });
    assert.deepEqual(raw.prepare('SELECT version, name FROM schema_migrations').all(), [{ version: 1, name: 'initial' }, { version: 2, name: 'token-acr' }, { version: 3, name: 'administration' }, { version: 4, name: 'metrics' }, { version: 5, name: 'partial-token-indexes' }, { version: 6, name: 'no-token-grant-index' }, { version: 7, name: 'revoked-grants-by-time' }, { version: 8, name: 'grants' }, { version: 9, name: 'disabled-accounts-grants' }, { version: 10, name: 'token-dpop-binding' }, { version: 11, name: 'token-authorization-details' }, { version: 12, name: 'account-totp' }, { version: 13, name: 'account-passkeys' }, { version: 14, name: 'account-groups' }, { version: 15, name: 'upstream-providers' }, { version: 16, name: 'accounts-by-email' }, { version: 17, name: 'token-actor' }]);
    // Grants are found by session and by (sub, client) through their own indexes.
    const plan = (sql: string) => (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join('; ');
    assert.match(plan("SELECT client_id FROM grants WHERE sid = 'x'"), /USING INDEX grants_sid/);
    assert.match(plan("SELECT grant_id FROM grants WHERE sub = 'x' AND client_id = 'y'"), /USING (COVERING )?INDEX grants_sub_client/);
    assert.match(plan('SELECT grant_id FROM grants WHERE expires_at < 5 LIMIT 1000'), /USING (COVERING )?INDEX grants_expires_at/);
    // The sweep finds old grant revocations by their time.
    assert.match(plan('SELECT grant_id FROM revoked_grants WHERE revoked_at < 5 LIMIT 1000'), /USING (COVERING )?INDEX revoked_grants_revoked_at/);
    // Accounts are found by address (findByEmail, the capability emailKey's expression) through its index.
    assert.match(plan("SELECT * FROM accounts WHERE lower(email) = 'x@example.com' ORDER BY username_normalized LIMIT 10"), /USING INDEX accounts_email_key/);
    // A grant's revocation is a row the lookup joins, and grants are found in their own table:
    // tokens are indexed by nothing but their key and expiry.
    const tokenIndexes = (raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'tokens' ORDER BY name").all() as { name: string }[]).map((row) => row.name);
    assert.deepEqual(tokenIndexes, ['sqlite_autoindex_tokens_1', 'tokens_expires_at']);
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    raw.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A storage opened on a file migrated up to `version` and then given `rows`: the later migrations run on them. */
async function migratedFrom(version: number, rows: string, check: (storage: Storage) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-sqlite-'));
  const path = join(dir, 'latchkey.db');
  try {
    const raw = new BetterSqlite3(path);
    raw.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    for (const migration of readMigrationFiles(new URL('./migrations/', import.meta.url)).filter((m) => m.version <= version)) {
      raw.exec(migration.sql);
      raw.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(migration.version, migration.name);
    }
    raw.exec(rows);
    raw.close();
    const storage = await openSqliteStorage({ path, clock: fixedClock(0) });
    await check(storage);
    await storage.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('sqlite: migration 0008 gives the tokens stored before it their grants: logout and a withdrawn consent still find them', async () => {
  await migratedFrom(7, TOKENS_BEFORE_GRANTS_SQL, assertGrantsOfEarlierTokens);
});

test('sqlite: migration 0009 revokes the grants of the accounts disabled before it, and no other', async () => {
  await migratedFrom(8, DISABLED_ACCOUNTS_BEFORE_0009_SQL, assertGrantsOfDisabledAccountsRevoked);
});

test('sqlite: a sweep deletes a batch at a time, each its own commit: between them the event loop turns and other statements run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-sqlite-'));
  const path = join(dir, 'latchkey.db');
  const clock = fixedClock('2030-01-01T00:00:00Z');
  const storage = await openSqliteStorage({ path, clock });
  const other = new BetterSqlite3(path, { readonly: true });
  try {
    const now = clock.now();
    const expired = (n: number) => ({ token_digest: `expired-${n}`, kind: 'access_token', client_id: 'app', scope: 'api', grant_id: 'g', issued_at: now, expires_at: now + 1 }) as const;
    for (let batch = 0; batch < 10; batch++) await Promise.all(Array.from({ length: 1000 }, (_, i) => storage.tokens.insert(expired(batch * 1000 + i))));
    const remaining = () => (other.prepare('select count(*) as n from tokens').get() as { n: number }).n;
    let done = false;
    const seen = new Set<number>();
    const sweeping = storage.sweepExpired(now + 10).then(() => (done = true));
    while (!done) {
      seen.add(remaining());
      await new Promise((resolve) => setImmediate(resolve));
    }
    await sweeping;
    assert.equal(remaining(), 0);
    const between = [...seen].filter((n) => n > 0 && n < 10_000);
    assert.ok(between.length >= 5, `counts seen by another connection while it swept: ${[...seen].join(', ')}`);
  } finally {
    other.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
