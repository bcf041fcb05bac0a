import { availableParallelism } from 'node:os';
import { createLimiter } from '../util/limiter.js';

/**
 * The argon2 binding, loaded at the first password hashed or checked: a server that only issues
 * tokens to clients never needs it, and it is a tenth of an idle process's memory.
 */
let argon2: Promise<typeof import('@node-rs/argon2')> | undefined;
const loadArgon2 = () => (argon2 ??= import('@node-rs/argon2'));

/**
 * argon2id at the OWASP Password Storage Cheat Sheet's first recommendation: 19 MiB of memory,
 * 2 iterations, 1 lane. About 10 ms on one core of the machines we measure on.
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html
 */
const ARGON2ID = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Password hashes computed at once: as many as this process has cores (its CPU affinity counted).
 * More only share the cores and thrash the caches with 19 MiB each — fewer logins per second, not
 * more — and a flood of login attempts would hold that much memory per attempt.
 */
const oneHashPerCore = createLimiter(availableParallelism());

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
 * usernames exist.
 */
export async function verifyPassword(password: string, passwordHash: string | undefined): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  if (passwordHash === undefined) {
    decoyHash ??= hashPassword(crypto.randomUUID());
    const [{ verify }, decoy] = await Promise.all([loadArgon2(), decoyHash]);
    await oneHashPerCore(() => verify(decoy, password));
    return false;
  }
  const { verify } = await loadArgon2();
  try {
    return await oneHashPerCore(() => verify(passwordHash, password));
  } catch {
    return false; // a malformed stored hash never authenticates
  }
}
