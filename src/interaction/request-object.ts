/**
 * Request objects (RFC 9101, OIDC Core §6.1): an authorization request sent as a JWT in the
 * `request` parameter — at `/authorize`, or pushed to `/par` — instead of as plain parameters.
 * Signed by the client, its parameters cannot be changed on the way through the browser, and the
 * server knows they come from the client.
 *
 * The request is the object's claims and nothing else: parameters beside it are ignored (RFC 9101
 * §6.3), `client_id` aside, which must name the same client. An object may also be fetched from
 * a URL the client registered (`request_uri`, request-uri.ts), and may be encrypted to latchkey's
 * decryption key (RFC 9101 §6.1): a JWE holding the signed object (a nested JWT) or, unsigned, its
 * claims — so that what the request carries (a `login_hint`, `claims` asked for) is read by
 * latchkey alone.
 */
import { decodeJwt, decodeProtectedHeader, errors, UnsecuredJWT, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { ASSERTION_ALGORITHMS } from '../client-auth/assertion-algorithms.js';
import { ClientKeyUnavailable, verifyClientJwt } from '../client-auth/client-keys.js';
import type { ProviderContext } from '../core/context.js';
import { InvalidRequest, InvalidRequestObject } from '../core/errors.js';
import type { Params } from '../http/params.js';
import { COMPACT_JWE, decryptForProvider, NotDecrypted } from '../keys/decryption.js';
import type { ClientRecord } from '../storage/types.js';

/** Algorithms a request object may be signed with (OIDC Discovery `request_object_signing_alg_values_supported`): the client's public keys, HMAC under its secret, or `none`. */
export const REQUEST_OBJECT_ALGORITHMS: readonly string[] = [...ASSERTION_ALGORITHMS, 'none'];

/** RFC 9101 §10.8: the media type a request object may declare in `typ` (or the generic `JWT`). */
const REQUEST_OBJECT_TYPES = new Set(['oauth-authz-req+jwt', 'jwt']);
/** Claims of the JWT itself, not parameters of the request. */
const JWT_CLAIMS = new Set(['iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'sub']);
/** Longest accepted object, in characters (a plain request's parameters are limited to 2048 each). */
export const MAX_REQUEST_OBJECT_LENGTH = 16_384;
/** The shape of a compact JWS: three base64url parts, the last empty when unsigned. */
const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]*$/;
/** Tolerated clock difference with the client, for `exp` and `nbf`. */
const CLOCK_TOLERANCE_SECONDS = 30;

/** An authorization request read from a request object. */
export interface OpenedRequestObject {
  /** The request's parameters, with `client_id`. */
  params: Params;
  /** Whether the client signed it (`alg` other than `none`). */
  signed: boolean;
}

/**
 * Verifies the request object `jwt` of `client` and returns the authorization request it holds:
 * - a JWS of at most 16 KB, `typ`, when present, `oauth-authz-req+jwt` or `JWT`; or a JWE of at
 *   most 16 KB encrypted to one of latchkey's published decryption keys (`RSA-OAEP-256`,
 *   `ECDH-ES`; its `kid`, or the current key) holding such a JWS, or the claims of an unsigned
 *   object — read as an `alg: none` object would be;
 * - signed with the client's `request_object_signing_alg` when it registered one, else with any
 *   algorithm it has keys for (its `jwks`/`jwks_uri`, or HMAC under its secret), or unsigned
 *   (`alg: none`) unless its registered algorithm says otherwise;
 * - `iss`, when present, is the client; `aud`, when present, is or holds the issuer identifier
 *   (an object meant for another server is refused); `exp` not passed, `nbf` not ahead;
 * - `client_id`, when present, is the client's; no `request` or `request_uri` inside;
 * - every parameter a string, or a number (`max_age`), or, for `claims`, a JSON object, for
 *   `authorization_details` a JSON array (RFC 9396 §3).
 * @throws InvalidRequestObject
 */
export async function openRequestObject(jwt: string, client: ClientRecord, ctx: ProviderContext): Promise<OpenedRequestObject> {
  if (jwt.length > MAX_REQUEST_OBJECT_LENGTH) throw new InvalidRequestObject('request object is too large');
  return verifyRequestObject(COMPACT_JWE.test(jwt) ? await decryptRequestObject(jwt, ctx) : jwt, client, ctx);
}

async function verifyRequestObject(jwt: string, client: ClientRecord, ctx: ProviderContext): Promise<OpenedRequestObject> {
  const header = readHeader(jwt);
  const registered = client.request_object_signing_alg;
  const now = ctx.clock.now();
  const timing = { currentDate: new Date(now * 1000), clockTolerance: CLOCK_TOLERANCE_SECONDS };

  let payload: JWTPayload;
  const signed = header.alg !== 'none';
  try {
    if (!signed) {
      if (registered !== undefined && registered !== 'none') throw new InvalidRequestObject(`request object must be signed with ${registered}`);
      payload = UnsecuredJWT.decode(jwt, timing).payload;
    } else {
      const algorithms = registered === undefined ? [...ASSERTION_ALGORITHMS] : [registered];
      payload = (await verifyClientJwt(client, jwt, { ...timing, algorithms }, ctx)).payload;
    }
  } catch (error) {
    if (error instanceof InvalidRequestObject) throw error;
    throw new InvalidRequestObject(reasonOf(error), { cause: error });
  }

  if (payload.iss !== undefined && payload.iss !== client.client_id) throw new InvalidRequestObject('request object iss must be the client_id');
  if (payload.aud !== undefined && !(Array.isArray(payload.aud) ? payload.aud : [payload.aud]).includes(ctx.urls.issuer)) {
    throw new InvalidRequestObject('request object aud must be this server\'s issuer identifier');
  }
  return { params: { ...requestParams(payload, client), client_id: client.client_id }, signed };
}

/**
 * RFC 9101 §10.5: a request that did not come in a signed request object is refused when `client`
 * must sign its requests (`require_signed_request_object`, or every client by
 * `requireSignedRequestObject`).
 * @throws InvalidRequest
 */
export function checkSignedWhenRequired(client: ClientRecord, signed: boolean, ctx: ProviderContext): void {
  if (signed || !(ctx.config.requireSignedRequestObject || client.require_signed_request_object === true)) return;
  throw new InvalidRequest('this client must send its authorization requests as signed request objects (RFC 9101)');
}

/**
 * The object inside the JWE `jwe`, decrypted with latchkey's key: a JWS, or the claims of an
 * unsigned object as an unsigned JWT.
 * @throws InvalidRequestObject
 */
async function decryptRequestObject(jwe: string, ctx: ProviderContext): Promise<string> {
  let plaintext: Uint8Array;
  try {
    plaintext = await decryptForProvider(jwe, ctx.keys);
  } catch (error) {
    if (error instanceof NotDecrypted) throw new InvalidRequestObject(`request object ${error.message}`, { cause: error });
    throw error;
  }
  // Shorter than the JWE that held it, so within the limit.
  const inner = new TextDecoder().decode(plaintext).trim();
  if (COMPACT_JWS.test(inner)) return inner;
  if (COMPACT_JWE.test(inner)) throw new InvalidRequestObject('an encrypted request object must hold a signed object or its claims, not another encrypted one');
  let claims: unknown;
  try {
    claims = JSON.parse(inner);
  } catch {
    claims = undefined;
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new InvalidRequestObject('an encrypted request object must hold a signed object or a JSON object of claims');
  return new UnsecuredJWT(claims as JWTPayload).encode();
}

function readHeader(jwt: string): ProtectedHeaderParameters {
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(jwt);
    decodeJwt(jwt);
  } catch (error) {
    throw new InvalidRequestObject('request is not a JWT', { cause: error });
  }
  if (typeof header.alg !== 'string') throw new InvalidRequestObject('request object has no alg');
  if (header.typ !== undefined && !REQUEST_OBJECT_TYPES.has(header.typ.toLowerCase().replace(/^application\//, ''))) {
    throw new InvalidRequestObject(`request object typ ${header.typ} is not oauth-authz-req+jwt`);
  }
  return header;
}

/** The authorization parameters among the object's claims, as the strings a query would carry. */
function requestParams(payload: JWTPayload, client: ClientRecord): Params {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (JWT_CLAIMS.has(name)) continue;
    if (name === 'request' || name === 'request_uri') throw new InvalidRequestObject(`a request object must not contain ${name}`);
    if (name === 'client_id' && value !== client.client_id) throw new InvalidRequestObject('request object client_id does not match the client_id parameter');
    if (typeof value === 'string') params[name] = value;
    else if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) params[name] = String(value);
    else if (name === 'claims' && typeof value === 'object' && value !== null && !Array.isArray(value)) params[name] = JSON.stringify(value);
    else if (name === 'authorization_details' && Array.isArray(value)) params[name] = JSON.stringify(value);
    else throw new InvalidRequestObject(`request object parameter ${name} must be a string`);
  }
  return params;
}

function reasonOf(error: unknown): string {
  if (error instanceof ClientKeyUnavailable) return `request object cannot be verified: ${error.message}`;
  if (error instanceof errors.JWTExpired) return 'request object has expired';
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf') return 'request object is not valid yet (nbf)';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'request object is signed with an algorithm this client may not use';
  if (error instanceof errors.JOSEError) return `request object rejected: ${error.message}`;
  return 'request object could not be verified';
}
