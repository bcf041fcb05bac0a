import { GROUPS, groupsOf } from '../accounts/groups.js';
import type { ProviderContext } from '../core/context.js';
import type { ProviderEvents } from '../core/events.js';
import { InvalidTarget } from '../core/errors.js';
import { DEFAULT_SIGNING_ALGORITHM, type SigningAlgorithm } from '../keys/algorithms.js';
import { signJwt } from '../keys/jws.js';
import type { ResourceServerRecord, TokenRecord } from '../storage/types.js';
import { randomToken } from '../util/random.js';
import { subjectFor } from './subject.js';
import { newOpaqueToken, signedJwtKey, tokenKey } from './token-key.js';
import type { TokenSubject } from './types.js';

/** An access token made and not yet stored: its value and lifetime, its row, and what to tell once it is stored. */
export interface MintedAccessToken {
  access_token: string;
  expires_in: number;
  record: TokenRecord;
  issued: ProviderEvents['access_token.issued'];
}

/**
 * Issues an access token. Without an audience, or for a resource server that wants `opaque`
 * tokens: 256 random bits. For a resource server that wants `jwt`: an RFC 9068 JWT. Either way
 * the token is stored by its SHA-256 digest, so that revocation and introspection work alike
 * for both formats. The lifetime is the resource server's, else `accessTokenTtlSeconds` — cut
 * short to the subject's `not_after`.
 * @throws InvalidTarget when the audience is no longer a registered resource server.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-1.4
 */
export async function issueAccessToken(subject: TokenSubject, ctx: ProviderContext): Promise<{ access_token: string; expires_in: number }> {
  const minted = await mintAccessToken(subject, ctx);
  await ctx.storage.tokens.insert(minted.record);
  ctx.events.emit('access_token.issued', minted.issued);
  return { access_token: minted.access_token, expires_in: minted.expires_in };
}

/**
 * An access token as `issueAccessToken` makes it, without storing it: for a caller that stores it
 * with other rows in one go (`issueTokens`), then emits `issued`.
 * @throws InvalidTarget when the audience is no longer a registered resource server.
 */
export async function mintAccessToken(subject: TokenSubject, ctx: ProviderContext): Promise<MintedAccessToken> {
  const server = subject.audience === undefined ? undefined : await ctx.storage.resourceServers.find(subject.audience);
  if (subject.audience !== undefined && !server) throw new InvalidTarget('resource is no longer a registered resource server');
  const now = ctx.clock.now();
  const lifetime = server?.access_token_ttl_seconds ?? ctx.config.accessTokenTtlSeconds;
  const expires_in = subject.not_after === undefined ? lifetime : Math.min(lifetime, subject.not_after - now);
  const jwt = server?.access_token_format === 'jwt';
  const access_token = jwt ? await signJwtAccessToken(subject, server, now, expires_in, ctx) : newOpaqueToken();
  return {
    access_token,
    expires_in,
    record: { token_digest: jwt ? signedJwtKey(access_token, now) : tokenKey(access_token), kind: 'access_token', ...tokenFields(subject), issued_at: now, expires_at: now + expires_in },
    issued: {
      client_id: subject.client.client_id,
      grant_id: subject.grant_id,
      ...(subject.sub === undefined ? {} : { sub: subject.sub }),
      grant_type: subject.grant_type,
      format: jwt ? 'jwt' : 'opaque',
      ...(server === undefined ? {} : { audience: server.resource }),
      expires_at: now + expires_in,
    },
  };
}

/**
 * RFC 9068 §2: header `typ: at+jwt`; claims `iss`, `exp`, `aud` (the resource server), `sub`
 * (the end-user, or the client itself for client credentials: §2.2), `client_id`, `iat`, `jti`,
 * `scope`, `authorization_details` when granted (RFC 9396 §9.1), `act` for a token exchanged
 * under delegation (RFC 8693 §4.1), `auth_time` / `amr` / `acr`
 * when there was a login, and `groups` (§2.2.3.1) with the `groups` scope. Signed with latchkey's current
 * key for the resource server's `access_token_signing_alg` (RS256 by default: RFC 9068 §2.1).
 */
async function signJwtAccessToken(subject: TokenSubject, server: ResourceServerRecord, now: number, ttl: number, ctx: ProviderContext): Promise<string> {
  const alg = (server.access_token_signing_alg ?? DEFAULT_SIGNING_ALGORITHM) as SigningAlgorithm;
  const claims: Record<string, unknown> = {
    iss: ctx.config.issuer,
    sub: subject.sub === undefined ? subject.client.client_id : subjectFor(subject.client, subject.sub, ctx),
    aud: server.resource,
    iat: now,
    exp: now + ttl,
    jti: randomToken(16),
    client_id: subject.client.client_id,
    scope: subject.scopes.join(' '),
  };
  if (subject.auth_time !== undefined) claims.auth_time = subject.auth_time;
  if (subject.amr !== undefined) claims.amr = subject.amr;
  if (subject.acr !== undefined) claims.acr = subject.acr;
  // RFC 9396 §9.1: what the token allows, object by object.
  if (subject.authorization_details !== undefined) claims.authorization_details = subject.authorization_details;
  // RFC 8693 §4.1: who acts for the subject, prior actors nested.
  if (subject.act !== undefined) claims.act = subject.act;
  // RFC 9449 §6.1: the key the token is bound to.
  if (subject.jkt !== undefined) claims.cnf = { jkt: subject.jkt };
  // RFC 9068 §2.2.3.1: the end-user's groups, for the resource server's own access decisions.
  if (subject.sub !== undefined && subject.scopes.includes(GROUPS)) {
    const groups = await groupsOf(subject.sub, ctx);
    if (groups !== undefined) claims.groups = groups;
  }
  return signJwt(await ctx.keys.signingKey(alg), 'at+jwt', claims);
}

/** The stored fields a token takes from its subject. */
export function tokenFields(subject: TokenSubject): Pick<TokenRecord, 'client_id' | 'sub' | 'scope' | 'grant_id' | 'audience' | 'claims' | 'authorization_details' | 'act' | 'sid' | 'auth_time' | 'amr' | 'acr' | 'jkt'> {
  return {
    client_id: subject.client.client_id,
    ...(subject.sub === undefined ? {} : { sub: subject.sub }),
    scope: subject.scopes.join(' '),
    grant_id: subject.grant_id,
    ...(subject.audience === undefined ? {} : { audience: subject.audience }),
    ...(subject.claims === undefined ? {} : { claims: subject.claims }),
    ...(subject.authorization_details === undefined ? {} : { authorization_details: subject.authorization_details }),
    ...(subject.act === undefined ? {} : { act: subject.act }),
    ...(subject.sid === undefined ? {} : { sid: subject.sid }),
    ...(subject.auth_time === undefined ? {} : { auth_time: subject.auth_time }),
    ...(subject.amr === undefined ? {} : { amr: subject.amr }),
    ...(subject.acr === undefined ? {} : { acr: subject.acr }),
    ...(subject.jkt === undefined ? {} : { jkt: subject.jkt }),
  };
}

/** RFC 9449 §5: the `token_type` of an access token issued for `subject`. */
export function tokenTypeFor(subject: TokenSubject): 'Bearer' | 'DPoP' {
  return subject.jkt === undefined ? 'Bearer' : 'DPoP';
}
