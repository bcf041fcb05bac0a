import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * SHA-256 of a bearer value, base64url-encoded. Codes, tokens, session ids and client secrets are
 * stored only as this digest: a copy of the database does not yield a usable credential.
 */
export function digestSecret(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

/** SHA-256 of `value`, raw bytes. */
export function sha256(value: string | Uint8Array): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Compares two strings in time independent of where they differ. Both are hashed first so that
 * their lengths, which `timingSafeEqual` would otherwise reveal, leak nothing either.
 */
export function timingSafeEqualStrings(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}
