/**
 * JWS algorithms latchkey signs with. RS256 is the default (OIDC Core §15.1: every OP MUST
 * support it); clients may choose another with `id_token_signed_response_alg`. `none` is never
 * offered. HMAC algorithms are not offered for ID tokens: they would need the client secret in
 * clear, which latchkey stores only as a digest.
 */
export const SIGNING_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;

export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** The algorithm used when a client registers none. */
export const DEFAULT_SIGNING_ALGORITHM: SigningAlgorithm = 'RS256';

/** True when latchkey signs with `alg`. */
export function isSigningAlgorithm(alg: string): alg is SigningAlgorithm {
  return (SIGNING_ALGORITHMS as readonly string[]).includes(alg);
}

/**
 * JWE key management algorithms latchkey decrypts with: what clients encrypt request objects to it
 * with (RFC 9101 §6.1, OIDC Core §6.1). latchkey holds one key of each, published in its JWKS with
 * `use: enc` and that `alg`, and rotated as the signing keys are.
 */
export const DECRYPTION_ALGORITHMS = ['RSA-OAEP-256', 'ECDH-ES'] as const;

export type DecryptionAlgorithm = (typeof DECRYPTION_ALGORITHMS)[number];

/** Every kind of key latchkey holds, by the algorithm it is for: signing keys, then decryption keys. */
export const KEY_ALGORITHMS = [...SIGNING_ALGORITHMS, ...DECRYPTION_ALGORITHMS] as const;

export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

/** True when latchkey decrypts with `alg`. */
export function isDecryptionAlgorithm(alg: string): alg is DecryptionAlgorithm {
  return (DECRYPTION_ALGORITHMS as readonly string[]).includes(alg);
}

/** True when latchkey holds keys for `alg`. */
export function isKeyAlgorithm(alg: string): alg is KeyAlgorithm {
  return (KEY_ALGORITHMS as readonly string[]).includes(alg);
}

/** Key generation parameters per algorithm: RSA 2048 (NIST SP 800-57 through 2030), P-256, Ed25519. */
export const KEY_GENERATION: Readonly<Record<KeyAlgorithm, { modulusLength?: number; crv?: string }>> = {
  RS256: { modulusLength: 2048 },
  PS256: { modulusLength: 2048 },
  ES256: {},
  EdDSA: { crv: 'Ed25519' },
  'RSA-OAEP-256': { modulusLength: 2048 },
  'ECDH-ES': { crv: 'P-256' },
};
