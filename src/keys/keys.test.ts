import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMemoryStorage } from '../storage/memory/index.js';
import { fixedClock } from '../util/clock.js';
import { generateKey } from './generate-key.js';
import { createKeyring } from './keyring.js';
import { decryptPrivateJwk, encryptPrivateJwk } from './private-key-encryption.js';
import { ensureKeys, rotateKeys } from './rotation.js';

const SECRET = 'a-master-secret-of-at-least-thirty-two-chars';

test('keys: private keys are stored encrypted and come back only with the same secret', async () => {
  const key = await generateKey('ES256', 'current', SECRET, 1);
  assert.equal(key.private_jwk_encrypted.split('.').length, 5, 'a compact JWE');
  assert.ok(!key.private_jwk_encrypted.includes(key.kid));
  const jwk = await decryptPrivateJwk(key.private_jwk_encrypted, SECRET);
  assert.equal(typeof jwk.d, 'string');
  await assert.rejects(decryptPrivateJwk(key.private_jwk_encrypted, `${SECRET}!`), /LATCHKEY_SECRET is not the secret the keys were created with/);
  assert.equal(key.public_jwk.d, undefined);
});

test('keys: encryption is randomized (same JWK → different ciphertexts)', async () => {
  const jwk = { kty: 'oct', k: 'AAAA' };
  assert.notEqual(await encryptPrivateJwk(jwk, SECRET), await encryptPrivateJwk(jwk, SECRET));
});

test('keys: ensureKeys creates a current and a next key per algorithm — signing keys (use sig) and decryption keys (use enc) — once', async () => {
  const clock = fixedClock('2030-01-01T00:00:00Z');
  const storage = createMemoryStorage({ clock });
  const created = await ensureKeys(storage, SECRET, clock);
  assert.equal(created.length, 12);
  assert.deepEqual(await ensureKeys(storage, SECRET, clock), []);
  const keys = await storage.keys.list();
  for (const [alg, use, kty] of [['RS256', 'sig', 'RSA'], ['PS256', 'sig', 'RSA'], ['ES256', 'sig', 'EC'], ['EdDSA', 'sig', 'OKP'], ['RSA-OAEP-256', 'enc', 'RSA'], ['ECDH-ES', 'enc', 'EC']]) {
    const ofAlg = keys.filter((k) => k.alg === alg);
    assert.deepEqual(ofAlg.map((k) => k.state).sort(), ['current', 'next'], alg);
    for (const key of ofAlg) assert.deepEqual([key.public_jwk.use, key.public_jwk.kty, key.public_jwk.alg], [use, kty, alg], alg);
  }
});

test('keys: rotation → next becomes current, current previous, previous retired, a new next', async () => {
  const clock = fixedClock('2030-01-01T00:00:00Z');
  const storage = createMemoryStorage({ clock });
  await ensureKeys(storage, SECRET, clock);
  const first = await storage.keys.list();
  const current1 = first.find((k) => k.alg === 'ES256' && k.state === 'current')!;
  const next1 = first.find((k) => k.alg === 'ES256' && k.state === 'next')!;

  await rotateKeys(storage, SECRET, clock, ['ES256']);
  const second = await storage.keys.list();
  const state = (kid: string) => second.find((k) => k.kid === kid)!.state;
  assert.equal(state(next1.kid), 'current');
  assert.equal(state(current1.kid), 'previous');
  const next2 = second.find((k) => k.alg === 'ES256' && k.state === 'next')!;
  assert.ok(next2 && next2.kid !== next1.kid);
  assert.equal(second.filter((k) => k.alg === 'RS256').length, 2, 'other algorithms untouched');

  await rotateKeys(storage, SECRET, clock, ['ES256']);
  assert.equal((await storage.keys.list()).find((k) => k.kid === current1.kid)!.state, 'retired');
});

test('keyring: signs with the current key; JWKS publishes next, current and previous but not retired', async () => {
  const clock = fixedClock('2030-01-01T00:00:00Z');
  const storage = createMemoryStorage({ clock });
  await ensureKeys(storage, SECRET, clock);
  await rotateKeys(storage, SECRET, clock, ['ES256']);
  await rotateKeys(storage, SECRET, clock, ['ES256']);
  const keyring = createKeyring({ store: storage.keys, secret: SECRET, refreshIntervalMs: 0 });
  const keys = await storage.keys.list();
  const current = keys.find((k) => k.alg === 'ES256' && k.state === 'current')!;
  assert.equal((await keyring.signingKey('ES256')).kid, current.kid);

  const published = (JSON.parse(await keyring.jwks()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
  for (const key of keys) assert.equal(published.includes(key.kid), key.state !== 'retired', `${key.alg} ${key.state}`);
  assert.ok(await keyring.verificationKey(current.kid));
  assert.equal(await keyring.verificationKey('unknown'), undefined);
});

test('keyring: a cached key set is kept until its refresh — or until invalidate()', async () => {
  const clock = fixedClock('2030-01-01T00:00:00Z');
  const storage = createMemoryStorage({ clock });
  await ensureKeys(storage, SECRET, clock);
  const keyring = createKeyring({ store: storage.keys, secret: SECRET, refreshIntervalMs: 3_600_000 });
  const before = (await keyring.signingKey('ES256')).kid;

  await rotateKeys(storage, SECRET, clock, ['ES256']);
  const promoted = (await storage.keys.list()).find((k) => k.alg === 'ES256' && k.state === 'current')!.kid;
  assert.notEqual(promoted, before);
  assert.equal((await keyring.signingKey('ES256')).kid, before, 'cached for the refresh interval');

  keyring.invalidate();
  assert.equal((await keyring.signingKey('ES256')).kid, promoted);
});

test('keyring: freshJwks() is the JWKS while the key list is fresh, and undefined once it is due to be read again', async () => {
  const storage = createMemoryStorage({ clock: fixedClock(0) });
  await ensureKeys(storage, 'secret-secret-secret-secret-secret-0123', fixedClock(0));
  const keyring = createKeyring({ store: storage.keys, secret: 'secret-secret-secret-secret-secret-0123', refreshIntervalMs: 50 });
  assert.equal(keyring.freshJwks(), undefined, 'never read');
  const jwks = await keyring.jwks();
  assert.equal(keyring.freshJwks(), jwks);
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.equal(keyring.freshJwks(), undefined, 'due: the ordinary path reads the keys again');
  keyring.invalidate();
  assert.equal(keyring.freshJwks(), undefined);
});
