import { randomBytes, randomUUID } from 'node:crypto';

/**
 * A fresh unguessable value, base64url-encoded. 32 bytes = 256 bits of entropy, the size used
 * for every bearer value latchkey hands out (codes, tokens, session ids, client secrets).
 */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A random RFC 9562 version-4 UUID, used for identifiers that are not secrets (sub, grant ids). */
export function randomId(): string {
  return randomUUID();
}
