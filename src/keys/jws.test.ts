import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compactVerify, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { createMemoryStorage } from '../storage/memory/index.js';
import { fixedClock } from '../util/clock.js';
import { SIGNING_ALGORITHMS } from './algorithms.js';
import { signJwt } from './jws.js';
import { createKeyring } from './keyring.js';
import { ensureKeys } from './rotation.js';

const SECRET = 'a-master-secret-of-at-least-thirty-two-chars';

async function keyringWithKeys() {
  const clock = fixedClock('2030-01-01T00:00:00Z');
  const storage = createMemoryStorage({ clock });
  await ensureKeys(storage, SECRET, clock);
  return { keyring: createKeyring({ store: storage.keys, secret: SECRET }), records: await storage.keys.list() };
}

test('signJwt: every signing algorithm makes a JWT that jose verifies with the published key, header and claims intact', async () => {
  const { keyring, records } = await keyringWithKeys();
  const claims = { iss: 'https://id.example', sub: 'zoë', aud: 'app', iat: 1_900_000_000, exp: 1_900_000_300, name: 'Zoë 日本 🙂', nested: { list: [1, 'two'] } };
  for (const alg of SIGNING_ALGORITHMS) {
    const key = await keyring.signingKey(alg);
    const record = records.find((r) => r.kid === key.kid)!;
    const jwt = signJwt(key, 'at+jwt', claims);
    const { payload, protectedHeader } = await jwtVerify(jwt, await importJWK(record.public_jwk, alg), {
      algorithms: [alg],
      currentDate: new Date(1_900_000_100_000),
      typ: 'at+jwt',
    });
    assert.deepEqual(protectedHeader, { alg, kid: key.kid, typ: 'at+jwt' }, alg);
    assert.deepEqual(payload, claims, alg);
  }
});

test('signJwt: the signature covers header and payload — a changed byte in either fails verification', async () => {
  const { keyring, records } = await keyringWithKeys();
  for (const alg of SIGNING_ALGORITHMS) {
    const key = await keyring.signingKey(alg);
    const publicKey = await importJWK(records.find((r) => r.kid === key.kid)!.public_jwk, alg);
    const [header, payload, signature] = signJwt(key, 'JWT', { sub: 'alice' }).split('.') as [string, string, string];
    const otherPayload = Buffer.from(JSON.stringify({ sub: 'mallory' })).toString('base64url');
    const otherHeader = Buffer.from(JSON.stringify({ alg, kid: key.kid, typ: 'logout+jwt' })).toString('base64url');
    await assert.rejects(compactVerify(`${header}.${otherPayload}.${signature}`, publicKey), /signature verification failed/, alg);
    await assert.rejects(compactVerify(`${otherHeader}.${payload}.${signature}`, publicKey), /signature verification failed/, alg);
  }
});

test('signJwt: each typ gets its own header, and a signature differs per payload', async () => {
  const { keyring } = await keyringWithKeys();
  const key = await keyring.signingKey('ES256');
  assert.equal(decodeProtectedHeader(signJwt(key, 'JWT', {})).typ, 'JWT');
  assert.equal(decodeProtectedHeader(signJwt(key, 'logout+jwt', {})).typ, 'logout+jwt');
  assert.equal(decodeProtectedHeader(signJwt(key, 'JWT', {})).typ, 'JWT');
  assert.notEqual(signJwt(key, 'JWT', { n: 1 }), signJwt(key, 'JWT', { n: 2 }));
});
