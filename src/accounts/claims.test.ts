import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectClaims } from './claims.js';

const AVAILABLE = { sub: 'not-this-one', name: 'Alice', email: 'alice@example.com', email_verified: true, phone_number: null, locale: undefined, secret_note: 'never' };

test('selectClaims: what the scopes release, plus supported claims asked for by name; sub is always the given one', () => {
  assert.deepEqual(selectClaims('alice', AVAILABLE, ['openid', 'email']), { sub: 'alice', email: 'alice@example.com', email_verified: true });
  assert.deepEqual(selectClaims('alice', AVAILABLE, ['openid'], ['name', 'secret_note', 'sub']), { sub: 'alice', name: 'Alice' });
  assert.deepEqual(selectClaims('alice', AVAILABLE, ['profile', 'phone']), { sub: 'alice', name: 'Alice' }, 'null and undefined values are not released');
});

test('selectClaims: scopes and names spelled like Object properties release nothing', () => {
  assert.deepEqual(selectClaims('alice', AVAILABLE, ['constructor', '__proto__', 'toString', 'hasOwnProperty'], ['constructor', '__proto__']), { sub: 'alice' });
});
