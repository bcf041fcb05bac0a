import type { ProviderContext } from '../core/context.js';
import { issueAccessToken } from './access-token.js';
import { issueIdToken } from './id-token.js';
import { issueRefreshToken } from './refresh-token.js';
import type { EndUserTokenSubject, TokenResponse } from './types.js';

/**
 * Issues the tokens of one token response: an access token, a refresh token when asked, and an
 * ID token when `openid` is among the subject's scopes.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#TokenResponse
 */
export async function issueTokens(
  subject: EndUserTokenSubject,
  options: {
    /** Issue a refresh token for the grant, with these scopes (default: the subject's) and absolute end. */
    refreshToken?: { grant_expires_at: number; scopes?: readonly string[] };
    nonce?: string;
  },
  ctx: ProviderContext,
): Promise<TokenResponse> {
  const { access_token, expires_in } = await issueAccessToken(subject, ctx);
  const response: TokenResponse = { access_token, token_type: 'Bearer', expires_in, scope: subject.scopes.join(' ') };
  if (options.refreshToken) {
    const { grant_expires_at, scopes = subject.scopes } = options.refreshToken;
    response.refresh_token = await issueRefreshToken({ ...subject, scopes }, grant_expires_at, ctx);
  }
  if (subject.scopes.includes('openid')) {
    response.id_token = await issueIdTokenFor(subject, { access_token, ...(options.nonce === undefined ? {} : { nonce: options.nonce }) }, ctx);
  }
  return response;
}

/**
 * The ID token of `subject`'s authorization, with `at_hash` / `c_hash` for the access token and
 * code it travels with. It carries the claims requested for it one by one (OIDC Core §5.5) and,
 * with `scopeClaims` — when no access token is issued to fetch them from `/userinfo` (§5.4) —
 * the claims of the granted scopes too.
 */
export async function issueIdTokenFor(
  subject: EndUserTokenSubject,
  options: { nonce?: string; access_token?: string; code?: string; scopeClaims?: boolean },
  ctx: ProviderContext,
): Promise<string> {
  const names = subject.claims?.id_token ?? [];
  const scopes = options.scopeClaims ? subject.scopes : [];
  const claims = names.length === 0 && scopes.length === 0 ? undefined : await ctx.accounts.claims(subject.sub, scopes, names);
  return issueIdToken(
    {
      client: subject.client,
      sub: subject.sub,
      ...(subject.auth_time === undefined ? {} : { auth_time: subject.auth_time }),
      ...(subject.amr === undefined ? {} : { amr: subject.amr }),
      ...(subject.acr === undefined ? {} : { acr: subject.acr }),
      ...(subject.sid === undefined ? {} : { sid: subject.sid }),
      ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
      ...(options.access_token === undefined ? {} : { access_token: options.access_token }),
      ...(options.code === undefined ? {} : { code: options.code }),
      ...(claims === undefined ? {} : { claims }),
    },
    ctx,
  );
}
