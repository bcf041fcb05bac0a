import { randomFillSync, randomUUID } from 'node:crypto';

/**
 * Random bytes drawn from the CSPRNG a pool at a time and handed out once each, as Node does for
 * `randomUUID`: one `randomBytes(32)` call costs some 6 µs (a buffer and a trip into OpenSSL),
 * a slice of the pool a few hundred nanoseconds. No byte is handed out twice; the pool is
 * refilled whole when it runs out.
 */
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let poolOffset = POOL_BYTES;

/**
 * A fresh unguessable value, base64url-encoded. 32 bytes = 256 bits of entropy, the size used
 * for every bearer value latchkey hands out (codes, tokens, session ids, client secrets).
 */
export function randomToken(bytes = 32): string {
  if (bytes > POOL_BYTES) return randomFillSync(Buffer.allocUnsafe(bytes)).toString('base64url');
  if (poolOffset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const token = pool.toString('base64url', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return token;
}

/** A random RFC 9562 version-4 UUID, used for identifiers that are not secrets (sub, grant ids). */
export function randomId(): string {
  return randomUUID();
}
