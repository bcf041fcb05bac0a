import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hash, verify } from '@node-rs/argon2';
import { createMemoryStorage } from '../storage/memory/index.js';
import type { AccountRecord } from '../storage/types.js';
import { createBuiltinAccounts } from './builtin-accounts.js';
import { hashPassword, needsRehash } from './password.js';

const PASSWORD = 'correct horse battery staple';
const clock = { now: () => 1_800_000_000 };

/** A hash as an earlier version made them: argon2id, 19 MiB, 2 passes. */
const earlierHash = () => hash(PASSWORD, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });

async function setUp(password_hash: string, extra: Partial<AccountRecord> = {}) {
  const storage = createMemoryStorage({ clock });
  await storage.accounts.create({ sub: 'sub-1', username: 'alice', password_hash, email_verified: false, claims: {}, disabled: false, roles: [], created_at: 1, updated_at: 1, ...extra });
  const { authenticate } = createBuiltinAccounts(storage, clock, 'a master secret of the test, long enough');
  assert.ok(authenticate);
  return { storage, accounts: { authenticate } };
}

test('password hashes: argon2id with 12 MiB and 3 passes, in the PHC string; needsRehash tells other parameters apart', async () => {
  const current = await hashPassword(PASSWORD);
  assert.match(current, /^\$argon2id\$v=19\$m=12288,t=3,p=1\$/);
  assert.equal(await verify(current, PASSWORD), true);
  assert.equal(needsRehash(current), false);
  assert.equal(needsRehash(await earlierHash()), true);
  assert.equal(needsRehash('$argon2id$v=19$m=12288,t=4,p=1$c2FsdA$aGFzaA'), true);
  assert.equal(needsRehash('$argon2i$v=19$m=12288,t=3,p=1$c2FsdA$aGFzaA'), true);
});

test('login with a hash made with earlier parameters: signed in, and the hash made again with the current ones', async () => {
  const earlier = await earlierHash();
  const { storage, accounts } = await setUp(earlier);
  assert.deepEqual(await accounts.authenticate('alice', PASSWORD), { sub: 'sub-1', username: 'alice' });
  const stored = (await storage.accounts.findBySub('sub-1'))!;
  assert.notEqual(stored.password_hash, earlier);
  assert.equal(needsRehash(stored.password_hash!), false);
  assert.equal(stored.updated_at, 1, 'a rehash is no change an administrator made');
  // The new hash is of the same password.
  assert.deepEqual(await accounts.authenticate('alice', PASSWORD), { sub: 'sub-1', username: 'alice' });
  assert.equal(await accounts.authenticate('alice', 'wrong'), undefined);
});

test('a current hash is left as it is; a wrong password or a disabled account changes nothing', async () => {
  const current = await hashPassword(PASSWORD);
  const { storage, accounts } = await setUp(current);
  assert.ok(await accounts.authenticate('alice', PASSWORD));
  assert.equal((await storage.accounts.findBySub('sub-1'))!.password_hash, current);

  const earlier = await earlierHash();
  const wrong = await setUp(earlier);
  assert.equal(await wrong.accounts.authenticate('alice', 'wrong'), undefined);
  assert.equal((await wrong.storage.accounts.findBySub('sub-1'))!.password_hash, earlier);

  const disabled = await setUp(earlier, { disabled: true });
  assert.equal(await disabled.accounts.authenticate('alice', PASSWORD), undefined);
  assert.equal((await disabled.storage.accounts.findBySub('sub-1'))!.password_hash, earlier);
});

test('accounts from upstream identities: usernames from preferred_username, else the address, else the upstream, numbered when taken; groups only when asked', async () => {
  const storage = createMemoryStorage({ clock });
  const accounts = createBuiltinAccounts(storage, clock, 'a master secret of the test, long enough');
  const make = (subject: string, profile: Record<string, unknown> = {}, groups = false) => accounts.createFromUpstream!('corp', { subject, ...profile }, { groups });
  assert.equal((await make('s1', { preferred_username: 'Pat Smith', email: 'pat@corp.example', groups: ['eng'] })).username, 'PatSmith', 'no whitespace in a username');
  assert.equal((await storage.accounts.findByUsername('PatSmith'))?.groups, undefined, 'groups not asked: none');
  assert.equal((await make('s2', { email: 'pat@corp.example', groups: ['eng'] }, true)).username, 'pat');
  assert.deepEqual((await storage.accounts.findByUsername('pat'))?.groups, ['eng']);
  assert.equal((await make('s3', { email: 'PAT@other.example' })).username, 'PAT-2', 'taken without regard to case: numbered');
  assert.equal((await make('s4')).username, 'corp-2', 'nothing to go by: the upstream, numbered from 2');
  assert.equal((await make('s5')).username, 'corp-3');
  await assert.rejects(make('s1', { preferred_username: 'again' }), /connected to another account/, 'an identity makes one account');
  assert.equal(await storage.accounts.findByUsername('again'), undefined);
});

test('accounts kept in step with an upstream: what changed is set and named; groups absent there are none here; nothing asked, nothing changes; a disabled account is left', async () => {
  const storage = createMemoryStorage({ clock });
  await storage.accounts.create({ sub: 'sub-1', username: 'alice', email: 'alice@old.example', email_verified: true, name: 'Alice', claims: {}, disabled: false, roles: [], groups: ['eng', 'ops'], created_at: 1, updated_at: 1 });
  const accounts = createBuiltinAccounts(storage, clock, 'a master secret of the test, long enough');
  const profile = { subject: 'a-1', email: 'alice@new.example', name: 'Alice', given_name: 'Alice' };
  assert.deepEqual(await accounts.updateFromUpstream!('sub-1', profile, { profile: false, groups: false }), []);
  assert.deepEqual(await accounts.updateFromUpstream!('sub-1', profile, { profile: true, groups: false }), ['email', 'email_verified', 'given_name']);
  const updated = (await storage.accounts.findBySub('sub-1'))!;
  assert.deepEqual([updated.email, updated.email_verified, updated.name, updated.given_name, updated.groups], ['alice@new.example', false, 'Alice', 'Alice', ['eng', 'ops']]);
  assert.deepEqual(await accounts.updateFromUpstream!('sub-1', profile, { profile: true, groups: true }), ['groups'], 'no groups claim: in none');
  assert.equal((await storage.accounts.findBySub('sub-1'))?.groups, undefined);
  assert.deepEqual(await accounts.updateFromUpstream!('sub-1', { ...profile, groups: [] }, { profile: true, groups: true }), [], 'already none');
  await storage.accounts.update({ ...(await storage.accounts.findBySub('sub-1'))!, disabled: true });
  assert.deepEqual(await accounts.updateFromUpstream!('sub-1', { ...profile, groups: ['eng'] }, { profile: true, groups: true }), []);
  assert.equal((await storage.accounts.findBySub('sub-1'))?.groups, undefined);
});
