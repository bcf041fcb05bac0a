import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { digestSecret, matchesDigest, sha256, timingSafeEqualStrings } from './digest.js';

test('digestSecret and sha256: SHA-256 as base64url and as bytes', () => {
  const value = 'a secret — with non-ASCII';
  assert.equal(digestSecret(value), createHash('sha256').update(value, 'utf8').digest('base64url'));
  assert.deepEqual(sha256(value), createHash('sha256').update(value, 'utf8').digest());
  assert.deepEqual(sha256(new Uint8Array([1, 2, 3])), createHash('sha256').update(new Uint8Array([1, 2, 3])).digest());
});

test('matchesDigest: the secret matches its digest; any other value, or a malformed stored digest, does not', () => {
  const stored = digestSecret('correct horse');
  assert.equal(matchesDigest('correct horse', stored), true);
  assert.equal(matchesDigest('correct horsf', stored), false);
  assert.equal(matchesDigest('', stored), false);
  assert.equal(matchesDigest('correct horse', stored.slice(0, -2)), false);
  assert.equal(matchesDigest('correct horse', ''), false);
  assert.equal(matchesDigest('correct horse', 'correct horse'), false);
});

test('timingSafeEqualStrings: equal strings only, whatever their lengths', () => {
  assert.equal(timingSafeEqualStrings('abc', 'abc'), true);
  assert.equal(timingSafeEqualStrings('abc', 'abd'), false);
  assert.equal(timingSafeEqualStrings('abc', 'abcd'), false);
});
