/**
 * What clients encrypt to latchkey: a compact JWE (RFC 7516) to one of its published decryption
 * keys (`RSA-OAEP-256`, `ECDH-ES`; in the JWKS with `use: enc`), named by `kid` or, without one,
 * the current key of the `alg`. Request objects (RFC 9101 §6.1) and `id_token_hint`s re-encrypted
 * by the client (OIDC Core §3.1.2.1) come this way.
 */
import type { KeyObject } from 'node:crypto';
import { compactDecrypt, errors, type CompactJWEHeaderParameters } from 'jose';
import { DECRYPTION_ALGORITHMS, isDecryptionAlgorithm } from './algorithms.js';
import { CONTENT_ENCRYPTION_ALGORITHMS } from './encryption-algorithms.js';
import type { Keyring } from './keyring.js';

/** The shape of a compact JWE: five base64url parts (the encrypted key empty for `dir`). */
export const COMPACT_JWE = /^[\w-]+\.[\w-]*\.[\w-]*\.[\w-]+\.[\w-]*$/;

/** A JWE latchkey cannot or will not decrypt; `message` completes "… the JWE" in what the caller says (e.g. "could not be decrypted"). */
export class NotDecrypted extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotDecrypted';
  }
}

/**
 * The plaintext of `jwe`, decrypted with latchkey's key.
 * @throws NotDecrypted — an algorithm latchkey does not decrypt, a key it does not publish, or a
 * JWE that does not decrypt with the key it names.
 */
export async function decryptForProvider(jwe: string, keys: Keyring): Promise<Uint8Array> {
  try {
    const { plaintext } = await compactDecrypt(jwe, (header) => keyFor(header, keys), {
      keyManagementAlgorithms: [...DECRYPTION_ALGORITHMS],
      contentEncryptionAlgorithms: [...CONTENT_ENCRYPTION_ALGORITHMS],
    });
    return plaintext;
  } catch (error) {
    if (error instanceof NotDecrypted) throw error;
    if (error instanceof errors.JOSEAlgNotAllowed) {
      throw new NotDecrypted(`must be encrypted with ${DECRYPTION_ALGORITHMS.join(' or ')} and ${CONTENT_ENCRYPTION_ALGORITHMS.join(', ')}`, { cause: error });
    }
    throw new NotDecrypted('could not be decrypted', { cause: error });
  }
}

async function keyFor(header: CompactJWEHeaderParameters, keys: Keyring): Promise<KeyObject> {
  const alg = header.alg;
  // The allow-list of compactDecrypt has refused every other alg already.
  if (!isDecryptionAlgorithm(alg)) throw new NotDecrypted(`is encrypted with ${alg}`);
  const key = await keys.decryptionKey(alg, header.kid);
  if (key === undefined) throw new NotDecrypted(`is encrypted to a key latchkey does not publish (kid ${header.kid ?? 'absent'})`);
  return key;
}
