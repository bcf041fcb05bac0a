import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveKey, derivedKey, seal, unseal } from './seal.js';

const VALUE = { access_token: 'a'.repeat(43), scope: 'openid profile', nested: { n: 1, s: 'é' } };

test('seal: opens with the same secret and purpose; another secret, another purpose or an altered part → throws', async () => {
  const jwe = await seal(VALUE, 'secret-1', 'purpose A');
  assert.deepEqual(await unseal(jwe, 'secret-1', 'purpose A'), VALUE);
  assert.notEqual(await seal(VALUE, 'secret-1', 'purpose A'), jwe, 'a fresh nonce each time');
  await assert.rejects(unseal(jwe, 'secret-2', 'purpose A'));
  await assert.rejects(unseal(jwe, 'secret-1', 'purpose B'));
  const parts = jwe.split('.');
  for (const i of [2, 3, 4]) {
    const bytes = Buffer.from(parts[i]!, 'base64url');
    bytes[0]! ^= 1;
    await assert.rejects(unseal(parts.map((part, j) => (j === i ? bytes.toString('base64url') : part)).join('.'), 'secret-1', 'purpose A'), Error, `part ${i} altered`);
  }
});

test('derivedKey: deriveKey of the secret and purpose, computed once; independent across secrets and purposes', () => {
  const key = derivedKey('secret-1', 'purpose A');
  assert.deepEqual(key, deriveKey('secret-1', 'purpose A'));
  assert.equal(key.length, 32);
  assert.equal(derivedKey('secret-1', 'purpose A'), key, 'the same key object again');
  assert.notDeepEqual(derivedKey('secret-2', 'purpose A'), key);
  assert.notDeepEqual(derivedKey('secret-1', 'purpose B'), key);
  // The secret and purpose are kept apart: no split of one string into the two collides.
  assert.notDeepEqual(derivedKey('a', 'b\0c'), derivedKey('a\0b', 'c'));
});
