/**
 * DPoP (RFC 9449): a client proves, on each request, that it holds a private key — with a proof,
 * a JWT it signs and sends in the `DPoP` header — and latchkey binds the tokens it issues on such
 * a request to that key's thumbprint (`jkt`). A bound access token is then good only with a fresh
 * proof by the same key: stolen, it is useless.
 *
 * What a proof must be (§4.2, §4.3): one `DPoP` header; a JWS with `typ: dpop+jwt`, an asymmetric
 * `alg` and the public key in its `jwk` header, signed by that key; claims `jti` (used once),
 * `htm` (the request's method), `htu` (the endpoint's URL, without query or fragment), `iat`
 * (within `DPOP_IAT_WINDOW_SECONDS` of now) and, with an access token, `ath` (its SHA-256).
 *
 * With `dpopNonces` (§8, §9), a proof must also carry a `nonce` latchkey issued in the last minute
 * or two: freshness the server decides, whatever the client's clock says. Nonces need no storage:
 * the minute they were made in and an HMAC of it under a key derived from the master secret, so
 * that every instance makes and accepts the same ones.
 */
import { createHmac } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify, type JWK } from 'jose';
import type { ProviderContext } from '../core/context.js';
import { InvalidDpopProof, InvalidRequest, UseDpopNonce } from '../core/errors.js';
import type { ProtocolRequest } from '../http/protocol-request.js';
import { digestSecret, sha256, timingSafeEqualStrings } from '../util/digest.js';
import { derivedKey } from '../util/seal.js';

/** The proof algorithms accepted (asymmetric only: §4.2), as discovery advertises them (`dpop_signing_alg_values_supported`). */
export const DPOP_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'EdDSA'];

/** How far a proof's `iat` may be from now, either way, in seconds; its `jti` is remembered twice as long. */
export const DPOP_IAT_WINDOW_SECONDS = 300;

/** Longer than any proof with a public key of the accepted kinds (an RSA-4096 key's is under 2 KB). */
const MAX_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 256;

/** A nonce is made for the minute it is made in, and accepted in that minute and the next. */
const NONCE_WINDOW_SECONDS = 60;
/** HKDF purpose of the key nonces are made with. */
const NONCE_PURPOSE = 'latchkey dpop nonce v1';

/** A JWK SHA-256 thumbprint (RFC 7638), base64url: the `jkt` of `dpop_jkt` and `cnf`. */
const THUMBPRINT = /^[A-Za-z0-9_-]{43}$/;

/** A verified proof: the thumbprint of the key it was signed with. */
export interface DpopProof {
  jkt: string;
}

/** What the proof must match: the endpoint's URL (`htu`) and, at a protected resource, the access token (`ath`). */
export interface DpopExpectations {
  url: string;
  accessToken?: string;
  /** 401 at a protected resource, 400 (the default) at the token and PAR endpoints. */
  status?: 400 | 401;
}

/**
 * The request's DPoP proof, verified (RFC 9449 §4.3); undefined when it has no `DPoP` header.
 * Its `jti` is consumed: the same proof twice is refused.
 * @throws InvalidDpopProof
 */
export async function verifyDpopProof(request: ProtocolRequest, expected: DpopExpectations, ctx: ProviderContext): Promise<DpopProof | undefined> {
  const proof = request.headers.get('dpop');
  if (proof === null) return undefined;
  const refuse = (description: string, cause?: unknown) => new InvalidDpopProof(description, { status: expected.status ?? 400, ...(cause === undefined ? {} : { cause }) });
  // Several DPoP headers arrive joined with ", "; a compact JWS has no comma.
  if (proof.includes(',')) throw refuse('exactly one DPoP header is allowed');
  if (proof.length > MAX_PROOF_LENGTH) throw refuse('DPoP proof is too large');

  const now = ctx.clock.now();
  let verified: Awaited<ReturnType<typeof jwtVerify>>;
  try {
    verified = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: DPOP_ALGORITHMS, currentDate: new Date(now * 1000) });
  } catch (error) {
    throw refuse('DPoP proof is not a valid dpop+jwt signed by the key in its jwk header', error);
  }
  const { payload, protectedHeader } = verified;
  const { jti, htm, htu, iat, ath, nonce } = payload as Record<string, unknown>;
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH) throw refuse('DPoP proof needs a jti');
  if (htm !== request.method) throw refuse('DPoP proof htm does not match the request method');
  if (typeof htu !== 'string' || !sameEndpoint(htu, expected.url)) throw refuse('DPoP proof htu does not match the endpoint');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw refuse('DPoP proof needs an iat');
  if (ctx.config.dpopNonces) {
    // §9: a nonce of ours, recent: the proof is fresh, and its iat need not be (the client's clock may be off).
    if (nonce === undefined) throw new UseDpopNonce('a DPoP nonce is required: send the proof again with the nonce in DPoP-Nonce', currentDpopNonce(ctx), { status: expected.status ?? 400 });
    if (typeof nonce !== 'string' || !isCurrentDpopNonce(nonce, ctx)) throw new UseDpopNonce('the DPoP nonce is not a current one: send the proof again with the nonce in DPoP-Nonce', currentDpopNonce(ctx), { status: expected.status ?? 400 });
  } else if (Math.abs(iat - now) > DPOP_IAT_WINDOW_SECONDS) {
    throw refuse('DPoP proof iat is too far from the current time');
  }
  if (expected.accessToken !== undefined) {
    if (typeof ath !== 'string' || ath !== sha256(expected.accessToken).toString('base64url')) throw refuse('DPoP proof ath does not match the access token');
  }

  const jkt = await calculateJwkThumbprint(protectedHeader.jwk as JWK, 'sha256');
  // §11.1: a proof is used once. Keyed by the key too, so that clients' jti values cannot collide.
  const fresh = await ctx.storage.artifacts.add('dpop_proof_jti', digestSecret(`${jkt}.${jti}`), { jkt }, 2 * DPOP_IAT_WINDOW_SECONDS);
  if (!fresh) throw refuse('DPoP proof has been used already');
  return { jkt };
}

/** The nonce latchkey hands out now (RFC 9449 §8): `DPoP-Nonce` of its answers, when `dpopNonces` is on. */
export function currentDpopNonce(ctx: Pick<ProviderContext, 'config' | 'clock'>): string {
  return nonceFor(Math.floor(ctx.clock.now() / NONCE_WINDOW_SECONDS), ctx);
}

/** The `DPoP-Nonce` header for the answer to a request that carried a proof, when nonces are on (§8.2: a new one in any answer). */
export function dpopNonceHeaders(proof: DpopProof | undefined, ctx: Pick<ProviderContext, 'config' | 'clock'>): Record<string, string> {
  return proof !== undefined && ctx.config.dpopNonces ? { 'dpop-nonce': currentDpopNonce(ctx) } : {};
}

/** Whether `nonce` was made in this minute or the one before: 60 to 120 seconds of use. */
function isCurrentDpopNonce(nonce: string, ctx: Pick<ProviderContext, 'config' | 'clock'>): boolean {
  const window = Math.floor(ctx.clock.now() / NONCE_WINDOW_SECONDS);
  return [window, window - 1].some((candidate) => timingSafeEqualStrings(nonce, nonceFor(candidate, ctx)));
}

/** The nonce of minute `window`: the minute, then 128 bits of its HMAC-SHA-256 under the nonce key. */
function nonceFor(window: number, ctx: Pick<ProviderContext, 'config'>): string {
  const secret = ctx.config.secret;
  if (secret === undefined) throw new Error('DPoP nonces need the master secret');
  const mac = createHmac('sha256', derivedKey(secret, NONCE_PURPOSE)).update(String(window)).digest('base64url').slice(0, 22);
  return `${window.toString(36)}.${mac}`;
}

/**
 * `dpop_jkt` (RFC 9449 §10): the thumbprint the authorization code is to be bound to.
 * @throws InvalidRequest when it is not a SHA-256 JWK thumbprint.
 */
export function readDpopJkt(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!THUMBPRINT.test(value)) throw new InvalidRequest('dpop_jkt must be the base64url SHA-256 thumbprint of a JWK');
  return value;
}

/**
 * Whether a proof's `htu` names `endpoint`: scheme, host, port and path alike once normalized
 * (RFC 3986 §6.2.2, §6.2.3: case, default port, percent-encoding), query and fragment ignored,
 * and a trailing slash too (every route takes one).
 */
function sameEndpoint(htu: string, endpoint: string): boolean {
  let url: URL;
  try {
    url = new URL(htu);
  } catch {
    return false;
  }
  const expected = new URL(endpoint);
  const path = (pathname: string) => (pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname);
  return url.origin === expected.origin && path(url.pathname) === path(expected.pathname);
}
