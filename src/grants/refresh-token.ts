import { mayUseClient, NOT_IN_ALLOWED_GROUPS } from '../accounts/groups.js';
import { mayStillSignIn } from '../accounts/may-still-sign-in.js';
import { narrowAuthorizationDetails, type AuthorizationDetail } from '../core/authorization-details.js';
import type { ProviderContext } from '../core/context.js';
import { InvalidDpopProof, InvalidGrant, InvalidScope, InvalidTarget } from '../core/errors.js';
import { parseScope } from '../core/scopes.js';
import { requireParam } from '../http/params.js';
import type { ClientRecord, TokenRecord } from '../storage/types.js';
import { findToken, isActive } from '../tokens/find-token.js';
import { issueTokens, mintTokens, tokensIssued } from '../tokens/issue-tokens.js';
import { idleExpiry, rotatesRefreshTokens, successorOf } from '../tokens/refresh-token.js';
import type { EndUserTokenSubject, TokenResponse } from '../tokens/types.js';
import type { GrantHandler } from './types.js';

/** Said for every unusable refresh token alike: unknown, expired, revoked, replayed or another client's. */
const INVALID_REFRESH_TOKEN = 'refresh token is invalid';

/**
 * `grant_type=refresh_token`: a new access token (and ID token when `openid` was granted) for a
 * refresh token. The client has already authenticated as it registered (RFC 6749 §6: a
 * confidential client MUST authenticate).
 *
 * - RFC 6749 §6: the refresh token was issued to this client;
 * - RFC 9449 §5: a refresh token bound to a DPoP key (a public client's) comes with a proof by
 *   that key; the new access token is bound to the request's proof, if any;
 * - RFC 6749 §6: a requested `scope` MUST NOT include any scope not originally granted; the
 *   refresh token keeps the original scope; likewise `authorization_details` (RFC 9396 §6.2):
 *   each one of those granted, exactly;
 * - an end-user no longer in any of the client's `allowed_groups` is refused (`invalid_grant`);
 * - OIDC Core §12.2: the new ID token keeps the original `auth_time` and has no `nonce`;
 * - lifetimes: a refresh token expires when unused for the idle lifetime, and at the latest at
 *   the grant's absolute end; each use starts the idle time again;
 * - RFC 9700 §4.14.2, under rotation: the token is consumed atomically and replaced by its
 *   successor (`successorOf`), stored in the same commit as the rotation mark: a rotation whose
 *   new tokens fail to be stored leaves the token as it was. A second redemption of a replaced
 *   token is a replay: the whole grant (every refresh and access token descended from the
 *   authorization) is revoked. Except
 *   within the reuse grace window, where the same client presenting the same token gets the same
 *   successor again, with an access token of its own — a client refreshing in two tabs at once
 *   must not lose its session.
 * @throws InvalidGrant | InvalidScope
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export const refreshToken: GrantHandler = {
  grantType: 'refresh_token',
  parameters: ['refresh_token', 'scope', 'resource', 'authorization_details'],

  async exchange({ params, client, dpop }, ctx) {
    const value = requireParam(params, 'refresh_token');
    const record = await findToken(value, ctx);
    if (!record || record.kind !== 'refresh_token') throw invalid('unknown token');
    const digest = record.token_digest;
    if (record.client_id !== client.client_id) throw invalid(`token belongs to ${record.client_id}`);
    if (!isActive(record, ctx.clock.now())) throw invalid('expired or revoked');
    // RFC 9449 §5: a bound refresh token (a public client's) is used only with a proof by its key —
    // checked before anything else it could set off: without the key, a stolen one changes nothing.
    if (record.jkt !== undefined) {
      if (dpop === undefined) throw new InvalidDpopProof('a DPoP proof is required: the refresh token is bound to a DPoP key');
      if (dpop.jkt !== record.jkt) throw new InvalidGrant('the DPoP proof is not signed by the key the refresh token is bound to');
    }
    if (record.rotated_at !== undefined && !withinGrace(record.rotated_at, ctx)) return replayed(record, ctx);
    if (record.sub === undefined) throw invalid('refresh token without subject');

    const granted = record.scope === '' ? [] : record.scope.split(' ');
    let scopes = granted;
    if (params.scope !== undefined) {
      scopes = parseScope(params.scope);
      const wider = scopes.filter((scope) => !granted.includes(scope));
      if (wider.length > 0) throw new InvalidScope(`scope exceeds what was granted: ${wider.join(' ')}`);
    }

    if (params.resource !== undefined && params.resource !== record.audience) throw new InvalidTarget('resource was not part of the authorization');
    // RFC 9396 §6.2: the new access token may be for some of the authorization details granted.
    const details = narrowAuthorizationDetails(params.authorization_details, record.authorization_details, client, ctx.config);

    if (!(await mayStillSignIn(record.sub, ctx.accounts))) throw new InvalidGrant('the end-user can no longer sign in');
    if (!(await mayUseClient(client, record.sub, ctx))) {
      ctx.events.emit('access.refused', { sub: record.sub, client_id: client.client_id, at: 'refresh_token' });
      throw new InvalidGrant(NOT_IN_ALLOWED_GROUPS);
    }

    const now = ctx.clock.now();
    const grant_expires_at = record.grant_expires_at ?? record.expires_at;
    const subject = subjectOf(record, record.sub, client, scopes, details, dpop?.jkt);
    if (record.rotated_at !== undefined) return redeemAgainWithinGrace(value, record, record.rotated_at, subject, ctx);
    if (!rotatesRefreshTokens(client)) {
      // The token's idle lifetime starts over, in the commit of the new access token.
      const response = await issueTokens(subject, { storeWith: () => ctx.storage.tokens.setExpiry(digest, idleExpiry(now, grant_expires_at, ctx)) }, ctx);
      ctx.events.emit('refresh_token.used', { client_id: client.client_id, sub: record.sub, grant_id: record.grant_id });
      return response;
    }

    // The new tokens are made first and stored with the rotation mark, in one commit: kept only
    // by the redemption that marks it.
    const minted = await mintTokens(
      subject,
      { refreshToken: { grant_expires_at, scopes: granted, ...(record.authorization_details === undefined ? {} : { authorization_details: record.authorization_details }), value: successorOf(value, now, ctx) } },
      ctx,
    );
    if (!(await ctx.storage.tokens.rotate(digest, now, minted.records))) {
      // Another redemption rotated it a moment ago: its time is the one the successor was made with.
      const rotated = await ctx.storage.tokens.find(digest);
      if (rotated?.rotated_at === undefined || !withinGrace(rotated.rotated_at, ctx)) return replayed(record, ctx);
      return redeemAgainWithinGrace(value, record, rotated.rotated_at, subject, ctx);
    }
    tokensIssued(minted, ctx);
    ctx.events.emit('refresh_token.rotated', { client_id: client.client_id, sub: record.sub, grant_id: record.grant_id });
    return minted.response;
  },
};

function invalid(reason: string): InvalidGrant {
  return new InvalidGrant(INVALID_REFRESH_TOKEN, { cause: new Error(reason) });
}

/** Whether a token rotated at `rotatedAt` is still within the reuse grace window. */
function withinGrace(rotatedAt: number, ctx: ProviderContext): boolean {
  const grace = ctx.config.refreshTokenReuseGraceSeconds;
  return grace > 0 && ctx.clock.now() - rotatedAt < grace;
}

/** The new tokens' subject: the grant of `record`, for `scopes` and `details`, bound to the DPoP key `jkt` when the request proved one. */
function subjectOf(record: TokenRecord, sub: string, client: ClientRecord, scopes: readonly string[], details: AuthorizationDetail[] | undefined, jkt: string | undefined): EndUserTokenSubject {
  return {
    client,
    sub,
    scopes,
    grant_id: record.grant_id,
    grant_type: 'refresh_token',
    ...(record.audience === undefined ? {} : { audience: record.audience }),
    ...(record.claims === undefined ? {} : { claims: record.claims }),
    ...(details === undefined ? {} : { authorization_details: details }),
    ...(record.sid === undefined ? {} : { sid: record.sid }),
    ...(record.auth_time === undefined ? {} : { auth_time: record.auth_time }),
    ...(record.amr === undefined ? {} : { amr: record.amr }),
    ...(record.acr === undefined ? {} : { acr: record.acr }),
    ...(jkt === undefined ? {} : { jkt }),
  };
}

/**
 * A refresh token rotated at `rotatedAt`, within the grace window, presented again: the successor
 * that rotation stored (with its mark, in one commit) is handed out again, with a new access token
 * (and ID token). When the successor is not there — revoked, expired, or the master secret
 * changed since — this is treated as a replay.
 */
async function redeemAgainWithinGrace(value: string, record: TokenRecord, rotatedAt: number, subject: EndUserTokenSubject, ctx: ProviderContext): Promise<TokenResponse> {
  const successor = successorOf(value, rotatedAt, ctx);
  const stored = await findToken(successor, ctx);
  if (stored?.kind !== 'refresh_token' || stored.grant_id !== record.grant_id || !isActive(stored, ctx.clock.now())) return replayed(record, ctx);
  const response = await issueTokens(subject, { refreshToken: { stored: successor } }, ctx);
  ctx.events.emit('refresh_token.reused_within_grace', { client_id: record.client_id, grant_id: record.grant_id });
  return response;
}

/** A rotated refresh token presented again outside the grace window: a replay, and the grant is revoked. */
async function replayed(record: TokenRecord, ctx: ProviderContext): Promise<never> {
  await ctx.storage.tokens.revokeGrant(record.grant_id, ctx.clock.now());
  ctx.events.emit('refresh_token.reused', { client_id: record.client_id, grant_id: record.grant_id });
  throw invalid('rotated refresh token presented again; its grant is revoked');
}
