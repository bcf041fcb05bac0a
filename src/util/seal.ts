import { hkdfSync } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';

/**
 * A 256-bit key derived from `secret` with HKDF-SHA-256 (RFC 5869). `purpose` is HKDF's info: keys
 * for different purposes are independent, even under the same secret.
 */
export function deriveKey(secret: string, purpose: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'latchkey', purpose, 32));
}

const derivedKeys = new Map<string, Uint8Array>();

/**
 * `deriveKey`, computed once per secret and purpose: for a key used on every request (HKDF costs
 * some 10 µs a call). The secrets of a process are few (the master secret, in tests a handful).
 */
export function derivedKey(secret: string, purpose: string): Uint8Array {
  const id = `${purpose}\0${secret}`;
  let key = derivedKeys.get(id);
  if (key === undefined) {
    key = deriveKey(secret, purpose);
    derivedKeys.set(id, key);
  }
  return key;
}

/**
 * Seals `value` (JSON-serialized) under `secret` for `purpose`: a compact JWE (`dir`, `A256GCM`)
 * under `deriveKey(secret, purpose)`. A value sealed for one purpose cannot be opened for another.
 */
export async function seal(value: unknown, secret: string, purpose: string, contentType?: string): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(value)))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', ...(contentType === undefined ? {} : { cty: contentType }) })
    .encrypt(deriveKey(secret, purpose));
}

/**
 * Opens a value sealed by `seal` with the same secret and purpose.
 * @throws Error when the secret or purpose differ, or the JWE was altered (the GCM tag fails).
 */
export async function unseal<T>(jwe: string, secret: string, purpose: string): Promise<T> {
  const { plaintext } = await compactDecrypt(jwe, deriveKey(secret, purpose));
  return JSON.parse(new TextDecoder().decode(plaintext)) as T;
}
