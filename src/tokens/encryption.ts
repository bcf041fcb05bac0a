/**
 * Responses encrypted to the client (OIDC Core §10.2, OIDC Registration §2, JARM §2.2): a client
 * that registered `<response>_encrypted_response_alg` (and optionally `…_enc`) gets its ID tokens,
 * UserInfo answers or JWT authorization responses as a JWE made with one of its registered public
 * keys — signed first, then encrypted (a nested JWT, `cty: JWT`), so that only the client can read
 * them and it still knows latchkey wrote them.
 */
import { CompactEncrypt, importJWK, type JWK } from 'jose';
import type { ProviderContext } from '../core/context.js';
import { ServerError } from '../core/errors.js';
import { canEncryptTo, DEFAULT_CONTENT_ENCRYPTION, type EncryptableResponse } from '../keys/encryption-algorithms.js';
import type { ClientMetadata } from '../storage/types.js';

/** How a client wants one kind of response encrypted. */
export interface EncryptionChoice {
  alg: string;
  enc: string;
}

type EncryptionMetadata = Pick<ClientMetadata, `${EncryptableResponse}_encrypted_response_alg` | `${EncryptableResponse}_encrypted_response_enc`>;

/** The client's choice for `response`, or undefined when it wants it unencrypted. */
export function encryptionFor(client: EncryptionMetadata, response: EncryptableResponse): EncryptionChoice | undefined {
  const alg = client[`${response}_encrypted_response_alg`];
  if (alg === undefined) return undefined;
  return { alg, enc: client[`${response}_encrypted_response_enc`] ?? DEFAULT_CONTENT_ENCRYPTION };
}

/**
 * `plaintext` as `client` asked to receive `response`: as it is, or — when it registered
 * `<response>_encrypted_response_alg` — as a compact JWE to the first of its keys (`jwks`, or
 * `jwks_uri` through the cache) that can receive that alg. `nested`: the plaintext is a signed JWT
 * (`cty: JWT`).
 * @throws ServerError when the client has no such key any more (its registration was checked for
 *   one: a `jwks_uri` that changed since, or cannot be read).
 */
export async function sealForClient(
  client: EncryptionMetadata & Pick<ClientMetadata, 'jwks' | 'jwks_uri'> & { client_id: string },
  response: EncryptableResponse,
  plaintext: string,
  ctx: ProviderContext,
  options: { nested: boolean },
): Promise<string> {
  const choice = encryptionFor(client, response);
  if (choice === undefined) return plaintext;
  let keys: JWK[] = [];
  try {
    keys = client.jwks?.keys ?? (client.jwks_uri === undefined ? [] : ((await ctx.remoteKeySets.get(client.jwks_uri)).keys as JWK[]));
  } catch (error) {
    throw new ServerError(`the keys of client ${client.client_id} could not be read to encrypt its response`, { cause: error });
  }
  const jwk = keys.find((candidate) => canEncryptTo(candidate, choice.alg));
  if (jwk === undefined) throw new ServerError(`client ${client.client_id} has no key to encrypt its response with ${choice.alg}`);
  const key = await importJWK(jwk, choice.alg);
  return new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader({ alg: choice.alg, enc: choice.enc, ...(jwk.kid === undefined ? {} : { kid: jwk.kid }), ...(options.nested ? { cty: 'JWT' } : {}) })
    .encrypt(key);
}
