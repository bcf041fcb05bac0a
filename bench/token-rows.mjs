// `node bench/token-rows.mjs [--users 1,20000] [--responses 48000] [--prefill 100000]`: what
// storing end-users' tokens costs SQLite, on the tokens table alone (no server), with the schema
// before migration 0008 (tokens indexed by login session and by (sub, client)) and with it (a
// grant's row, written once per grant): CPU µs per token response of two rows (refresh and access
// token), for new grants (after 0008 with the grant's row — written at the authorization, its
// first tokens at the code exchange: counted together here) and for refreshes (of 1000 grants),
// by users and sessions signed in. With one user every index entry is appended to the last page;
// with many, each lands on a random page.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

const { values: options } = parseArgs({ options: { users: { type: 'string', default: '1,20000' }, responses: { type: 'string', default: '48000' }, prefill: { type: 'string', default: '100000' } } });
const migrations = new URL('../src/storage/sqlite/migrations/', import.meta.url);
const BATCH = 32;

function measure(schema, workload, userCount) {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-token-rows-'));
  const db = new Database(join(dir, 'tokens.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const files = readdirSync(migrations).filter((file) => file.endsWith('.sql')).sort();
  for (const file of files) if (schema === 'grants' || Number(file.slice(0, 4)) < 8) db.exec(readFileSync(new URL(file, migrations), 'utf8'));
  const insertToken = db.prepare('INSERT INTO tokens (token_digest, kind, client_id, sub, scope, grant_id, sid, auth_time, amr, issued_at, expires_at, grant_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insertGrant = schema === 'grants' ? db.prepare('INSERT INTO grants (grant_id, client_id, sub, sid, offline, expires_at) VALUES (?, ?, ?, ?, 0, ?)') : undefined;
  const users = Array.from({ length: userCount }, () => ({ sub: randomBytes(16).toString('hex'), sid: randomBytes(16).toString('base64url') }));
  let ms = 1_800_000_000_000;
  let sequence = 0;
  // Time-ordered keys, as latchkey's grant ids and token keys are.
  const grantId = () => `${ms.toString(16)}${(sequence++).toString(16).padStart(8, '0')}${randomBytes(8).toString('hex')}`;
  const tokenKey = () => `${(ms += 1).toString(16)}.${createHash('sha256').update(randomBytes(32)).digest('base64url')}`;
  const grants = [];
  const respond = (user, grant_id, fresh) => {
    const now = Math.floor(ms / 1000);
    if (fresh) insertGrant?.run(grant_id, 'app', user.sub, user.sid, now + 2_592_000);
    insertToken.run(tokenKey(), 'refresh_token', 'app', user.sub, 'openid profile', grant_id, user.sid, now, '["pwd"]', now, now + 86_400, now + 2_592_000);
    insertToken.run(tokenKey(), 'access_token', 'app', user.sub, 'openid profile', grant_id, user.sid, now, '["pwd"]', now, now + 3600, null);
  };
  const batch = db.transaction(() => {
    for (let i = 0; i < BATCH; i++) {
      if (workload === 'new-grant' || grants.length < 1000) {
        const user = users[Math.floor(Math.random() * users.length)];
        const grant_id = grantId();
        grants.push({ user, grant_id });
        respond(user, grant_id, true);
      } else {
        const { user, grant_id } = grants[Math.floor(Math.random() * grants.length)];
        respond(user, grant_id, false);
      }
    }
  });
  // A table of some size first (`--prefill` responses: 200 k rows by default), its log checkpointed.
  for (let i = 0; i < Number(options.prefill) / BATCH; i++) batch();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const batches = Math.ceil(Number(options.responses) / BATCH);
  const before = process.cpuUsage();
  for (let i = 0; i < batches; i++) {
    batch();
    if (i % 100 === 99) db.pragma('wal_checkpoint(PASSIVE)');
  }
  const used = process.cpuUsage(before);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return (used.user + used.system) / (batches * BATCH);
}

console.log('CPU µs per token response (two token rows; after 0008 a new grant also writes its row)');
for (const workload of ['new-grant', 'refresh']) {
  for (const userCount of options.users.split(',').map(Number)) {
    // Alternating, twice each: the machine's drift falls on both.
    const figures = { before: [], grants: [] };
    for (let round = 0; round < 2; round++) for (const schema of ['before', 'grants']) figures[schema].push(measure(schema, workload, userCount));
    const show = (list) => list.map((value) => value.toFixed(1)).join(' / ');
    console.log(`${workload.padEnd(9)} ${String(userCount).padStart(6)} users: before 0008 ${show(figures.before)} µs, with grants ${show(figures.grants)} µs`);
  }
}
