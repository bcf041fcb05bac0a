/** The JWE algorithms latchkey encrypts responses with (RFC 7518 §4, §5), and which client keys can receive them. */
import type { JWK } from 'jose';

/** Key management algorithms latchkey encrypts with: to the client's RSA or elliptic-curve keys. */
export const KEY_ENCRYPTION_ALGORITHMS = ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'] as const;
/** Content encryption algorithms (RFC 7518 §5). */
export const CONTENT_ENCRYPTION_ALGORITHMS = ['A128CBC-HS256', 'A256CBC-HS512', 'A128GCM', 'A256GCM'] as const;
/** OIDC Registration §2: the `enc` when a client names only the `alg`. */
export const DEFAULT_CONTENT_ENCRYPTION = 'A128CBC-HS256';

/** The responses a client can have encrypted, by the prefix of their metadata fields. */
export const ENCRYPTABLE_RESPONSES = ['id_token', 'userinfo', 'authorization'] as const;
export type EncryptableResponse = (typeof ENCRYPTABLE_RESPONSES)[number];

/** Whether `jwk` can receive a key wrapped or agreed with `alg`: its type fits, and its `use` and `alg` allow it. */
export function canEncryptTo(jwk: JWK, alg: string): boolean {
  if (jwk.use !== undefined && jwk.use !== 'enc') return false;
  if (jwk.alg !== undefined && jwk.alg !== alg) return false;
  if (jwk.d !== undefined) return false;
  return alg.startsWith('RSA-') ? jwk.kty === 'RSA' : jwk.kty === 'EC' || (jwk.kty === 'OKP' && jwk.crv?.startsWith('X') === true);
}
