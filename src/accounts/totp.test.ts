import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMemoryStorage } from '../storage/memory/index.js';
import type { AccountRecord } from '../storage/types.js';
import { fixedClock } from '../util/clock.js';
import { normalizeCode, sealTotpSecret, stepOf, totpUri, verifyTotp } from './totp.js';

/** RFC 6238 Appendix B's SHA-1 seed, "12345678901234567890", in base32. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const MASTER = 'a master secret of the test, long enough';

test('totp: the codes of RFC 6238 Appendix B (SHA-1, the last six of its eight digits), in their step and the ones either side only', () => {
  assert.equal(stepOf(RFC_SECRET, '287082', 59), 1);
  assert.equal(stepOf(RFC_SECRET, '081804', 1111111109), 37037036);
  assert.equal(stepOf(RFC_SECRET, '050471', 1111111111), 37037037);
  assert.equal(stepOf(RFC_SECRET, '081804', 1111111109 + 30), 37037036, 'a step late: accepted');
  assert.equal(stepOf(RFC_SECRET, '081804', 1111111109 + 60), undefined, 'two steps late: refused');
  assert.equal(stepOf(RFC_SECRET, '081804', 1111111109 - 60), undefined, 'two steps early: refused');
});

test('totp: a typed code is six digits, spaces allowed; the URI names the issuer and the account', () => {
  assert.equal(normalizeCode(' 081 804 '), '081804');
  for (const typed of ['08180', '0818045', '08180a', '']) assert.equal(normalizeCode(typed), undefined, typed);
  const uri = new URL(totpUri(RFC_SECRET, 'alice', 'id.example'));
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(uri.host, 'totp');
  assert.equal(decodeURIComponent(uri.pathname), '/id.example:alice');
  assert.deepEqual(Object.fromEntries(uri.searchParams), { issuer: 'id.example', secret: RFC_SECRET, algorithm: 'SHA1', digits: '6', period: '30' });
});

test('totp: an account\'s code is accepted once; the secret is stored sealed; another account\'s same code is its own', async () => {
  const clock = fixedClock(1111111109);
  const storage = createMemoryStorage({ clock });
  const totp = await sealTotpSecret(RFC_SECRET, MASTER, clock.now());
  assert.ok(!totp.sealed_secret.includes(RFC_SECRET), 'not in the clear');
  const account = (sub: string): AccountRecord => ({ sub, username: sub, email_verified: false, claims: {}, disabled: false, roles: [], totp, created_at: 0, updated_at: 0 });
  const deps = { storage, clock, secret: MASTER };
  assert.equal(await verifyTotp(account('a'), '000000', deps), false);
  assert.equal(await verifyTotp(account('a'), '081 804', deps), true);
  assert.equal(await verifyTotp(account('a'), '081804', deps), false, 'used once');
  assert.equal(await verifyTotp(account('b'), '081804', deps), true, 'per account');
  assert.equal(await verifyTotp({ ...account('c'), totp: undefined }, '081804', deps), false, 'no authenticator');
  await assert.rejects(verifyTotp(account('d'), '081804', { ...deps, secret: 'another master secret, long enough too' }), 'sealed under another secret');
});
