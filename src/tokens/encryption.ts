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

type EncryptingClient = EncryptionMetadata & Pick<ClientMetadata, 'jwks' | 'jwks_uri'> & { client_id: string };

/**
 * The key `response` is to be encrypted to for `client` — the first of its keys (`jwks`, or
 * `jwks_uri` through the cache) that can receive its alg — with its choice; undefined when it
 * wants `response` unencrypted. A grant that spends a code calls it before (`ensureEncryptionKey`).
 * @throws ServerError when the client has no such key any more (its registration was checked for
 *   one: a `jwks_uri` that changed since, or cannot be read).
 */
async function encryptionKeyFor(client: EncryptingClient, response: EncryptableResponse, ctx: ProviderContext): Promise<{ choice: EncryptionChoice; jwk: JWK } | undefined> {
  const choice = encryptionFor(client, response);
  if (choice === undefined) return undefined;
  let keys: JWK[] = [];
  try {
    keys = client.jwks?.keys ?? (client.jwks_uri === undefined ? [] : ((await ctx.remoteKeySets.get(client.jwks_uri)).keys as JWK[]));
  } catch (error) {
    throw new ServerError(`the keys of client ${client.client_id} could not be read to encrypt its response`, { cause: error });
  }
  const jwk = keys.find((candidate) => canEncryptTo(candidate, choice.alg));
  if (jwk === undefined) throw new ServerError(`client ${client.client_id} has no key to encrypt its response with ${choice.alg}`);
  return { choice, jwk };
}

/**
 * Fails now, as `sealForClient` would later, when `client` wants `response` encrypted and has no
 * key for it: for a grant about to spend a single-use code (a code, a device code) on tokens it
 * could not deliver.
 * @throws ServerError
 */
export async function ensureEncryptionKey(client: EncryptingClient, response: EncryptableResponse, ctx: ProviderContext): Promise<void> {
  await encryptionKeyFor(client, response, ctx);
}

/**
 * `plaintext` as `client` asked to receive `response`: as it is, or — when it registered
 * `<response>_encrypted_response_alg` — as a compact JWE to its key (`encryptionKeyFor`).
 * `nested`: the plaintext is a signed JWT (`cty: JWT`).
 * @throws ServerError when the client has no such key any more.
 */
export async function sealForClient(client: EncryptingClient, response: EncryptableResponse, plaintext: string, ctx: ProviderContext, options: { nested: boolean }): Promise<string> {
  const found = await encryptionKeyFor(client, response, ctx);
  if (found === undefined) return plaintext;
  const { choice, jwk } = found;
  const key = await importJWK(jwk, choice.alg);
  return new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader({ alg: choice.alg, enc: choice.enc, ...(jwk.kid === undefined ? {} : { kid: jwk.kid }), ...(options.nested ? { cty: 'JWT' } : {}) })
    .encrypt(key);
}
