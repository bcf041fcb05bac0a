/** Password hashes from other systems: which are accepted, and passwords checked against them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hash as argon2Hash } from '@node-rs/argon2';
import { createMemoryStorage } from '../storage/memory/index.js';
import { createAccount } from './create-account.js';
import { createBuiltinAccounts } from './builtin-accounts.js';
import { passwordHashAlgorithm, verifyImportedHash } from './imported-password-hashes.js';
import { needsRehash, verifyPassword } from './password.js';

const PASSWORD = 'correct horse battery staple';

/** OpenBSD's bcrypt test vector: "U*U", cost 5. */
const BCRYPT_U_U = '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';
/** bcrypt of PASSWORD, cost 10, as Apache's `htpasswd -B` makes it ($2y$). */
const BCRYPT = '$2y$10$PUqAeRpuDiiv1181IMevE.aIpw6/JjL5n2D5qzIb7Uu1ifYMFiiVy';
/**
 * PBKDF2 of PASSWORD computed by Python's hashlib.pbkdf2_hmac, written as PHC strings: SHA-512
 * with Keycloak's former 27 500 iterations and a 64-byte key, SHA-256 with Django's 600 000, SHA-1.
 */
const PBKDF2 = [
  '$pbkdf2-sha512$i=27500$MDEyMzQ1Njc4OWFiY2RlZg$bdzRjVYmJl9bVXA9HlolOgA+HSBKPy8dlrl1UidyQIpGVK5DldTolyH4k1D6RI/ThSOP/AmQppIjgKTzvAknYw',
  '$pbkdf2-sha256$i=600000$c2FsdHNhbHRzYWx0c2FsdA$QG6BMwMweVu+fGdGtTGN9gzkHBTCL+1KvyjmzZKiY4E',
  '$pbkdf2-sha1$i=20000$TmFDbC1OYUNs$FjQPwbShLVsE3n+lwRhBB3o3CGI',
];
/** With the key length given and base64 padding, of a password beyond ASCII ("pässwörd"). */
const PBKDF2_PADDED = '$pbkdf2-sha256$i=1000,l=32$AAECAwQFBgc=$4gQ7ODNLTK5ICbrL6LowBSzaBMm8I80VXscJAm21Llk=';

test('passwordHashAlgorithm: argon2, bcrypt and PBKDF2 within the bounds a login may cost; anything else, or beyond them → undefined', async () => {
  assert.equal(passwordHashAlgorithm(await argon2Hash(PASSWORD, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 })), 'argon2');
  assert.equal(passwordHashAlgorithm(BCRYPT_U_U), 'bcrypt');
  assert.equal(passwordHashAlgorithm(BCRYPT), 'bcrypt');
  assert.equal(passwordHashAlgorithm(BCRYPT.replace('$2y$', '$2b$')), 'bcrypt');
  for (const hash of [...PBKDF2, PBKDF2_PADDED]) assert.equal(passwordHashAlgorithm(hash), 'pbkdf2', hash);
  const refused = [
    '', 'correct horse battery staple', '$1$saltsalt$hash', // md5-crypt
    BCRYPT.replace('$10$', '$17$'), BCRYPT.replace('$10$', '$31$'), BCRYPT.replace('$10$', '$03$'), BCRYPT.slice(0, -1),
    '$pbkdf2-sha256$i=10000001$c2FsdHNhbHRzYWx0c2FsdA$QG6BMwMweVu+fGdGtTGN9gzkHBTCL+1KvyjmzZKiY4E',
    '$pbkdf2-sha256$i=1000,l=64$AAECAwQFBgc=$4gQ7ODNLTK5ICbrL6LowBSzaBMm8I80VXscJAm21Llk=', // l= says another length than the key has
    '$pbkdf2-md5$i=1000$c2FsdHNhbHQ$QG6BMwMweVu+fGdGtTGN9gzkHBTCL+1KvyjmzZKiY4E',
    '$argon2id$v=19$m=300000,t=3,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA', // 293 MiB a login
    '$argon2id$v=19$m=12288,t=11,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA',
  ];
  for (const hash of refused) assert.equal(passwordHashAlgorithm(hash), undefined, hash);
});

test('verifyImportedHash / verifyPassword: the right password against bcrypt and PBKDF2 hashes made elsewhere → true; another → false', async () => {
  assert.equal(await verifyImportedHash(BCRYPT_U_U, 'U*U'), true);
  assert.equal(await verifyImportedHash(BCRYPT_U_U, 'U*V'), false);
  assert.equal(await verifyPassword(PASSWORD, BCRYPT), true);
  assert.equal(await verifyPassword(PASSWORD, BCRYPT.replace('$2y$', '$2b$')), true, 'the same algorithm under another version letter');
  assert.equal(await verifyPassword('correct horse battery stapler', BCRYPT), false);
  for (const hash of PBKDF2) {
    assert.equal(await verifyPassword(PASSWORD, hash), true, hash);
    assert.equal(await verifyPassword(`${PASSWORD}!`, hash), false, hash);
  }
  assert.equal(await verifyPassword('pässwörd', PBKDF2_PADDED), true);
  assert.equal(await verifyPassword('passwörd', PBKDF2_PADDED), false);
  // A hash beyond the bounds never authenticates, right password or not.
  assert.equal(await verifyPassword('pässwörd', PBKDF2_PADDED.replace('i=1000', 'i=10000001')), false);
  assert.equal(await verifyImportedHash('$1$saltsalt$hash', PASSWORD), false);
});

test('an account created with a bcrypt or PBKDF2 hash signs in with its password, and from then on has an argon2id hash of it', async () => {
  for (const [password, hash] of [[PASSWORD, BCRYPT], [PASSWORD, PBKDF2[0]!]] as const) {
    const clock = { now: () => 1_800_000_000 };
    const storage = createMemoryStorage({ clock });
    const account = await createAccount({ username: 'imported', password_hash: hash }, storage, clock);
    assert.equal(account.password_hash, hash, 'kept as it came');
    const { authenticate } = createBuiltinAccounts(storage, clock, 'a master secret of the test, long enough');
    assert.equal(await authenticate!('imported', `${password}x`), undefined);
    assert.equal((await storage.accounts.findBySub(account.sub))!.password_hash, hash, 'a wrong password changes nothing');
    assert.deepEqual(await authenticate!('imported', password), { sub: account.sub, username: 'imported' });
    const rehashed = (await storage.accounts.findBySub(account.sub))!.password_hash!;
    assert.match(rehashed, /^\$argon2id\$/);
    assert.equal(needsRehash(rehashed), false);
    assert.deepEqual(await authenticate!('imported', password), { sub: account.sub, username: 'imported' });
  }
});

test('createAccount: a password_hash of no accepted kind, or with a password too → refused', async () => {
  const clock = { now: () => 1_800_000_000 };
  const storage = createMemoryStorage({ clock });
  await assert.rejects(createAccount({ username: 'a', password_hash: '$1$saltsalt$hash' }, storage, clock), /password_hash must be an argon2 PHC string/);
  await assert.rejects(createAccount({ username: 'b', password_hash: BCRYPT_U_U, password: PASSWORD }, storage, clock), /password and password_hash are exclusive/);
  assert.equal((await storage.accounts.list({ limit: 10 })).items.length, 0);
});
