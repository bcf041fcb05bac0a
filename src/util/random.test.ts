import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomToken } from './random.js';

test('randomToken: 32 bytes by default, base64url; no value repeats across many pool refills', () => {
  const seen = new Set<string>();
  // 4096-byte pool, 32 bytes each: 128 tokens per fill; 2000 tokens cross 15 refills.
  for (let i = 0; i < 2000; i++) {
    const token = randomToken();
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(token, 'base64url').length, 32);
    seen.add(token);
  }
  assert.equal(seen.size, 2000);
});

test('randomToken: other sizes, including odd ones that leave the pool unaligned and one larger than the pool', () => {
  for (const bytes of [16, 7, 33, 5000]) {
    const token = randomToken(bytes);
    assert.equal(Buffer.from(token, 'base64url').length, bytes);
  }
  const halves = new Set(Array.from({ length: 600 }, () => randomToken(15)));
  assert.equal(halves.size, 600);
});
