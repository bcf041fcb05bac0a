import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { fixedClock } from '../../util/clock.js';
import { runStorageConformance } from '../conformance.js';
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
    assert.deepEqual(raw.prepare('SELECT version, name FROM schema_migrations').all(), [{ version: 1, name: 'initial' }, { version: 2, name: 'token-acr' }, { version: 3, name: 'administration' }, { version: 4, name: 'metrics' }, { version: 5, name: 'partial-token-indexes' }, { version: 6, name: 'no-token-grant-index' }]);
    // Lookups by session and by (sub, client) use the partial indexes that client credentials tokens stay out of.
    const plan = (sql: string) => (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join('; ');
    assert.match(plan("SELECT client_id FROM tokens WHERE sid = 'x'"), /USING INDEX tokens_sid/);
    assert.match(plan("UPDATE tokens SET revoked_at = 1 WHERE sub = 'x' AND client_id = 'y'"), /USING INDEX tokens_sub_client/);
    // A grant's revocation is a row the lookup joins: tokens are not indexed by grant.
    const tokenIndexes = (raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'tokens' ORDER BY name").all() as { name: string }[]).map((row) => row.name);
    assert.deepEqual(tokenIndexes, ['sqlite_autoindex_tokens_1', 'tokens_expires_at', 'tokens_sid', 'tokens_sub_client']);
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    raw.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
