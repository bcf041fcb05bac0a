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
    // OIDC Core §5.5: claims requested for the ID token travel in it; the scopes' claims come from /userinfo.
    const names = subject.claims?.id_token;
    const claims = names === undefined ? undefined : await ctx.accounts.claims(subject.sub, [], names);
    response.id_token = await issueIdToken(
      {
        client: subject.client,
        sub: subject.sub,
        access_token,
        ...(subject.auth_time === undefined ? {} : { auth_time: subject.auth_time }),
        ...(subject.amr === undefined ? {} : { amr: subject.amr }),
        ...(subject.sid === undefined ? {} : { sid: subject.sid }),
        ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
        ...(claims === undefined ? {} : { claims }),
      },
      ctx,
    );
  }
  return response;
}
