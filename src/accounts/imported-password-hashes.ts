/**
 * Password hashes made by other systems, kept when their accounts move to latchkey, so that people
 * sign in with the passwords they have: bcrypt (`$2a$`, `$2b$`, `$2y$`, as Auth0, Okta and most
 * frameworks export them) and PBKDF2 in the PHC string format (`$pbkdf2-sha512$i=…$salt$hash`,
 * sha256 and sha1 too: Keycloak's, Django's and ASP.NET's, converted). At a person's first login
 * the password is checked against the hash they came with and then hashed again with argon2id
 * (`needsRehash`, `AccountStore.replacePasswordHash`): an imported hash lives until its owner
 * signs in once.
 *
 * The work a hash may ask of a login is bounded: bcrypt cost at most 16 (about four seconds),
 * PBKDF2 at most ten million iterations, argon2 at most 256 MiB, 10 passes and 8 lanes — a hash
 * beyond them is refused when it is imported, as one a login could be made to stall on.
 */
import { pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

/** The bcrypt binding, loaded at the first bcrypt hash checked: most servers never see one. */
let bcrypt: Promise<typeof import('@node-rs/bcrypt')> | undefined;
const loadBcrypt = () => (bcrypt ??= import('@node-rs/bcrypt'));

const pbkdf2Async = promisify(pbkdf2);

/** bcrypt's modular crypt format: version, cost (4–16 here), 22 characters of salt and 31 of hash. */
const BCRYPT = /^\$2[aby]\$(0[4-9]|1[0-6])\$[./A-Za-z0-9]{53}$/;

/** PBKDF2 as a PHC string: `$pbkdf2-<hash>$i=<iterations>[,l=<length>]$<salt>$<derived key>`, both in base64 (padding optional). */
const PBKDF2 = /^\$pbkdf2-(sha1|sha256|sha512)\$i=([1-9]\d{0,7})(?:,l=([1-9]\d{0,2}))?\$([A-Za-z0-9+/]{4,}={0,2})\$([A-Za-z0-9+/]{16,}={0,2})$/;
const MAX_PBKDF2_ITERATIONS = 10_000_000;

/** argon2 as a PHC string, as any argon2 library makes it (latchkey's own among them). */
const ARGON2 = /^\$argon2(?:id|i|d)\$v=(?:16|19)\$m=(\d{1,9}),t=(\d{1,3}),p=(\d{1,2})\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{16,}$/;
const MAX_ARGON2 = { memoryKiB: 262_144, passes: 10, lanes: 8 } as const;

/** Which algorithm made `hash`, when it is one latchkey checks passwords against within the bounds above. */
export function passwordHashAlgorithm(hash: string): 'argon2' | 'bcrypt' | 'pbkdf2' | undefined {
  const argon2 = ARGON2.exec(hash);
  if (argon2) return Number(argon2[1]) <= MAX_ARGON2.memoryKiB && Number(argon2[2]) <= MAX_ARGON2.passes && Number(argon2[3]) <= MAX_ARGON2.lanes ? 'argon2' : undefined;
  if (BCRYPT.test(hash)) return 'bcrypt';
  const pbkdf2Hash = PBKDF2.exec(hash);
  if (pbkdf2Hash) {
    const length = Buffer.from(pbkdf2Hash[5]!, 'base64').length;
    const declared = pbkdf2Hash[3] === undefined ? length : Number(pbkdf2Hash[3]);
    return Number(pbkdf2Hash[2]) <= MAX_PBKDF2_ITERATIONS && declared === length ? 'pbkdf2' : undefined;
  }
  return undefined;
}

/** What `passwordHashAlgorithm` accepts, as a sentence for an administrator who gave something else. */
export const PASSWORD_HASH_FORMATS = 'an argon2 PHC string ($argon2id$…, at most 256 MiB, t=10, p=8), a bcrypt hash ($2a$/$2b$/$2y$, cost 4–16) or PBKDF2 as a PHC string ($pbkdf2-sha256$i=ITERATIONS$SALT$KEY, sha1/sha256/sha512, base64, at most 10 000 000 iterations)';

/**
 * Whether `password` is the one `hash` was made from, for a bcrypt or PBKDF2 hash
 * (`passwordHashAlgorithm`); false for any other. The derived keys are compared in constant time.
 */
export async function verifyImportedHash(hash: string, password: string): Promise<boolean> {
  const algorithm = passwordHashAlgorithm(hash);
  if (algorithm === 'bcrypt') return (await loadBcrypt()).verify(password, hash);
  if (algorithm !== 'pbkdf2') return false;
  const [, digest, iterations, , salt, key] = PBKDF2.exec(hash)!;
  const expected = Buffer.from(key!, 'base64');
  const derived = await pbkdf2Async(password, Buffer.from(salt!, 'base64'), Number(iterations), expected.length, digest!);
  return timingSafeEqual(derived, expected);
}
