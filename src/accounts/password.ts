import { en, type Messages } from '../i18n/en.js';
import { availableParallelism } from 'node:os';
import { createLimiter } from '../util/limiter.js';
import { verifyImportedHash } from './imported-password-hashes.js';

/**
 * The argon2 binding, loaded at the first password hashed or checked: a server that only issues
 * tokens to clients never needs it, and it is a tenth of an idle process's memory.
 */
let argon2: Promise<typeof import('@node-rs/argon2')> | undefined;
const loadArgon2 = () => (argon2 ??= import('@node-rs/argon2'));

/**
 * argon2id at one of the OWASP Password Storage Cheat Sheet's configurations: 12 MiB of memory,
 * 3 iterations, 1 lane. The cheat sheet lists five (46 MiB × 1, 19 MiB × 2, 12 MiB × 3,
 * 9 MiB × 4, 7 MiB × 5 passes) as one level of defense, trading memory for passes; an attacker's
 * work is about memory × passes (36 MiB-passes here, 38 for 19 MiB × 2).
 *
 * Why 12 MiB × 3 rather than 19 MiB × 2, the first of the list: the smaller block stays in a
 * server CPU's last-level cache. (The binding maps the block afresh for every hash, in 2 MiB
 * transparent huge pages: 12 MiB is six of them, 6 page faults; 19 MiB is nine and a half, the
 * last half faulted in 4 KiB at a time, 265 faults.) Measured on one core with `@node-rs/argon2`:
 * a verification 6.1–6.7 ms of CPU against 8.4–9.8 ms (0.68–0.72×; 0.17–0.19 ms per MiB-pass
 * against 0.23–0.26 — and 20 MiB × 2, whole huge pages, as dear as 19 MiB × 2), a whole
 * browserless login 0.78–0.83× (bench:compare). 7 and 9 MiB cost about as little; 12 MiB keeps
 * the most memory of the cheaper rows — memory is what dedicated cracking hardware pays for most.
 *
 * A hash made with other parameters (by an earlier version, 19 MiB × 2) still verifies — the
 * parameters are in the PHC string — and is made again with these at the next login
 * (`needsRehash`).
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html
 */
const ARGON2ID = { algorithm: 2 /* Argon2id */, memoryCost: 12_288, timeCost: 3, parallelism: 1 } as const;

/** How a PHC string made with `ARGON2ID` begins (RFC 9106 version 0x13 = 19). */
const CURRENT_PARAMETERS = `$argon2id$v=19$m=${ARGON2ID.memoryCost},t=${ARGON2ID.timeCost},p=${ARGON2ID.parallelism}$`;

/**
 * Password hashes computed at once: as many as this process has cores (its CPU affinity counted).
 * More only share the cores and thrash the caches with 12 MiB each — fewer logins per second, not
 * more — and a flood of login attempts would hold that much memory per attempt.
 */
const oneHashPerCore = createLimiter(availableParallelism());

/** NIST SP 800-63B §5.1.1.2: at least 8 characters for a memorized secret chosen by a person. */
export const MIN_PASSWORD_LENGTH = 8;
/** Longest password accepted, in characters: bounds the hashing work an attacker can ask for. */
export const MAX_PASSWORD_LENGTH = 1024;

/** Hashes a password with argon2id; returns the PHC string. */
export async function hashPassword(password: string): Promise<string> {
  const { hash } = await loadArgon2();
  return oneHashPerCore(() => hash(password, ARGON2ID));
}

/** A hash of a random password, verified against when the username is unknown. */
let decoyHash: Promise<string> | undefined;

/**
 * Verifies `password` against `passwordHash`. With no hash (unknown user), a decoy hash is
 * verified instead, so that the answer takes as long either way and does not reveal which
 * usernames exist. The decoy is made with the current parameters: an account whose hash an
 * earlier version made (19 MiB × 2) takes longer to check (≈ 1.4×) until its user signs in once
 * and the hash is made again — as with any change of parameters.
 */
export async function verifyPassword(password: string, passwordHash: string | undefined): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  if (passwordHash === undefined) {
    decoyHash ??= hashPassword(crypto.randomUUID());
    const [{ verify }, decoy] = await Promise.all([loadArgon2(), decoyHash]);
    await oneHashPerCore(() => verify(decoy, password));
    return false;
  }
  try {
    // A hash another system made (an imported account's, until its first login here: `needsRehash`).
    if (!passwordHash.startsWith('$argon2')) return await oneHashPerCore(() => verifyImportedHash(passwordHash, password));
    const { verify } = await loadArgon2();
    return await oneHashPerCore(() => verify(passwordHash, password));
  } catch {
    return false; // a malformed stored hash never authenticates
  }
}

/**
 * Whether `passwordHash` was made otherwise than `hashPassword` makes hashes now (other
 * parameters, another algorithm — bcrypt or PBKDF2 of an imported account): after a successful
 * login, the password is hashed again so that every account comes to the current parameters.
 */
export function needsRehash(passwordHash: string): boolean {
  return !passwordHash.startsWith(CURRENT_PARAMETERS);
}

/** What is wrong with a new password typed twice, as a sentence for the page (in the words of `messages`); undefined when nothing. */
export function newPasswordProblem(next: string, confirmation: string, messages: Messages = en): string | undefined {
  if (next !== confirmation) return messages.errors.newPasswordsDiffer;
  if (next.length < MIN_PASSWORD_LENGTH) return messages.errors.newPasswordTooShort(MIN_PASSWORD_LENGTH);
  if (next.length > MAX_PASSWORD_LENGTH) return messages.errors.newPasswordTooLong(MAX_PASSWORD_LENGTH);
  return undefined;
}
