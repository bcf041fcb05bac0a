import type { GrantRecord, TokenRecord } from '../storage/types.js';
import type { EndUserTokenSubject } from './types.js';

/**
 * The record of `subject`'s grant as storing `tokens` makes it: the end-user, the client and the
 * login session it came from, whether it was given `offline_access`, and the end of the longest-
 * lived of the tokens (a refresh token's absolute end).
 */
export function grantRecord(subject: EndUserTokenSubject, tokens: readonly TokenRecord[]): GrantRecord {
  let expires_at = 0;
  for (const token of tokens) expires_at = Math.max(expires_at, token.expires_at, token.grant_expires_at ?? 0);
  return {
    grant_id: subject.grant_id,
    client_id: subject.client.client_id,
    sub: subject.sub,
    ...(subject.sid === undefined ? {} : { sid: subject.sid }),
    offline: subject.scopes.includes('offline_access'),
    expires_at,
  };
}
