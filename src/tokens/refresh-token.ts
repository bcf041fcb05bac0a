import type { ProviderContext } from '../core/context.js';
import type { ClientRecord, EpochSeconds, TokenRecord } from '../storage/types.js';
import { tokenFields } from './access-token.js';
import type { TokenSubject } from './types.js';
import { newOpaqueToken, tokenKey } from './token-key.js';

/**
 * A refresh token and its row, not yet stored (`issueTokens` stores it with the access token):
 * 256 random bits, stored as its digest. It expires after the idle lifetime, and never later
 * than `grant_expires_at`, the grant's absolute end.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-1.5
 */
export function mintRefreshToken(subject: TokenSubject, grant_expires_at: EpochSeconds, ctx: ProviderContext): { refresh_token: string; record: TokenRecord } {
  const refresh_token = newOpaqueToken();
  const now = ctx.clock.now();
  return {
    refresh_token,
    record: {
      token_digest: tokenKey(refresh_token),
      kind: 'refresh_token',
      ...tokenFields(subject),
      issued_at: now,
      expires_at: idleExpiry(now, grant_expires_at, ctx),
      grant_expires_at,
    },
  };
}

/** The absolute end of a grant authorized now. */
export function grantExpiry(ctx: ProviderContext): EpochSeconds {
  return ctx.clock.now() + ctx.config.refreshTokenTtlSeconds;
}

/** When a refresh token used (or issued) at `now` expires: idle lifetime, capped by the grant's end. */
export function idleExpiry(now: EpochSeconds, grant_expires_at: EpochSeconds, ctx: ProviderContext): EpochSeconds {
  return Math.min(now + ctx.config.refreshTokenIdleTtlSeconds, grant_expires_at);
}

/**
 * Whether redeeming the client's refresh tokens replaces them (RFC 9700 §4.14.2): as the client
 * registered `refresh_token_rotation`, else on for public clients, whose tokens are not bound to
 * a credential.
 */
export function rotatesRefreshTokens(client: ClientRecord): boolean {
  return client.refresh_token_rotation ?? client.token_endpoint_auth_method === 'none';
}
