/**
 * WebAuthn challenges (§13.4.3: at least 16 random bytes, made by the server) that need no
 * storage: 16 random bytes, the time they were made and what they are for, under an HMAC of a
 * key derived from the master secret. A challenge is accepted for its purpose and subject only
 * (a sign-in's interaction, a registration's account), for `CHALLENGE_SECONDS`; a sign-in's is
 * spent by its use (`passkey_assertion` artifacts), a registration's by the credential id it
 * stores, which an account holds once.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { timingSafeEqualStrings } from '../util/digest.js';
import { derivedKey } from '../util/seal.js';

/** How long a page's challenge can be answered: the browser's own timeout is five minutes. */
export const CHALLENGE_SECONDS = 600;

const KEY_PURPOSE = 'latchkey passkey challenge';

/** What a challenge is for: a sign-in in an interaction, or a registration by an account. */
export type ChallengePurpose = 'sign-in' | 'registration';

/** A new challenge, base64url (16 random bytes, 6 bytes of time, 16 of HMAC). */
export function newChallenge(purpose: ChallengePurpose, subject: string, now: number, secret: string): string {
  const nonce = randomBytes(16).toString('base64url');
  const at = Buffer.alloc(6);
  at.writeUIntBE(now, 0, 6);
  const stamp = at.toString('base64url');
  return `${nonce}${stamp}${mac(purpose, subject, nonce, stamp, secret)}`;
}

/** Whether `challenge` was made here for `purpose` and `subject` within `CHALLENGE_SECONDS` of `now`. */
export function isChallengeValid(challenge: string, purpose: ChallengePurpose, subject: string, now: number, secret: string): boolean {
  if (!/^[A-Za-z0-9_-]{52}$/.test(challenge)) return false;
  const nonce = challenge.slice(0, 22);
  const stamp = challenge.slice(22, 30);
  if (!timingSafeEqualStrings(challenge.slice(30), mac(purpose, subject, nonce, stamp, secret))) return false;
  const at = Buffer.from(stamp, 'base64url').readUIntBE(0, 6);
  return at <= now + 60 && now - at <= CHALLENGE_SECONDS;
}

function mac(purpose: ChallengePurpose, subject: string, nonce: string, stamp: string, secret: string): string {
  return createHmac('sha256', derivedKey(secret, KEY_PURPOSE)).update(`${purpose}\0${subject}\0${nonce}\0${stamp}`).digest().subarray(0, 16).toString('base64url');
}
