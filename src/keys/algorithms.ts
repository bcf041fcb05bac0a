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

/** Key generation parameters per algorithm: RSA 2048 (NIST SP 800-57 through 2030), P-256, Ed25519. */
export const KEY_GENERATION: Readonly<Record<SigningAlgorithm, { modulusLength?: number; crv?: string }>> = {
  RS256: { modulusLength: 2048 },
  PS256: { modulusLength: 2048 },
  ES256: {},
  EdDSA: { crv: 'Ed25519' },
};
