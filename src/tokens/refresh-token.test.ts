import assert from 'node:assert/strict';
import { test } from 'node:test';
import { successorOf } from './refresh-token.js';
import { newOpaqueToken, tokenKey } from './token-key.js';

const ctx = (secret: string | undefined) => ({ config: { secret } }) as Parameters<typeof successorOf>[2];
const ROTATED_AT = 1_900_000_000;

test('successorOf: the same for the same token, time and secret; another for another token, time or secret', () => {
  const token = newOpaqueToken();
  const successor = successorOf(token, ROTATED_AT, ctx('secret-1'));
  assert.equal(successorOf(token, ROTATED_AT, ctx('secret-1')), successor);
  assert.notEqual(successorOf(newOpaqueToken(), ROTATED_AT, ctx('secret-1')), successor);
  assert.notEqual(successorOf(token, ROTATED_AT + 1, ctx('secret-1')), successor);
  assert.notEqual(successorOf(token, ROTATED_AT, ctx('secret-2')), successor);
  assert.notEqual(successor.slice(8), token.slice(8));
});

test('successorOf: an opaque token filed at the rotation time, its secret part 256 bits in base64url', () => {
  const successor = successorOf(newOpaqueToken(), ROTATED_AT, ctx('secret-1'));
  assert.match(successor, /^[\w-]{51}$/);
  assert.ok(tokenKey(successor).startsWith(`${(ROTATED_AT * 1000).toString(16).padStart(12, '0')}.`));
});

test('successorOf: without a master secret → throws rather than make a guessable token', () => {
  assert.throws(() => successorOf(newOpaqueToken(), ROTATED_AT, ctx(undefined)), /master secret/);
});
