/** Group commit on SQLite: concurrent writes share a commit, and keep every guarantee they had alone. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { fixedClock } from '../../util/clock.js';
import { StorageConflict, type ClientRecord, type Storage, type TokenRecord } from '../types.js';
import { CompiledQuery, Kysely } from '../sql/kysely.js';
import { GroupCommitSqliteDialect } from './group-commit.js';
import { openSqliteStorage } from './index.js';

const clock = fixedClock('2030-01-01T00:00:00Z');

function token(token_digest: string): TokenRecord {
  return { token_digest, kind: 'access_token', client_id: 'app', scope: 'api', grant_id: `grant-${token_digest}`, issued_at: clock.now(), expires_at: clock.now() + 60 };
}

function client(client_id: string): ClientRecord {
  return {
    client_id, client_id_issued_at: 0, client_secret_expires_at: 0, updated_at: 0, redirect_uris: [], token_endpoint_auth_method: 'none',
    grant_types: [], response_types: [], application_type: 'web', subject_type: 'public', id_token_signed_response_alg: 'RS256',
  };
}

/** A storage on a new file, and a plain connection to the same file: what another process sees. */
async function withFile(fn: (storage: Storage, other: BetterSqlite3.Database) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-group-commit-'));
  const storage = await openSqliteStorage({ path: join(dir, 'latchkey.db'), clock });
  const other = new BetterSqlite3(join(dir, 'latchkey.db'));
  try {
    await fn(storage, other);
  } finally {
    other.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The group-commit dialect alone over a new file with one table `t` (`columns`), a Kysely over it,
 * and a plain connection to the same file: what another process sees.
 */
async function withDialect<T>(
  columns: string,
  fn: (dialect: GroupCommitSqliteDialect, db: Kysely<{ t: T }>, other: BetterSqlite3.Database) => Promise<void>,
  options: { busyTimeoutMs?: number; otherWriters?: boolean } = {},
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-group-commit-'));
  const database = new BetterSqlite3(join(dir, 'latchkey.db'));
  database.pragma('journal_mode = WAL');
  if (options.busyTimeoutMs !== undefined) database.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
  database.exec(`create table t (${columns})`);
  const dialect = new GroupCommitSqliteDialect(database, { otherWriters: options.otherWriters ?? false });
  const db = new Kysely<{ t: T }>({ dialect });
  const other = new BetterSqlite3(join(dir, 'latchkey.db'));
  try {
    await fn(dialect, db, other);
  } finally {
    other.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

const committedTokens = (other: BetterSqlite3.Database) => (other.prepare('select count(*) as n from tokens').get() as { n: number }).n;

test('group commit: writes issued together are all committed (seen by another connection) when their promises resolve', async () => {
  await withFile(async (storage, other) => {
    const writes = Array.from({ length: 50 }, (_, i) => storage.tokens.insert(token(`t${i}`)));
    assert.equal(committedTokens(other), 0, 'nothing is written before the turn ends');
    await Promise.all(writes);
    assert.equal(committedTokens(other), 50);
  });
});

test('group commit: a statement that fails fails alone; the others of its batch are committed', async () => {
  await withFile(async (storage, other) => {
    await storage.clients.create(client('taken'));
    const outcomes = await Promise.allSettled([storage.tokens.insert(token('a')), storage.clients.create(client('taken')), storage.tokens.insert(token('b'))]);
    assert.equal(outcomes[0]!.status, 'fulfilled');
    assert.equal(outcomes[1]!.status, 'rejected');
    assert.ok((outcomes[1] as PromiseRejectedResult).reason instanceof StorageConflict);
    assert.equal(outcomes[2]!.status, 'fulfilled');
    assert.equal(committedTokens(other), 2);
  });
});

test('group commit: each single-use consume stays atomic inside a batch — one winner among 100', async () => {
  await withFile(async (storage) => {
    await storage.artifacts.put('session', 'code', { sid: 'x', sub: 'alice', auth_time: 0, amr: [] }, 60);
    const results = await Promise.all(Array.from({ length: 100 }, () => storage.artifacts.consume('session', 'code')));
    assert.equal(results.filter((r) => r && !r.replayed).length, 1);
    assert.equal(results.filter((r) => r?.replayed).length, 99);
  });
});

test('group commit: a read runs at once and sees committed data; a write that waits is not seen until its commit', async () => {
  await withFile(async (storage) => {
    await storage.tokens.insert(token('old'));
    const pending = storage.tokens.insert(token('new'));
    assert.ok(await storage.tokens.find('old'));
    assert.equal(await storage.tokens.find('new'), undefined, 'read before the waiting write commits');
    await pending;
    assert.ok(await storage.tokens.find('new'));
  });
});

test('group commit: an explicit transaction runs alone — writes issued meanwhile are neither part of it nor lost when it rolls back', async () => {
  await withFile(async (storage, other) => {
    let outside: Promise<void> | undefined;
    await assert.rejects(
      storage.transaction(async (tx) => {
        await tx.tokens.insert(token('inside'));
        outside = storage.tokens.insert(token('outside'));
        await new Promise((resolve) => setTimeout(resolve, 20)); // the outside write's turn comes and goes
        assert.equal(committedTokens(other), 0, 'the outside write waits for the transaction');
        throw new Error('abort');
      }),
      /abort/,
    );
    await outside;
    assert.equal(await storage.tokens.find('inside'), undefined, 'rolled back');
    assert.ok(await storage.tokens.find('outside'), 'committed after the transaction');
    assert.equal(committedTokens(other), 1);
  });
});

test('group commit: writes issued before a transaction begins are committed before it, whatever it then does', async () => {
  await withFile(async (storage) => {
    const before = storage.tokens.insert(token('before'));
    await assert.rejects(
      storage.transaction(async (tx) => {
        assert.ok(await tx.tokens.find('before'), 'committed when the transaction began');
        throw new Error('abort');
      }),
      /abort/,
    );
    await before;
    assert.ok(await storage.tokens.find('before'));
  });
});

test('group commit: while writes are held, writes wait and a transaction waits to begin, reads go on; released, all commit in order', async () => {
  await withDialect<{ n: number }>('n integer', async (dialect, db, other) => {
    const seen = () => (other.prepare('select n from t order by rowid').all() as { n: number }[]).map((row) => row.n);
    const insert = (n: number) => dialect.runStatement(CompiledQuery.raw('insert into t (n) values (?)', [n]));
    await insert(1);
    const release = dialect.holdWrites();
    const releaseToo = dialect.holdWrites();
    const held = [insert(2), insert(3)];
    const transaction = db.transaction().execute(async (tx) => {
      await tx.insertInto('t').values({ n: 4 }).execute();
    });
    await new Promise((resolve) => setTimeout(resolve, 20)); // several turns of the event loop
    assert.deepEqual(seen(), [1], 'nothing written while held');
    assert.deepEqual((await dialect.runStatement(CompiledQuery.raw('select count(*) as c from t'))).rows, [{ c: 1 }], 'a read runs at once');
    release();
    release(); // a holder's second call does nothing
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(seen(), [1], 'still held by the second holder');
    releaseToo();
    await Promise.all([...held, transaction]);
    assert.deepEqual(seen(), [1, 2, 3, 4], 'the held writes first, then the transaction');
    await insert(5);
    assert.deepEqual(seen(), [1, 2, 3, 4, 5], 'writes go on at once after the release');
  });
});

test('group commit: a guarded unit runs whole or not at all, inside a batch whose other writes are committed either way', async () => {
  await withDialect('n integer primary key, marked integer', async (dialect, _db, other) => {
    const seen = () => other.prepare('select n, marked from t order by n').all() as { n: number; marked: number | null }[];
    const write = (sql: string, ...parameters: unknown[]) => CompiledQuery.raw(sql, parameters);
    const insert = (n: number) => write('insert into t (n) values (?)', n);
    const mark = (n: number) => write('update t set marked = 1 where n = ? and marked is null', n);
    await dialect.runStatement(insert(1));
    await dialect.runStatement(insert(2));
    await dialect.runStatement(insert(3));
    const count = write('update t set marked = coalesce(marked, 0) + 1 where n = 3 returning marked');

    // In one batch: a plain write, a unit whose guard takes, one whose guard does not, one whose
    // second statement fails (2 exists: the batch is rolled back and run again, the units in
    // savepoints), and another plain write.
    const outcomes = await Promise.allSettled([
      dialect.runStatement(insert(10)),
      dialect.runGuarded(mark(1), [insert(11), insert(12)]),
      dialect.runGuarded(mark(99), [insert(13)]),
      dialect.runGuarded(mark(2), [insert(14), insert(2)]),
      dialect.runStatement(insert(15)),
      dialect.runStatement(count),
    ]);
    assert.equal(outcomes[0]!.status, 'fulfilled');
    assert.deepEqual([outcomes[1], outcomes[2]], [{ status: 'fulfilled', value: true }, { status: 'fulfilled', value: false }]);
    assert.equal(outcomes[3]!.status, 'rejected');
    assert.match(String((outcomes[3] as PromiseRejectedResult).reason), /UNIQUE|PRIMARY KEY/);
    assert.equal(outcomes[4]!.status, 'fulfilled');
    assert.deepEqual((outcomes[5] as PromiseFulfilledResult<{ rows: unknown[] }>).value.rows, [{ marked: 1 }], 'the batch ran again from the start: counted once');
    assert.deepEqual(seen(), [
      { n: 1, marked: 1 }, { n: 2, marked: null }, { n: 3, marked: 1 }, { n: 10, marked: null }, { n: 11, marked: null }, { n: 12, marked: null }, { n: 15, marked: null },
    ], 'the failed unit left nothing: 2 unmarked, 14 not inserted');

    // Alone in its turn, a unit still commits as one.
    assert.equal(await dialect.runGuarded(mark(2), [insert(16)]), true);
    assert.equal(await dialect.runGuarded(mark(2), [insert(17)]), false);
    assert.deepEqual(seen().filter((row) => row.n === 2 || row.n >= 16), [{ n: 2, marked: 1 }, { n: 16, marked: null }]);
  });
});

test('group commit: a guarded unit issued during an explicit transaction waits for its end', async () => {
  await withFile(async (storage, other) => {
    await storage.tokens.insert({ ...token('r1'), kind: 'refresh_token' });
    let rotation: Promise<boolean> | undefined;
    await storage.transaction(async (tx) => {
      await tx.tokens.insert(token('inside'));
      rotation = storage.tokens.rotate('r1', clock.now(), [token('successor')]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(await tx.tokens.find('successor'), undefined, 'not run inside the transaction');
    });
    assert.equal(await rotation, true);
    assert.equal(committedTokens(other), 3);
  });
});

/** Resolves after `ms` of the event loop's own time: only if nothing holds it. */
const turns = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('group commit, with other writers: while another process holds the write lock, writes wait for it without holding the event loop; then all commit in order', async () => {
  await withDialect<{ n: number }>('n integer, marked integer', async (dialect, db, other) => {
    const seen = () => (other.prepare('select n from t order by rowid').all() as { n: number }[]).map((row) => row.n);
    const insert = (n: number) => CompiledQuery.raw('insert into t (n) values (?)', [n]);
    other.exec('insert into t (n) values (1)');
    // "Another process": a connection of this thread, which can commit only if this thread goes on.
    other.exec('begin immediate');
    other.exec('insert into t (n) values (100)');
    const alone = dialect.runStatement(insert(2)); // the connection's first write, alone in its turn
    await turns(5);
    const batch = [dialect.runStatement(insert(3)), dialect.runGuarded(CompiledQuery.raw('update t set marked = 1 where n = 1'), [insert(4)]), dialect.runStatement(insert(5))];
    const transaction = db.transaction().execute(async (tx) => {
      await tx.insertInto('t').values({ n: 6 }).execute();
    });
    await turns(50); // timers run: SQLite's busy handler would have slept on this thread
    assert.deepEqual((await dialect.runStatement(CompiledQuery.raw('select count(*) as c from t'))).rows, [{ c: 1 }], 'a read runs at once');
    other.exec('commit');
    await Promise.all([alone, ...batch, transaction]);
    assert.equal(await batch[1], true, 'the guarded unit ran whole');
    assert.deepEqual(seen(), [1, 100, 2, 3, 4, 5, 6], 'the other process first, then the waiting writes in order, then the transaction');
    await dialect.runStatement(insert(7));
    assert.deepEqual(seen().at(-1), 7, 'writes go on at once');
  }, { otherWriters: true });
});

test('group commit, with other writers: writes that wait longer than the busy timeout for another process\'s lock fail as SQLite\'s would, changing nothing; later ones go on', async () => {
  await withDialect<{ n: number }>('n integer', async (dialect, _db, other) => {
    const insert = (n: number) => dialect.runStatement(CompiledQuery.raw('insert into t (n) values (?)', [n]));
    other.exec('begin immediate');
    const started = performance.now();
    const outcomes = await Promise.allSettled([insert(1), insert(2)]);
    const waited = performance.now() - started;
    for (const outcome of outcomes) {
      assert.equal(outcome.status, 'rejected');
      assert.equal((outcome as PromiseRejectedResult).reason.code, 'SQLITE_BUSY');
    }
    assert.ok(waited >= 150, `waited ${waited.toFixed(0)} ms, at least the busy timeout`);
    other.exec('commit');
    await insert(3);
    assert.deepEqual(other.prepare('select n from t').all(), [{ n: 3 }]);
  }, { busyTimeoutMs: 150, otherWriters: true });
});

test('group commit, with other writers: a storage\'s very first write waits for another process\'s lock without holding the event loop', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-group-commit-'));
  const storage = await openSqliteStorage({ path: join(dir, 'latchkey.db'), clock, otherWriters: true });
  const other = new BetterSqlite3(join(dir, 'latchkey.db'));
  try {
    other.exec('begin immediate');
    const write = storage.tokens.insert(token('first'));
    const started = performance.now();
    await turns(20);
    const waited = performance.now() - started;
    assert.ok(waited < 1000, `a 20 ms timer ran after ${waited.toFixed(0)} ms`);
    other.exec('commit');
    await write;
    assert.equal(committedTokens(other), 1);
  } finally {
    other.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
