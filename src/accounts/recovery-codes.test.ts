import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALICE, testProvider } from '../../test/helpers/index.js';
import { newRecoveryCodes, recoveryCodeDigest, recoveryCodeDigests, useRecoveryCode } from './recovery-codes.js';

const SECRET = 'a master secret of the test, long enough';

test('newRecoveryCodes: ten codes of ten Crockford base32 characters, spelled xxxxx-xxxxx, all different', () => {
  const codes = newRecoveryCodes();
  assert.equal(codes.length, 10);
  for (const code of codes) assert.match(code, /^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
  assert.equal(new Set([...codes, ...newRecoveryCodes()]).size, 20);
});

test('recoveryCodeDigest: one digest whatever the case, dashes, spaces and look-alikes (i, l → 1; o → 0); another account or secret, another digest; not a code → none', () => {
  const digest = recoveryCodeDigest('sub-1', '0a1b2-c3d4e', SECRET);
  assert.ok(digest);
  for (const typed of ['0A1B2-C3D4E', '0a1b2c3d4e', ' 0a1b2 c3d4e ', 'oaib2-c3d4e', 'OALB2-C3D4E']) assert.equal(recoveryCodeDigest('sub-1', typed, SECRET), digest, typed);
  assert.notEqual(recoveryCodeDigest('sub-2', '0a1b2-c3d4e', SECRET), digest);
  assert.notEqual(recoveryCodeDigest('sub-1', '0a1b2-c3d4e', `${SECRET}!`), digest);
  for (const typed of ['0a1b2-c3d4', '0a1b2-c3d4ef', '0a1b2-c3d4u', '123456']) assert.equal(recoveryCodeDigest('sub-1', typed, SECRET), undefined, typed);
});

test('useRecoveryCode: two logins racing with one code (both read the account before either used it) → exactly one gets in; the list loses the code', async () => {
  const tp = await testProvider({ accounts: [ALICE] });
  const { storage } = tp.provider.context;
  const secret = tp.provider.context.config.secret!;
  const account = (await storage.accounts.findByUsername('alice'))!;
  const codes = newRecoveryCodes();
  const enrolled = { ...account, totp: { sealed_secret: 'unused here', enabled_at: tp.clock.now(), recovery_codes: recoveryCodeDigests(account.sub, codes, secret) } };
  await storage.accounts.update(enrolled);
  const deps = { storage, clock: tp.clock, secret };
  const results = await Promise.all([useRecoveryCode(enrolled, codes[0]!, deps), useRecoveryCode(enrolled, codes[0]!, deps)]);
  assert.deepEqual(results.sort(), [false, true]);
  assert.equal((await storage.accounts.findByUsername('alice'))!.totp?.recovery_codes?.length, 9);
  assert.equal(await useRecoveryCode(enrolled, codes[0]!, deps), false, 'and never again, even read from the stale record');
});
