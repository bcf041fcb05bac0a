import { createCipheriv, createDecipheriv, hkdfSync, randomFillSync } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';

/**
 * A 256-bit key derived from `secret` with HKDF-SHA-256 (RFC 5869). `purpose` is HKDF's info: keys
 * for different purposes are independent, even under the same secret.
 */
export function deriveKey(secret: string, purpose: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'latchkey', purpose, 32));
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

/** AES-256-GCM's nonce and tag lengths, in bytes. */
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals `value` (JSON-serialized) for a short-lived record that only latchkey reads back: AES-256-GCM
 * through `node:crypto` under `deriveKey(secret, purpose)`, as `iv.ciphertext.tag` in base64url.
 * What `seal` guarantees (confidentiality, integrity, keys independent per purpose), at about a
 * third of the CPU: a JWE goes through WebCrypto, where every call imports its key and runs as a
 * job on the thread pool, which costs more than the encryption of a token response. For a value
 * kept longer, or that tools may read (keys at rest), `seal`.
 */
export function sealRecord(value: unknown, secret: string, purpose: string): string {
  const iv = randomFillSync(Buffer.allocUnsafe(IV_BYTES));
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secret, purpose), iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return `${iv.toString('base64url')}.${ciphertext.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
}

/**
 * Opens a value sealed by `sealRecord` with the same secret and purpose.
 * @throws Error when the secret or purpose differ, or the record was altered (the GCM tag fails).
 */
export function unsealRecord<T>(sealed: string, secret: string, purpose: string): T {
  const [iv, ciphertext, tag, ...rest] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (iv?.length !== IV_BYTES || ciphertext === undefined || tag?.length !== TAG_BYTES || rest.length > 0) throw new Error('not a sealed record');
  const decipher = createDecipheriv('aes-256-gcm', deriveKey(secret, purpose), iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(tag);
  const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  return JSON.parse(plaintext.toString('utf8')) as T;
}
