/**
 * JWS algorithms latchkey accepts on client assertions (RFC 7523, OIDC Core §9): HMAC with the
 * client secret for `client_secret_jwt`, public-key signatures for `private_key_jwt`. `none` is
 * never accepted.
 */
export const SECRET_JWT_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
export const PRIVATE_KEY_JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

/** Every algorithm a client assertion may use, as discovery advertises them. */
export const ASSERTION_ALGORITHMS: readonly string[] = [...PRIVATE_KEY_JWT_ALGORITHMS, ...SECRET_JWT_ALGORITHMS];

/** The algorithms allowed for a client's authentication method. */
export function assertionAlgorithmsFor(method: string): readonly string[] {
  if (method === 'client_secret_jwt') return SECRET_JWT_ALGORITHMS;
  if (method === 'private_key_jwt') return PRIVATE_KEY_JWT_ALGORITHMS;
  return [];
}
