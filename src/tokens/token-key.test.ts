/** Opaque tokens carry their issue time, and are stored under it: rows written together sit together. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALICE, basicAuth, postForm, SEED_SECRET, testProvider } from '../../test/helpers/index.js';
import { digestSecret } from '../util/digest.js';
import { randomToken } from '../util/random.js';
import { newOpaqueToken, signedJwtKey, tokenKey, tokenKeys } from './token-key.js';

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
  const jwtWithoutIat = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
  assert.equal(tokenKey(jwtWithoutIat), digestSecret(jwtWithoutIat));
  assert.notEqual(tokenKey(token.slice(1)), tokenKey(token));
});

/** A compact JWS-shaped value with `payload` as its claims (the signature is not looked at). */
function jwtLike(payload: unknown): string {
  return `eyJhbGciOiJFUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2lnbmF0dXJl`;
}

test('tokenKey: a JWT is filed under its iat in milliseconds, in the same hex form as an opaque token; a JWT-shaped value without a usable iat under its digest alone', () => {
  const iat = Date.UTC(2030, 0, 1) / 1000;
  const jwt = jwtLike({ iss: 'x', iat, jti: 'a' });
  assert.equal(tokenKey(jwt), `${(iat * 1000).toString(16).padStart(12, '0')}.${digestSecret(jwt)}`);
  assert.deepEqual(tokenKeys(jwt), [tokenKey(jwt), digestSecret(jwt)], 'then the digest alone: JWTs stored before JWTs were filed under their time');
  const opaque = newOpaqueToken(iat * 1000);
  assert.equal(tokenKey(jwt).slice(0, 12), tokenKey(opaque).slice(0, 12), 'filed with the opaque tokens of the same moment');
  assert.deepEqual(tokenKeys(opaque), [tokenKey(opaque)]);
  for (const value of [
    jwtLike({ iat: 'soon' }),
    jwtLike({ iat: -1 }),
    jwtLike({ iat: 1.5 }),
    jwtLike({ iat: 2 ** 48 }),
    jwtLike([iat]),
    jwtLike(null),
    jwtLike(iat),
    'eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2lnbmF0dXJl',
    `${jwtLike({ iat })}.extra`,
    `.${Buffer.from(JSON.stringify({ iat })).toString('base64url')}.`,
  ]) {
    assert.equal(tokenKey(value), digestSecret(value), value);
    assert.deepEqual(tokenKeys(value), [digestSecret(value)], value);
  }
});

test('signedJwtKey: the key tokenKey reads back from a JWT, from the iat its issuer signed', () => {
  for (const iat of [0, Date.UTC(2030, 0, 1) / 1000, Math.floor(Date.now() / 1000)]) {
    const jwt = jwtLike({ iss: 'x', iat, jti: randomToken(16) });
    assert.equal(signedJwtKey(jwt, iat), tokenKey(jwt), String(iat));
  }
  // An iat that tokenKey would not file under (out of range, not whole): the digest alone, as tokenKey.
  for (const iat of [-1, 1.5, 2 ** 48]) {
    const jwt = jwtLike({ iat });
    assert.equal(signedJwtKey(jwt, iat), digestSecret(jwt), String(iat));
    assert.equal(signedJwtKey(jwt, iat), tokenKey(jwt), String(iat));
  }
});

test('tokens issued before tokens carried their time, stored under their digest alone, still introspect, refresh and revoke', async () => {
  const tp = await testProvider({
    clients: [{ client_id: 'app', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token'] }],
    accounts: [ALICE],
  });
  const { storage } = tp.provider.context;
  const now = tp.clock.now();
  const access = randomToken();
  const jwtAccess = jwtLike({ iss: 'https://op.test', iat: now, exp: now + 3600, jti: 'from-an-earlier-version' });
  const refresh = randomToken();
  const fields = { client_id: 'app', sub: tp.accounts[0]!.sub, scope: 'profile', grant_id: 'grant-from-an-earlier-version', issued_at: now } as const;
  await storage.tokens.insert({ token_digest: digestSecret(access), kind: 'access_token', ...fields, expires_at: now + 3600 });
  await storage.tokens.insert({ token_digest: digestSecret(jwtAccess), kind: 'access_token', ...fields, expires_at: now + 3600 });
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

    assert.equal((await postForm(tp, '/introspect', { token: jwtAccess }, authorization)).body.active, true, 'a JWT stored under its digest alone');
    assert.equal((await postForm(tp, '/revoke', { token: jwtAccess }, authorization)).response.status, 200);
    assert.equal(tp.events.filter((event) => event.name === 'token.revoked').length, 2, 'the JWT found and revoked');
    assert.equal((await postForm(tp, '/introspect', { token: jwtAccess }, authorization)).body.active, false);
  } finally {
    await tp.provider.close();
  }
});
