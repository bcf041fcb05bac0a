import { createHmac } from 'node:crypto';
import { isPublicClient } from '../core/client-metadata.js';
import type { ProviderContext } from '../core/context.js';
import type { ClientRecord, EpochSeconds, TokenRecord } from '../storage/types.js';
import { derivedKey } from '../util/seal.js';
import { tokenFields } from './access-token.js';
import type { TokenSubject } from './types.js';
import { newOpaqueToken, tokenKey } from './token-key.js';

/** HKDF purpose of the key a rotated refresh token's successor is computed with. */
const SUCCESSOR_PURPOSE = 'latchkey refresh token successor v1';

/**
 * A refresh token and its row, not yet stored (`issueTokens` stores it with the access token):
 * 256 random bits (or `refresh_token`, a rotated token's `successorOf`), stored as its digest. It
 * expires after the idle lifetime, and never later than `grant_expires_at`, the grant's absolute
 * end. Issued on a DPoP request to a public client, it is bound to the proof's key (RFC 9449 §5);
 * a confidential client's is bound to the client's own authentication already, and is not.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-1.5
 */
export function mintRefreshToken(
  subject: TokenSubject,
  grant_expires_at: EpochSeconds,
  ctx: ProviderContext,
  refresh_token = newOpaqueToken(),
): { refresh_token: string; record: TokenRecord } {
  const now = ctx.clock.now();
  const { jkt, ...fields } = tokenFields(subject);
  return {
    refresh_token,
    record: {
      token_digest: tokenKey(refresh_token),
      kind: 'refresh_token',
      ...fields,
      ...(jkt !== undefined && isPublicClient(subject.client) ? { jkt } : {}),
      issued_at: now,
      expires_at: idleExpiry(now, grant_expires_at, ctx),
      grant_expires_at,
    },
  };
}

/**
 * The refresh token that replaces `value` when it is rotated at `rotatedAt`: an opaque token filed
 * at that time whose 256 secret bits are HMAC-SHA-256 of `value`, keyed from the master secret.
 * Every redemption of `value` computes the same successor, so one that comes within the reuse
 * grace window, after the rotation, can hand out the refresh token the rotation stored without
 * anything else being kept; and computing it takes both `value` and the master secret.
 * @throws Error without a master secret (a provider always has one: the server's, or the
 *   library's development one)
 */
export function successorOf(value: string, rotatedAt: EpochSeconds, ctx: Pick<ProviderContext, 'config'>): string {
  const secret = ctx.config.secret;
  if (secret === undefined) throw new Error('refresh token rotation needs the master secret');
  return newOpaqueToken(rotatedAt * 1000, createHmac('sha256', derivedKey(secret, SUCCESSOR_PURPOSE)).update(value).digest('base64url'));
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
  return client.refresh_token_rotation ?? isPublicClient(client);
}
