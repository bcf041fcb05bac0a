import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seal, sealRecord, unseal, unsealRecord } from './seal.js';

const VALUE = { access_token: 'a'.repeat(43), scope: 'openid profile', nested: { n: 1, s: 'é' } };

test('sealRecord: opens with the same secret and purpose; another secret, another purpose, an altered part or another shape → throws', () => {
  const sealed = sealRecord(VALUE, 'secret-1', 'purpose A');
  assert.match(sealed, /^[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
  assert.deepEqual(unsealRecord(sealed, 'secret-1', 'purpose A'), VALUE);
  assert.notEqual(sealRecord(VALUE, 'secret-1', 'purpose A'), sealed, 'a fresh nonce each time');
  assert.throws(() => unsealRecord(sealed, 'secret-2', 'purpose A'));
  assert.throws(() => unsealRecord(sealed, 'secret-1', 'purpose B'));
  const parts = sealed.split('.');
  for (let i = 0; i < 3; i++) {
    const bytes = Buffer.from(parts[i]!, 'base64url');
    bytes[0]! ^= 1;
    const altered = parts.map((part, j) => (j === i ? bytes.toString('base64url') : part)).join('.');
    assert.throws(() => unsealRecord(altered, 'secret-1', 'purpose A'), Error, `part ${i} altered`);
  }
  assert.throws(() => unsealRecord(`${sealed}.extra`, 'secret-1', 'purpose A'), /not a sealed record/);
  assert.throws(() => unsealRecord(parts.slice(0, 2).join('.'), 'secret-1', 'purpose A'), /not a sealed record/);
});

test('seal (JWE) and sealRecord do not open each other\'s values', async () => {
  const jwe = await seal(VALUE, 'secret-1', 'purpose A');
  assert.deepEqual(await unseal(jwe, 'secret-1', 'purpose A'), VALUE);
  assert.throws(() => unsealRecord(jwe, 'secret-1', 'purpose A'), /not a sealed record/);
  await assert.rejects(unseal(sealRecord(VALUE, 'secret-1', 'purpose A'), 'secret-1', 'purpose A'));
});
