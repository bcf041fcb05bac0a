import * as crypto from 'node:crypto';

/**
 * A digest in one call: Node's one-shot `crypto.hash` (Node ≥ 20.12) where there is one — three
 * times faster than a `Hash` object for values this small, and tokens are digested on every
 * request — else through `createHash`.
 */
const digestOf: (algorithm: 'sha256' | 'sha512', value: string | Uint8Array, encoding: 'base64url' | 'buffer') => string | Buffer =
  typeof crypto.hash === 'function'
    ? (algorithm, value, encoding) => crypto.hash(algorithm, value, encoding)
    : (algorithm, value, encoding) => {
        const hash = crypto.createHash(algorithm).update(value);
        return encoding === 'buffer' ? hash.digest() : hash.digest(encoding);
      };

/**
 * SHA-256 of a bearer value, base64url-encoded. Codes, tokens, session ids and client secrets are
 * stored only as this digest: a copy of the database does not yield a usable credential.
 */
export function digestSecret(value: string): string {
  return digestOf('sha256', value, 'base64url') as string;
}

/** SHA-256 of `value`, raw bytes. */
export function sha256(value: string | Uint8Array): Buffer {
  return digestOf('sha256', value, 'buffer') as Buffer;
}

/** SHA-512 of `value`, raw bytes. */
export function sha512(value: string | Uint8Array): Buffer {
  return digestOf('sha512', value, 'buffer') as Buffer;
}

/**
 * Whether `presented` is the secret whose `digestSecret` is `storedDigest`, in time independent
 * of where they differ: the two digests are compared as bytes, and both are 32 bytes long
 * whatever was presented (a stored value of another length never matches).
 */
export function matchesDigest(presented: string, storedDigest: string): boolean {
  const stored = Buffer.from(storedDigest, 'base64url');
  return stored.length === 32 && crypto.timingSafeEqual(sha256(presented), stored);
}

/**
 * Compares two strings in time independent of where they differ. Both are hashed first so that
 * their lengths, which `timingSafeEqual` would otherwise reveal, leak nothing either.
 */
export function timingSafeEqualStrings(a: string, b: string): boolean {
  return crypto.timingSafeEqual(sha256(a), sha256(b));
}
