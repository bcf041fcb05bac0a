import { decodeJwt, errors, type JWTPayload } from 'jose';
import type { ProviderContext } from '../core/context.js';
import { InvalidClient } from '../core/errors.js';
import type { ClientRecord } from '../storage/types.js';
import { digestSecret } from '../util/digest.js';
import { assertionAlgorithmsFor } from './assertion-algorithms.js';
import { ClientKeyUnavailable, verifyClientJwt } from './client-keys.js';

/** RFC 7523 §2.2: the `client_assertion_type` of a JWT client assertion. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The longest an assertion may live: its `jti` is remembered that long. */
const MAX_ASSERTION_LIFETIME_SECONDS = 600;
/** Tolerated clock difference with the client. */
const CLOCK_TOLERANCE_SECONDS = 30;

function failed(reason: string, cause?: unknown): InvalidClient {
  return new InvalidClient('client authentication failed', { cause: new Error(reason, cause === undefined ? undefined : { cause }) });
}

/**
 * The `sub` an assertion claims (the client it speaks for), read before anything is verified, to
 * find the client whose key verifies it.
 * @throws InvalidClient when the assertion is not a JWT.
 */
export function claimedClientId(assertion: string): string {
  let payload: JWTPayload;
  try {
    payload = decodeJwt(assertion);
  } catch (error) {
    throw failed('client_assertion is not a JWT', error);
  }
  if (typeof payload.sub !== 'string' || payload.sub === '') throw failed('client_assertion has no sub');
  return payload.sub;
}

/**
 * Verifies a JWT client assertion of `client` (RFC 7523 §3, OIDC Core §9):
 * - signed with an algorithm the client's method allows (HMAC with its secret for
 *   `client_secret_jwt`, its public keys for `private_key_jwt`), and with its registered
 *   `token_endpoint_auth_signing_alg` when it has one;
 * - `iss` and `sub` are the client_id;
 * - `aud` identifies this server: its issuer identifier (what RFC 7523bis requires clients to
 *   send) or, for older clients, its token endpoint URL — one string, never an array, since an
 *   assertion naming several audiences could be replayed at another server;
 * - `exp` present and not passed, and at most 10 minutes ahead; `nbf`/`iat` not in the future;
 * - `jti` present and never seen before from this client (kept until the assertion expires).
 * @throws InvalidClient for every failure, with the reason in `cause` only.
 */
export async function verifyClientAssertion(client: ClientRecord, assertion: string, ctx: ProviderContext): Promise<void> {
  const method = client.token_endpoint_auth_method;
  const allowed = client.token_endpoint_auth_signing_alg === undefined ? assertionAlgorithmsFor(method) : [client.token_endpoint_auth_signing_alg];
  const now = ctx.clock.now();
  const options = {
    algorithms: [...allowed],
    issuer: client.client_id,
    subject: client.client_id,
    requiredClaims: ['exp', 'jti'],
    currentDate: new Date(now * 1000),
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
  };

  if (method !== 'client_secret_jwt' && method !== 'private_key_jwt') throw failed(`client is registered for ${method}`);
  let payload: JWTPayload;
  try {
    payload = (await verifyClientJwt(client, assertion, options, ctx)).payload;
  } catch (error) {
    if (error instanceof ClientKeyUnavailable) throw failed(error.message);
    throw failed(error instanceof errors.JOSEError ? `client_assertion rejected: ${error.message}` : 'client_assertion could not be verified', error);
  }

  const audiences = new Set([ctx.urls.issuer, ctx.urls.token]);
  if (typeof payload.aud !== 'string' || !audiences.has(payload.aud)) throw failed('client_assertion aud must be the issuer identifier, as one string');
  if (payload.exp! > now + MAX_ASSERTION_LIFETIME_SECONDS) throw failed('client_assertion expires too far in the future');
  if (typeof payload.jti !== 'string' || payload.jti === '') throw failed('client_assertion has no jti');
  const ttl = payload.exp! - now + CLOCK_TOLERANCE_SECONDS;
  // By digest: a fixed-size key, whatever characters and length the client chose for its jti.
  const fresh = await ctx.storage.artifacts.add('client_assertion_jti', digestSecret(`${client.client_id}\u0000${payload.jti}`), { client_id: client.client_id }, ttl);
  if (!fresh) throw failed('client_assertion jti was already used');
}
