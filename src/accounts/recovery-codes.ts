/**
 * Recovery codes of two-step verification: ten single-use codes a person is shown once, when the
 * authenticator app is set up (or when they ask for new ones), to sign in when the phone is lost.
 * A code is ten characters of Crockford's base32 (50 bits; spelled `xxxxx-xxxxx`, read back without
 * regard to case, dashes, spaces, and the look-alikes i, l, o). Stored as HMAC-SHA-256 digests
 * under a key derived from the master secret: the database alone cannot be searched for them.
 * Each is accepted once — taken off the account's list, and remembered as used (`recovery_code`
 * artifacts) so that two logins racing with one code cannot both get in.
 */
import { createHmac, randomInt } from 'node:crypto';
import type { AccountRecord, Storage } from '../storage/types.js';
import type { Clock } from '../util/clock.js';
import { derivedKey } from '../util/seal.js';

/** How many codes a person gets at a time. */
export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const LENGTH = 10;
const DIGEST_PURPOSE = 'latchkey recovery codes';
/** How long a used code is remembered: far longer than any set of codes is kept. */
const USED_SECONDS = 10 * 365 * 24 * 3600;

/** Ten new codes, spelled for people (`7k2mq-x9ad4`). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** A code as typed, in its one spelling: lower case, no dashes or spaces, look-alikes read as digits; undefined when it cannot be one. */
function normalize(typed: string): string | undefined {
  const code = typed.toLowerCase().replace(/[\s-]+/g, '').replace(/[il]/g, '1').replace(/o/g, '0');
  return code.length === LENGTH && [...code].every((char) => ALPHABET.includes(char)) ? code : undefined;
}

/** What `sub`'s code is stored as. */
export function recoveryCodeDigest(sub: string, code: string, masterSecret: string): string | undefined {
  const normalized = normalize(code);
  if (normalized === undefined) return undefined;
  return createHmac('sha256', derivedKey(masterSecret, DIGEST_PURPOSE)).update(`${sub}.${normalized}`).digest('base64url');
}

/** `codes` as stored for `sub`. */
export function recoveryCodeDigests(sub: string, codes: readonly string[], masterSecret: string): string[] {
  return codes.map((code) => recoveryCodeDigest(sub, code, masterSecret)!);
}

/**
 * Whether `typed` is one of `account`'s recovery codes not used before; an accepted code is used
 * up (taken off the list, remembered as used).
 */
export async function useRecoveryCode(account: AccountRecord, typed: string, deps: { storage: Pick<Storage, 'artifacts' | 'accounts'>; clock: Clock; secret: string }): Promise<boolean> {
  const digest = recoveryCodeDigest(account.sub, typed, deps.secret);
  if (digest === undefined || !(account.totp?.recovery_codes ?? []).includes(digest)) return false;
  if (!(await deps.storage.artifacts.add('recovery_code', digest, { sub: account.sub }, USED_SECONDS))) return false;
  // Read again: the list as it is now, less this code.
  const current = await deps.storage.accounts.findBySub(account.sub);
  if (current?.totp !== undefined) {
    const left = (current.totp.recovery_codes ?? []).filter((stored) => stored !== digest);
    await deps.storage.accounts.update({ ...current, totp: { ...current.totp, recovery_codes: left }, updated_at: deps.clock.now() });
  }
  return true;
}
