import type { ProviderContext } from '../core/context.js';
import type { SigningAlgorithm } from '../keys/algorithms.js';
import { signJwtTogether } from '../keys/jws.js';
import { sealForClient } from './encryption.js';
import type { ClientRecord } from '../storage/types.js';
import { sha256, sha512 } from '../util/digest.js';
import { subjectFor } from './subject.js';

/** What an ID token says about the authentication. */
export interface IdTokenInput {
  client: ClientRecord;
  /** The account's identifier; the ID token carries the client's view of it (`subjectFor`). */
  sub: string;
  auth_time?: number;
  amr?: string[];
  acr?: string;
  sid?: string;
  /** Echoed from the authorization request (OIDC Core §3.1.3.6: MUST be present when it was sent). */
  nonce?: string;
  /** The access token issued with it, hashed into `at_hash`. */
  access_token?: string;
  /** The authorization code issued with it at the authorization endpoint, hashed into `c_hash` (OIDC Core §3.3.2.11). */
  code?: string;
  /** End-user claims to carry in the ID token itself (OIDC Core §5.4: when no access token is issued). */
  claims?: Record<string, unknown>;
}

/** Claims only latchkey sets in an ID token; an account's claims never supply them. */
const PROTOCOL_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'nonce', 'auth_time', 'amr', 'acr', 'azp', 'sid', 'at_hash', 'c_hash', 's_hash']);

/**
 * Issues an ID token signed with the client's `id_token_signed_response_alg` (RS256 by default),
 * and encrypted to it when it registered `id_token_encrypted_response_alg`.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 */
export async function issueIdToken(input: IdTokenInput, ctx: ProviderContext): Promise<string> {
  const alg = input.client.id_token_signed_response_alg as SigningAlgorithm;
  const key = await ctx.keys.signingKey(alg);
  const now = ctx.clock.now();
  const claims: Record<string, unknown> = {
    iss: ctx.config.issuer,
    sub: subjectFor(input.client, input.sub, ctx),
    aud: input.client.client_id,
    iat: now,
    exp: now + ctx.config.idTokenTtlSeconds,
  };
  // `__proto__` is no claim, and assigned it would set the object's prototype instead.
  for (const [name, value] of Object.entries(input.claims ?? {})) if (!PROTOCOL_CLAIMS.has(name) && name !== '__proto__') claims[name] = value;
  if (input.auth_time !== undefined) claims.auth_time = input.auth_time;
  if (input.nonce !== undefined) claims.nonce = input.nonce;
  if (input.amr !== undefined) claims.amr = input.amr;
  if (input.acr !== undefined) claims.acr = input.acr;
  if (input.sid !== undefined) claims.sid = input.sid;
  if (input.access_token !== undefined) claims.at_hash = halfHash(input.access_token, alg);
  if (input.code !== undefined) claims.c_hash = halfHash(input.code, alg);
  // OIDC Core §10.2: signed, then encrypted to the client, when it asked for that.
  return sealForClient(input.client, 'id_token', await signJwtTogether(key, 'JWT', claims), ctx, { nested: true });
}

/**
 * OIDC Core §3.1.3.6 `at_hash` and §3.3.2.11 `c_hash`: base64url of the left half of the hash of the token, with the
 * hash function of the signing algorithm (SHA-512 for Ed25519).
 */
export function halfHash(value: string, alg: SigningAlgorithm): string {
  const digest = alg === 'EdDSA' ? sha512(value) : sha256(value);
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
