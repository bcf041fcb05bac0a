import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { KeyRecord, KeyState } from '../storage/types.js';
import { isSigningAlgorithm, KEY_GENERATION, type KeyAlgorithm } from './algorithms.js';
import { encryptPrivateJwk } from './private-key-encryption.js';

/**
 * Generates a key pair for `alg`: a signing key (`use: sig`) or a decryption key (`use: enc`).
 * The `kid` is the RFC 7638 thumbprint of the public key; the private JWK is encrypted under the
 * master secret before it leaves this function.
 */
export async function generateKey(alg: KeyAlgorithm, state: KeyState, secret: string, now: number): Promise<KeyRecord> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { ...KEY_GENERATION[alg], extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const privateJwk = await exportJWK(privateKey);
  return {
    kid,
    alg,
    state,
    public_jwk: { ...publicJwk, kid, alg, use: isSigningAlgorithm(alg) ? 'sig' : 'enc' },
    private_jwk_encrypted: await encryptPrivateJwk({ ...privateJwk, kid, alg }, secret),
    created_at: now,
    updated_at: now,
  };
}
