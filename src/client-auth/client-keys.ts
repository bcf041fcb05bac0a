import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTVerifyOptions, type JWTVerifyResult } from 'jose';
import { CLIENT_SECRET_PURPOSE } from '../core/client-registration.js';
import type { ProviderContext } from '../core/context.js';
import type { ClientRecord } from '../storage/types.js';
import { unseal } from '../util/seal.js';

/** The client has no key that could verify the JWT: no sealed secret, an expired one, or no registered keys. */
export class ClientKeyUnavailable extends Error {}

/**
 * Verifies a JWT `client` signed — a client assertion (RFC 7523) or a request object
 * (RFC 9101): HMAC (`HS*`) under the client's secret, which latchkey keeps sealed for the
 * clients that need it, or a public-key signature checked with the client's registered keys
 * (`jwks`, or `jwks_uri` fetched through the cache and fetched once more when no key matches:
 * the client may have rotated). `options.algorithms` is checked before any key is looked up.
 * @throws ClientKeyUnavailable | a jose error | OutboundError (the `jwks_uri` could not be read)
 */
export function verifyClientJwt(
  client: ClientRecord,
  jwt: string,
  options: JWTVerifyOptions & { algorithms: string[] },
  ctx: ProviderContext,
): Promise<JWTVerifyResult> {
  return jwtVerify(jwt, async (header, token) => {
    if (header.alg.startsWith('HS')) return clientSecretKey(client, ctx);
    if (client.jwks !== undefined) return createLocalJWKSet(client.jwks as JSONWebKeySet)(header, token);
    if (client.jwks_uri === undefined) throw new ClientKeyUnavailable('client has no keys');
    const uri = client.jwks_uri;
    try {
      return await createLocalJWKSet(await ctx.remoteKeySets.get(uri))(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      return createLocalJWKSet(await ctx.remoteKeySets.get(uri, { refresh: true }))(header, token);
    }
  }, options);
}

async function clientSecretKey(client: ClientRecord, ctx: ProviderContext): Promise<Uint8Array> {
  if (client.client_secret_encrypted === undefined || ctx.config.secret === undefined) throw new ClientKeyUnavailable('client has no sealed secret');
  if (client.client_secret_expires_at !== 0 && client.client_secret_expires_at <= ctx.clock.now()) throw new ClientKeyUnavailable('client secret expired');
  return new TextEncoder().encode(await unseal<string>(client.client_secret_encrypted, ctx.config.secret, CLIENT_SECRET_PURPOSE));
}
