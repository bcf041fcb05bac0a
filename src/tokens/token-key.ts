import { digestSecret } from '../util/digest.js';
import { randomToken } from '../util/random.js';

/** An opaque token starts with its issue time: milliseconds, 6 bytes big-endian, 8 base64url characters. */
const TIME_BYTES = 6;
const TIME_CHARS = 8;
/** The time, then 32 random bytes (43 characters). */
const OPAQUE_TOKEN_CHARS = TIME_CHARS + 43;

/**
 * A new opaque access or refresh token: its issue time in milliseconds, then 256 random bits,
 * base64url (51 characters). The time is no secret (introspection tells `iat`); it is there so
 * that `tokenKey` can put the rows of tokens issued together next to each other.
 */
export function newOpaqueToken(now = Date.now()): string {
  const time = Buffer.allocUnsafe(TIME_BYTES);
  time.writeUIntBE(now, 0, TIME_BYTES);
  return time.toString('base64url') + randomToken();
}

/**
 * The key a token's row is stored and found under (`TokenRecord.token_digest`): the token's
 * SHA-256 digest, after — for a token made by `newOpaqueToken` — its issue time in hex. Rows
 * written in one commit then sit on the last pages of the primary key's index, where random
 * digests alone put each on a page of its own (every such page is written whole to the WAL).
 * Any other value — a JWT, a token issued before tokens carried their time, a guess — is keyed
 * by its digest alone, as every token was before.
 */
export function tokenKey(token: string): string {
  const digest = digestSecret(token);
  if (token.length !== OPAQUE_TOKEN_CHARS) return digest;
  return `${Buffer.from(token.slice(0, TIME_CHARS), 'base64url').toString('hex')}.${digest}`;
}
