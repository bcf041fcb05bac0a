/** WAL checkpoints in a worker thread: the log reaches the database file without a request's commit doing it. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';
import { fixedClock } from '../../util/clock.js';
import { startCheckpointer } from './checkpointer.js';
import { openSqliteStorage } from './index.js';

const clock = fixedClock('2030-01-01T00:00:00Z');

/** Writes a few hundred pages (fewer than SQLite's own checkpoint threshold of 1000) and returns the database file's size after `waitMs`. */
async function fileSizeAfterWrites(checkpointInBackground: boolean, waitMs: number): Promise<{ before: number; after: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-checkpoint-'));
  const path = join(dir, 'latchkey.db');
  const storage = await openSqliteStorage({ path, clock, checkpointInBackground });
  try {
    const before = statSync(path).size;
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(Array.from({ length: 100 }, (_, i) => storage.tokens.insert({
        token_digest: `digest-${batch}-${i}-${'x'.repeat(40)}`, kind: 'access_token', client_id: 'app', scope: 'api', grant_id: `grant-${batch}-${i}`, issued_at: 0, expires_at: 60,
      })));
    }
    await sleep(waitMs);
    return { before, after: statSync(path).size };
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('checkpointer: with checkpointInBackground the WAL is copied into the database file within a second, by the worker', async () => {
  const { before, after } = await fileSizeAfterWrites(true, 1000);
  assert.ok(after > before, `the database file grew (${before} → ${after} bytes)`);
});

test('checkpointer: without it (the CLI, libraries) SQLite checkpoints as before: not until the log is 1000 pages long', async () => {
  const { before, after } = await fileSizeAfterWrites(false, 600);
  assert.equal(after, before);
});

test('checkpointer: no worker thread runs for a few writes, one starts once startAfterChanges rows have changed, and it exits after idleStopMs without a write', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-checkpoint-'));
  const path = join(dir, 'latchkey.db');
  const database = new BetterSqlite3(path);
  database.pragma('journal_mode = WAL');
  database.exec('create table t (x)');
  const insert = database.prepare('insert into t values (?)');
  const insertMany = (count: number) => database.transaction(() => { for (let i = 0; i < count; i++) insert.run(i); })();
  const checkpointer = startCheckpointer(database, path, { startAfterChanges: 10, idleStopMs: 500, holdWrites: () => () => {} });
  try {
    insertMany(9);
    await sleep(600);
    assert.equal(checkpointer.active, false, 'a few writes: no worker');
    assert.equal(database.pragma('wal_autocheckpoint', { simple: true }), 1000, 'meanwhile SQLite checkpoints past 1000 pages by itself');
    insertMany(1);
    await sleep(400);
    assert.equal(checkpointer.active, true, 'the tenth change started the worker');
    assert.equal(database.pragma('wal_autocheckpoint', { simple: true }), 0, 'and the connection no longer checkpoints in a commit');
    await sleep(1000);
    assert.equal(checkpointer.active, false, 'without writes it stopped');
    assert.equal(database.pragma('wal_autocheckpoint', { simple: true }), 1000);
    const before = statSync(path).size;
    insertMany(1000);
    await sleep(400);
    assert.equal(checkpointer.active, true, 'the next writes start it again');
    assert.ok(statSync(path).size > before, 'and it copies the log into the database file');
  } finally {
    await checkpointer.stop();
    database.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Writes without a pause for `ms` (each batch as soon as the last one committed) and returns the
 * largest size the WAL file reached and how many rows were written.
 */
async function writeWithoutPause(restartAfterFrames: number, ms: number): Promise<{ largestWal: number; rows: number; stored: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-checkpoint-'));
  const path = join(dir, 'latchkey.db');
  const storage = await openSqliteStorage({ path, clock, checkpointInBackground: { startAfterChanges: 1, restartAfterFrames } });
  let largestWal = 0;
  let rows = 0;
  try {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      await Promise.all(Array.from({ length: 20 }, () => {
        rows += 1;
        return storage.tokens.insert({ token_digest: `digest-${rows}-${'x'.repeat(60)}`, kind: 'access_token', client_id: 'app', scope: 'api', grant_id: `grant-${rows}`, issued_at: 0, expires_at: 60 });
      }));
      largestWal = Math.max(largestWal, statSync(`${path}-wal`).size);
    }
    const raw = new BetterSqlite3(path, { readonly: true });
    const stored = (raw.prepare('select count(*) as n from tokens').get() as { n: number }).n;
    raw.close();
    return { largestWal, rows, stored };
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('checkpointer: under writes that never pause, the WAL is restarted once it passes restartAfterFrames pages, and no write is lost', async () => {
  // 4 s each: the log grows until the worker thread has started and ticked once (up to a second
  // on a loaded machine), so the difference shows in what comes after.
  const growing = await writeWithoutPause(Number.MAX_SAFE_INTEGER, 4000);
  const restarted = await writeWithoutPause(256, 4000);
  assert.equal(growing.stored, growing.rows);
  assert.equal(restarted.stored, restarted.rows, 'every write held during a restart was committed');
  // Without restarts the PASSIVE checkpoints never catch up with the writer, and the log grows for
  // as long as the writes go on (16 ticks here); restarted, it stays within what the writes before
  // the worker's first tick and a tick or two after wrote.
  assert.ok(growing.largestWal > 3 * restarted.largestWal, `largest WAL: ${growing.largestWal} bytes never restarted, ${restarted.largestWal} restarted`);
});
