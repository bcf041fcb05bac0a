import type { JWK } from 'jose';
import { seal, unseal } from '../util/seal.js';

const PURPOSE = 'latchkey private signing keys v1';

/** Encrypts a private JWK under the master secret: a compact JWE, `dir` + `A256GCM`. */
export async function encryptPrivateJwk(jwk: JWK, secret: string): Promise<string> {
  return seal(jwk, secret, PURPOSE, 'jwk+json');
}

/**
 * Decrypts a private JWK.
 * @throws Error when the secret is not the one the key was encrypted under (the JWE's tag fails).
 */
export async function decryptPrivateJwk(jwe: string, secret: string): Promise<JWK> {
  try {
    return await unseal<JWK>(jwe, secret, PURPOSE);
  } catch (error) {
    throw new Error('cannot decrypt a signing key: LATCHKEY_SECRET is not the secret the keys were created with', { cause: error });
  }
}
