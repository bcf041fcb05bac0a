import { constants, sign, type KeyObject } from 'node:crypto';
import { togetherAfterReactions } from '../util/turn-end.js';
import type { SigningAlgorithm } from './algorithms.js';

/** A private key ready to sign with: Node's key object, for its one-shot `sign`. */
export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  key: KeyObject;
}

/**
 * Each algorithm's signature over the JWS signing input, as RFC 7518 §3 and RFC 8037 §3.1 define
 * it, computed by node:crypto (OpenSSL).
 */
const SIGNATURES: Readonly<Record<SigningAlgorithm, (input: Buffer, key: KeyObject) => Buffer>> = {
  // RFC 7518 §3.3: RSASSA-PKCS1-v1_5 with SHA-256.
  RS256: (input, key) => sign('sha256', input, key),
  // RFC 7518 §3.5: RSASSA-PSS with SHA-256, MGF1 with SHA-256, a salt as long as the hash.
  PS256: (input, key) => sign('sha256', input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
  // RFC 7518 §3.4: ECDSA P-256 with SHA-256, the signature as R ‖ S (32 octets each), not DER.
  ES256: (input, key) => sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' }),
  // RFC 8037 §3.1: Ed25519 over the input itself (no separate digest).
  EdDSA: (input, key) => sign(null, input, key),
};

/**
 * `claims` as a JWT: a JWS in compact serialization (RFC 7515 §7.1) with the protected header
 * `{ alg, kid, typ }`, signed by `key`.
 *
 * Why not jose's `SignJWT`, which latchkey uses everywhere else (keys, verification, JWKS,
 * encryption): in Node, jose signs through WebCrypto, an asynchronous job per signature. Node's
 * synchronous `sign` over the same OpenSSL primitive costs 40 % less CPU for ES256 (34 against
 * 57–61 µs per signature on one core, measured side by side; RS256 about 5 % less), and an ID token
 * is signed on every code exchange and refresh. What this adds is only the serialization: three
 * base64url segments joined by dots. Every algorithm's output is verified with jose in jws.test.ts.
 */
export function signJwt(key: SigningKey, typ: string, claims: Readonly<Record<string, unknown>>): string {
  const input = `${base64urlJson({ alg: key.alg, kid: key.kid, typ })}.${base64urlJson(claims)}`;
  return `${input}.${SIGNATURES[key.alg](Buffer.from(input, 'latin1'), key.key).toString('base64url')}`;
}

/**
 * `signJwt`, made back to back with the other signatures asked for in the same run of promise
 * reactions (`togetherAfterReactions`): for ID tokens, which a code exchange or a refresh signs
 * once the commit that consumed its code or rotated its refresh token has set it going again.
 * There, between each request's account read, token minting and row writes, an ES256 signature
 * cost 54–62 µs of CPU where a loop signs in 39 (a slow hour of the machine); made together
 * (with two digests fewer, see pkce.ts and `halfHash`), a code exchange cost 0.95× the CPU and a
 * refresh 0.94× (the middle of three side-by-side runs). Access tokens are signed where a turn's
 * requests are handled back to back already: deferred so, they measured no better.
 */
export function signJwtTogether(key: SigningKey, typ: string, claims: Readonly<Record<string, unknown>>): Promise<string> {
  return togetherAfterReactions(() => signJwt(key, typ, claims));
}

function base64urlJson(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
