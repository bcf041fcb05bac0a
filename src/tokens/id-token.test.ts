import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { halfHash } from './id-token.js';

const leftHalf = (algorithm: string, value: string) => createHash(algorithm).update(value, 'ascii').digest().subarray(0, algorithm === 'sha512' ? 32 : 16).toString('base64url');

test('halfHash: the left half of the SHA-256 digest for RS256, PS256 and ES256, of SHA-512 for EdDSA (OIDC Core §3.1.3.6, RFC 8037)', () => {
  const token = 'Fj6uNuvTp9u8vk3c2d1xW3yQmg0qkS4m1H1yXn9m6iQ.tail';
  for (const alg of ['RS256', 'PS256', 'ES256'] as const) assert.equal(halfHash(token, alg), leftHalf('sha256', token));
  assert.equal(halfHash(token, 'EdDSA'), leftHalf('sha512', token));
  assert.equal(halfHash(token, 'ES256').length, 22);
  assert.equal(halfHash(token, 'EdDSA').length, 43);
});
