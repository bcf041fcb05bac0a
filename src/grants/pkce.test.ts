import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { InvalidGrant } from '../core/errors.js';
import { verifyPkce } from './pkce.js';

const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
/** RFC 7636 Appendix B: the S256 challenge of the verifier above. */
const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

const refusedWith = (message: string) => (error: unknown) => error instanceof InvalidGrant && error.message === message;

test('verifyPkce: the verifier of RFC 7636 Appendix B matches its challenge', () => {
  assert.equal(createHash('sha256').update(verifier).digest('base64url'), challenge);
  assert.doesNotThrow(() => verifyPkce(challenge, verifier));
});

test('verifyPkce: another verifier, or a challenge that differs in one character, does not match', () => {
  assert.throws(() => verifyPkce(challenge, `${verifier.slice(0, -1)}Y`), refusedWith('code_verifier does not match the code_challenge'));
  // The same 32 bytes once decoded ('M' and 'N' differ only in the last character's unused bits):
  // the challenge is compared as the string it is, as RFC 7636 §4.6 says.
  assert.deepEqual(Buffer.from(`${challenge.slice(0, -1)}N`, 'base64url'), Buffer.from(challenge, 'base64url'));
  assert.throws(() => verifyPkce(`${challenge.slice(0, -1)}N`, verifier), refusedWith('code_verifier does not match the code_challenge'));
  assert.throws(() => verifyPkce(challenge.slice(0, -1), verifier), refusedWith('code_verifier does not match the code_challenge'));
});

test('verifyPkce: no verifier for a challenge, a malformed verifier, a verifier without a challenge', () => {
  assert.throws(() => verifyPkce(challenge, undefined), refusedWith('code_verifier is required'));
  assert.throws(() => verifyPkce(challenge, 'short'), refusedWith('code_verifier is malformed'));
  assert.throws(() => verifyPkce(undefined, verifier), refusedWith('code_verifier was sent but the authorization request had no code_challenge'));
  assert.doesNotThrow(() => verifyPkce(undefined, undefined));
});
