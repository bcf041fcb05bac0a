import { digestSecret } from '../util/digest.js';
import { randomToken } from '../util/random.js';

/** An opaque token starts with its issue time: milliseconds, 6 bytes big-endian, 8 base64url characters. */
const TIME_BYTES = 6;
const TIME_CHARS = 8;
/** The time, then 32 random bytes (43 characters). */
const OPAQUE_TOKEN_CHARS = TIME_CHARS + 43;
/** The largest time 6 bytes hold, in milliseconds (the year 10889). */
const MAX_TIME_MS = 2 ** 48 - 1;

/**
 * A new opaque access or refresh token: its issue time in milliseconds, then 256 random bits,
 * base64url (51 characters). The time is no secret (introspection tells `iat`); it is there so
 * that `tokenKey` can put the rows of tokens issued together next to each other. `secretPart`:
 * 256 bits made otherwise than at random, as unguessable (a rotated refresh token's successor).
 */
export function newOpaqueToken(now = Date.now(), secretPart = randomToken()): string {
  const time = Buffer.allocUnsafe(TIME_BYTES);
  time.writeUIntBE(now, 0, TIME_BYTES);
  return time.toString('base64url') + secretPart;
}

/**
 * The key a token's row is stored and found under (`TokenRecord.token_digest`): the token's
 * SHA-256 digest, after its issue time in milliseconds as 12 hex digits — for a token made by
 * `newOpaqueToken`, the time it starts with; for a JWT access token, its `iat` claim. Rows
 * written in one commit then sit on the last pages of the primary key's index, where random
 * digests alone put each on a page of its own (every such page is written whole to the WAL).
 * Any other value — a token issued before tokens carried their time, a guess — is keyed by its
 * digest alone, as every token was before. The time is only where the row is filed: a value
 * whose digest differs finds nothing, whatever time it claims.
 */
export function tokenKey(token: string): string {
  const time = token.length === OPAQUE_TOKEN_CHARS ? Buffer.from(token.slice(0, TIME_CHARS), 'base64url').readUIntBE(0, TIME_BYTES) : jwtIssueTimeMs(token);
  return keyAt(token, time);
}

/**
 * `tokenKey` of a JWT just signed with the claim `iat`, without reading it back from the token:
 * for the issuer, which has the claims at hand (decoding and parsing the payload again cost a
 * JWT access token's issuance 2–4 µs).
 */
export function signedJwtKey(token: string, iat: number): string {
  return keyAt(token, iatMs(iat));
}

/** The digest of `token`, after `timeMs` in hex when there is one. */
function keyAt(token: string, timeMs: number | undefined): string {
  const digest = digestSecret(token);
  return timeMs === undefined ? digest : `${timeMs.toString(16).padStart(12, '0')}.${digest}`;
}

/**
 * The keys to look a presented token up under, in order: `tokenKey`, then — for a JWT, stored
 * under its digest alone before JWTs were filed under their `iat` — that digest.
 */
export function tokenKeys(token: string): string[] {
  const key = tokenKey(token);
  // A digest is base64url, without a dot: after the dot of a time-filed key is the digest alone.
  const dot = key.indexOf('.');
  return token.length !== OPAQUE_TOKEN_CHARS && dot >= 0 ? [key, key.slice(dot + 1)] : [key];
}

/**
 * The `iat` of a compact JWS, in milliseconds; undefined when `token` is not three base64url
 * parts whose middle one is a JSON object with a whole, non-negative `iat` in range. Nothing is
 * verified: this only says where a row would be filed.
 */
function jwtIssueTimeMs(token: string): number | undefined {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(token.slice(first + 1, second), 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  return iatMs((payload as { iat?: unknown } | null)?.iat);
}

/** An `iat` claim in milliseconds, when it is a whole, non-negative number of seconds that the key's time holds. */
function iatMs(iat: unknown): number | undefined {
  if (typeof iat !== 'number' || !Number.isSafeInteger(iat) || iat < 0) return undefined;
  const ms = iat * 1000;
  return ms <= MAX_TIME_MS ? ms : undefined;
}
