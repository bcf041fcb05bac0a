/** DPoP keys and proofs (RFC 9449) for in-process tests. */
import { createHash, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { TestProvider } from './index.js';

/** A client's DPoP key pair, and its thumbprint. */
export interface DpopKey {
  privateKey: CryptoKey;
  jwk: JWK;
  jkt: string;
}

export async function dpopKey(alg = 'ES256'): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk, 'sha256') };
}

/** A DPoP proof by `key` for `htm` `htu` (RFC 9449 §4.2); `claims` and `header` replace the defaults. */
export function dpopProof(tp: TestProvider, key: DpopKey, htm: string, htu: string, options: { claims?: Record<string, unknown>; header?: Record<string, unknown>; accessToken?: string; signWith?: CryptoKey } = {}): Promise<string> {
  const claims = {
    jti: randomUUID(),
    htm,
    htu,
    iat: tp.clock.now(),
    ...(options.accessToken === undefined ? {} : { ath: createHash('sha256').update(options.accessToken).digest('base64url') }),
    ...options.claims,
  };
  return new SignJWT(claims).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: key.jwk, ...options.header }).sign(options.signWith ?? key.privateKey);
}
