import { grantsGroups, groupsOf } from '../accounts/groups.js';
import { authenticateClient } from '../client-auth/index.js';
import type { ProviderContext } from '../core/context.js';
import { isPublicClient } from '../core/client-metadata.js';
import { InvalidClient } from '../core/errors.js';
import { readForm, requireParam } from '../http/params.js';
import { jsonNoStore, NO_STORE, respond } from '../http/responses.js';
import { DEFAULT_SIGNING_ALGORITHM, type SigningAlgorithm } from '../keys/algorithms.js';
import { signJwt } from '../keys/jws.js';
import type { ClientRecord, TokenRecord } from '../storage/types.js';
import { findToken, isStanding, isTokenFor, ownerOf } from '../tokens/find-token.js';
import { subjectFor } from '../tokens/subject.js';
import type { Endpoint } from './types.js';

/** RFC 9701 §4: the media type a resource server asks for to get a signed response. */
export const INTROSPECTION_JWT_TYPE = 'application/token-introspection+jwt';

/** RFC 7662 §2.2 introspection response members. */
export type IntrospectionResult = { active: false } | ({ active: true } & Record<string, unknown>);

/**
 * Introspection endpoint: tells an authenticated client whether a token is active, and what it
 * stands for.
 *
 * - RFC 7662 §2.1: the caller MUST authenticate; a public client (`none`) cannot;
 * - a client may introspect tokens issued to it, and a resource server (registered with the
 *   client it authenticates as) the tokens whose audience it is; any other token is
 *   `active: false`, as is
 *   anything unknown, expired or revoked, or whose end-user can no longer sign in — nothing
 *   tells these cases apart (RFC 7662 §4);
 * - `token_type_hint` is accepted and not needed: the token is found by its digest;
 * - RFC 9701: with `Accept: application/token-introspection+jwt`, the answer is a JWT signed
 *   with the client's `introspection_signed_response_alg` (RS256 by default).
 * @throws InvalidRequest | InvalidClient
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2
 */
export const introspectionEndpoint: Endpoint = async (request, ctx, route) => {
  const params = await readForm(request);
  const client = await authenticateClient(request, params, ctx, route.remoteAddress);
  if (isPublicClient(client)) throw new InvalidClient('introspection requires client authentication');
  const token = requireParam(params, 'token');

  const record = await findToken(token, ctx);
  const owner = record === undefined ? undefined : await ownerOf(record, client, ctx);
  const visible = record !== undefined && (await isTokenFor(record, client, ctx)) && (await isStanding(record, owner, ctx));
  const result = visible ? await describeToken(record, owner!, ctx) : ({ active: false } as const);

  if (acceptsJwt(request.headers.get('accept'))) {
    return respond(await signIntrospection(result, client, ctx), 200, { 'content-type': INTROSPECTION_JWT_TYPE, ...NO_STORE });
  }
  return jsonNoStore(result);
};

/**
 * RFC 7662 §2.2: the members latchkey knows of an active token. `sub` is the subject as the
 * token's client knows it (pairwise for a pairwise client), as in its ID tokens; `groups`, with
 * the `groups` scope, the end-user's groups as they are now (RFC 9068 §2.2.3.1's claim).
 */
async function describeToken(record: TokenRecord, owner: ClientRecord, ctx: ProviderContext): Promise<IntrospectionResult> {
  const groups = record.sub !== undefined && grantsGroups(record.scope) ? await groupsOf(record.sub, ctx) : undefined;
  return {
    active: true,
    scope: record.scope,
    client_id: record.client_id,
    ...(record.sub === undefined ? {} : { sub: subjectFor(owner, record.sub, ctx) }),
    exp: record.expires_at,
    iat: record.issued_at,
    // RFC 7662 §2.2: token_type is the access token type of RFC 6749 §5.1; a refresh token has none.
    ...(record.kind === 'access_token' ? { token_type: record.jkt === undefined ? 'Bearer' : 'DPoP' } : {}),
    ...(record.audience === undefined ? {} : { aud: record.audience }),
    iss: ctx.config.issuer,
    // RFC 9449 §6.2: the key a bound token must be presented with a proof of.
    ...(record.jkt === undefined ? {} : { cnf: { jkt: record.jkt } }),
    // RFC 9396 §9.2: what the token allows, object by object.
    ...(record.authorization_details === undefined ? {} : { authorization_details: record.authorization_details }),
    // RFC 8693 §4.1, §7.2: who acts for the subject (a token exchanged under delegation).
    ...(record.act === undefined ? {} : { act: record.act }),
    // RFC 9470 §6.2: how and when the end-user signed in, for a resource server's step-up decision.
    ...(record.acr === undefined ? {} : { acr: record.acr }),
    ...(record.auth_time === undefined ? {} : { auth_time: record.auth_time }),
    ...(groups === undefined ? {} : { groups }),
  };
}

/** Whether the Accept header asks for the RFC 9701 media type. */
function acceptsJwt(accept: string | null): boolean {
  if (!accept) return false;
  return accept.split(',').some((range) => range.split(';')[0]?.trim().toLowerCase() === INTROSPECTION_JWT_TYPE);
}

/**
 * RFC 9701 §5: a JWT with `iss`, `aud` (the caller), `iat` and the response in
 * `token_introspection`; no `sub` or `exp` at the top level, so it cannot pass for an access token.
 */
async function signIntrospection(result: IntrospectionResult, client: ClientRecord, ctx: ProviderContext): Promise<string> {
  const alg = (client.introspection_signed_response_alg ?? DEFAULT_SIGNING_ALGORITHM) as SigningAlgorithm;
  return signJwt(await ctx.keys.signingKey(alg), 'token-introspection+jwt', {
    iss: ctx.config.issuer,
    aud: client.client_id,
    iat: ctx.clock.now(),
    token_introspection: result,
  });
}
