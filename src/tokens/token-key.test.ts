/** Opaque tokens carry their issue time, and are stored under it: rows written together sit together. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALICE, basicAuth, postForm, SEED_SECRET, testProvider } from '../../test/helpers/index.js';
import { digestSecret } from '../util/digest.js';
import { randomToken } from '../util/random.js';
import { newOpaqueToken, tokenKey } from './token-key.js';

test('newOpaqueToken: the issue time in milliseconds (8 base64url characters), then 256 random bits; never the same twice', () => {
  const now = Date.UTC(2030, 0, 1, 0, 0, 0, 5);
  const token = newOpaqueToken(now);
  assert.match(token, /^[A-Za-z0-9_-]{51}$/);
  assert.equal(Buffer.from(token.slice(0, 8), 'base64url').readUIntBE(0, 6), now);
  assert.equal(Buffer.from(token.slice(8), 'base64url').length, 32);
  assert.equal(new Set(Array.from({ length: 500 }, () => newOpaqueToken(now))).size, 500);
});

test('tokenKey: the time in hex, a dot and the digest for an opaque token; later tokens sort after earlier ones; any other value is keyed by its digest alone', () => {
  const now = Date.UTC(2030, 0, 1);
  const token = newOpaqueToken(now);
  assert.equal(tokenKey(token), `${now.toString(16).padStart(12, '0')}.${digestSecret(token)}`);
  const keys = [now - 86_400_000, now - 1, now, now + 1, now + 3_600_000].map((time) => tokenKey(newOpaqueToken(time)));
  assert.deepEqual([...keys].sort(), keys);
  // Tokens issued before tokens carried their time (43 characters), JWTs, anything else presented.
  const older = randomToken();
  assert.equal(tokenKey(older), digestSecret(older));
  const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
  assert.equal(tokenKey(jwt), digestSecret(jwt));
  assert.notEqual(tokenKey(token.slice(1)), tokenKey(token));
});

test('tokens issued before tokens carried their time, stored under their digest alone, still introspect, refresh and revoke', async () => {
  const tp = await testProvider({
    clients: [{ client_id: 'app', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token'] }],
    accounts: [ALICE],
  });
  const { storage } = tp.provider.context;
  const now = tp.clock.now();
  const access = randomToken();
  const refresh = randomToken();
  const fields = { client_id: 'app', sub: tp.accounts[0]!.sub, scope: 'profile', grant_id: 'grant-from-an-earlier-version', issued_at: now } as const;
  await storage.tokens.insert({ token_digest: digestSecret(access), kind: 'access_token', ...fields, expires_at: now + 3600 });
  await storage.tokens.insert({ token_digest: digestSecret(refresh), kind: 'refresh_token', ...fields, expires_at: now + 86_400, grant_expires_at: now + 86_400 });
  const authorization = { authorization: basicAuth('app', SEED_SECRET) };
  try {
    const introspected = await postForm(tp, '/introspect', { token: access }, authorization);
    assert.equal(introspected.body.active, true, introspected.text);

    const refreshed = await postForm(tp, '/token', { grant_type: 'refresh_token', refresh_token: refresh }, authorization);
    assert.equal(refreshed.response.status, 200, refreshed.text);
    assert.match(String(refreshed.body.access_token), /^[A-Za-z0-9_-]{51}$/, 'the new tokens carry their time');

    assert.equal((await postForm(tp, '/revoke', { token: access }, authorization)).response.status, 200);
    assert.equal(tp.events.filter((event) => event.name === 'token.revoked').length, 1, 'found and revoked');
    assert.equal((await postForm(tp, '/introspect', { token: access }, authorization)).body.active, false);
  } finally {
    await tp.provider.close();
  }
});
