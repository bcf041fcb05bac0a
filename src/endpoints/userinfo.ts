import { InsufficientScope, InvalidRequest, InvalidToken, OAuthError } from '../core/errors.js';
import { readForm } from '../http/params.js';
import { json, respond } from '../http/responses.js';
import type { ProviderContext } from '../core/context.js';
import type { SigningAlgorithm } from '../keys/algorithms.js';
import { signJwt } from '../keys/jws.js';
import { encryptionFor, sealForClient } from '../tokens/encryption.js';
import type { ClientRecord } from '../storage/types.js';
import { readAuthorizationToken, type PresentedAccessToken } from '../http/bearer.js';
import { findPresentedAccessToken, resourceChallenge } from '../tokens/presented-access-token.js';
import { dpopNonceHeaders } from '../tokens/dpop.js';
import { subjectFor } from '../tokens/subject.js';
import type { Endpoint } from './types.js';
import type { ProtocolRequest } from '../http/protocol-request.js';

/**
 * UserInfo endpoint: the claims of the token's subject that its scopes release (OIDC Core §5.4).
 *
 * - RFC 6750 §2: the token comes in the Authorization header, or (POST only) in the form body;
 *   using both is refused;
 * - RFC 9449 §7: a token bound to a DPoP key comes with the DPoP scheme and a proof by that key
 *   (`htm`, `htu` this endpoint, `ath` the token); as a bearer token it is refused;
 * - RFC 6750 §3.1: no token → 401 with a bare `Bearer` challenge; a bad token → 401
 *   `invalid_token` (a bad proof: `invalid_dpop_proof`, with a `DPoP` challenge); a token
 *   without `openid` → 403 `insufficient_scope`;
 * - OIDC Core §5.3.2: for a client registered with `userinfo_signed_response_alg`, the claims
 *   come as a JWT signed with that algorithm (`application/jwt`), with `iss`, `aud` and `iat`;
 *   with `userinfo_encrypted_response_alg`, encrypted to the client (the signed JWT, or the JSON).
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 */
export const userinfoEndpoint: Endpoint = async (request, ctx) => {
  let presented: PresentedAccessToken | undefined;
  try {
    presented = await readAccessToken(request);
    if (presented === undefined) throw withChallenge(new InvalidToken('access token is required'), ctx.config.issuer, false, undefined);
    const { record, proof } = await findPresentedAccessToken(presented, request, ctx.urls.userinfo, ctx);
    if (!record || record.sub === undefined) throw new InvalidToken('access token is invalid, expired or revoked');
    // A token for a resource server (RFC 8707) is that server's, not the userinfo endpoint's.
    if (record.audience !== undefined) throw new InvalidToken('access token is for another audience');
    const scopes = record.scope.split(' ');
    if (!scopes.includes('openid')) throw new InsufficientScope('access token lacks the openid scope');

    const client = await ctx.storage.clients.find(record.client_id);
    const claims = client === undefined ? undefined : await ctx.accounts.claims(record.sub, scopes, record.claims?.userinfo);
    if (!client || client.disabled || !claims) throw new InvalidToken('access token is invalid, expired or revoked', { cause: new Error('client or account gone or disabled') });
    // OIDC Core §8: the client's view of the subject, as in its ID tokens.
    claims.sub = subjectFor(client, record.sub, ctx);
    const headers = { 'cache-control': 'no-store', pragma: 'no-cache', ...dpopNonceHeaders(proof, ctx) };
    const signed = client.userinfo_signed_response_alg !== undefined;
    if (!signed && encryptionFor(client, 'userinfo') === undefined) return json(claims, { headers });
    const body = signed ? await signUserinfo(claims, client, ctx) : JSON.stringify(claims);
    return respond(await sealForClient(client, 'userinfo', body, ctx, { nested: signed }), 200, { 'content-type': 'application/jwt', ...headers });
  } catch (error) {
    if (error instanceof OAuthError && !error.wwwAuthenticate) withChallenge(error, ctx.config.issuer, true, presented?.scheme);
    throw error;
  }
};

/** OIDC Core §5.3.2: the claims as a JWT for `client`, signed with its `userinfo_signed_response_alg`. */
async function signUserinfo(claims: Record<string, unknown>, client: ClientRecord, ctx: ProviderContext): Promise<string> {
  const key = await ctx.keys.signingKey(client.userinfo_signed_response_alg as SigningAlgorithm);
  return signJwt(key, 'JWT', { ...claims, iss: ctx.config.issuer, aud: client.client_id, iat: ctx.clock.now() });
}

/** The access token of the request, from the header or (POST) the form body (a bearer token). */
async function readAccessToken(request: ProtocolRequest): Promise<PresentedAccessToken | undefined> {
  const fromHeader = readAuthorizationToken(request);
  if (request.method !== 'POST' || !request.headers.get('content-type')?.startsWith('application/x-www-form-urlencoded')) {
    return fromHeader;
  }
  const fromBody = (await readForm(request)).access_token;
  // RFC 6750 §2: clients MUST NOT use more than one method to transmit the token.
  if (fromHeader !== undefined && fromBody !== undefined) throw new InvalidRequest('access token must be sent by one method only');
  return fromHeader ?? (fromBody === undefined ? undefined : { scheme: 'Bearer', token: fromBody });
}

/**
 * RFC 6750 §3: a `WWW-Authenticate: Bearer` challenge (RFC 9449 §7.1: a `DPoP` one for a DPoP
 * request). With no token at all, the challenge carries no error code (§3.1).
 */
function withChallenge(error: OAuthError, issuer: string, withCode: boolean, scheme: PresentedAccessToken['scheme'] | undefined): OAuthError {
  const attributes = [`realm="${issuer}"`];
  if (withCode) attributes.push(`error="${error.error}"`, `error_description="${error.description.replace(/["\\]/g, '')}"`);
  if (error instanceof InsufficientScope) attributes.push('scope="openid"');
  error.wwwAuthenticate = resourceChallenge(scheme, error, attributes);
  return error;
}
