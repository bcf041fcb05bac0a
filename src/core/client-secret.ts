/**
 * Client secrets: generated with 256 bits of entropy; a supplied one must carry at least 128.
 * Stored only as a SHA-256 digest and checked in constant time — with that much entropy a slow
 * hash buys nothing against guessing and would cap client authentication at a few hundred per
 * second (DESIGN.md, security invariants).
 */
import { randomToken } from '../util/random.js';

/** Least entropy, in bits, a supplied client secret must have. */
export const MIN_SUPPLIED_SECRET_BITS = 128;

/** Fewest distinct characters a supplied secret must use (refuses `aaaa…` and the like). */
const MIN_DISTINCT_CHARACTERS = 8;

/** A new client secret: 32 random bytes, base64url (43 characters, 256 bits). */
export function generateClientSecret(): string {
  return randomToken(32);
}

/**
 * An upper estimate of a supplied secret's entropy: its length times log2 of the alphabet it
 * draws from (hex, or the union of lowercase, uppercase, digits and symbols it uses). A secret
 * typed by a person scores higher than it deserves; the estimate only rejects what is certainly
 * too weak.
 */
export function estimateSecretEntropyBits(secret: string): number {
  if (new Set(secret).size < MIN_DISTINCT_CHARACTERS) return 0;
  let alphabet = 0;
  if (/^[0-9a-f]+$/.test(secret) || /^[0-9A-F]+$/.test(secret)) {
    alphabet = 16;
  } else {
    if (/[a-z]/.test(secret)) alphabet += 26;
    if (/[A-Z]/.test(secret)) alphabet += 26;
    if (/[0-9]/.test(secret)) alphabet += 10;
    if (/[^a-zA-Z0-9]/.test(secret)) alphabet += 33;
  }
  return secret.length * Math.log2(alphabet);
}

/** True when a supplied secret is strong enough to accept. */
export function isStrongEnoughSecret(secret: string): boolean {
  return estimateSecretEntropyBits(secret) >= MIN_SUPPLIED_SECRET_BITS;
}
