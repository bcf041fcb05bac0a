import { type GrantRecord, LONGEST_ACCESS_TOKEN_SECONDS, type TokenRecord } from '../storage/types.js';
import type { EndUserTokenSubject } from './types.js';

/**
 * The record of `subject`'s grant as storing `tokens` makes it: the end-user, the client and the
 * login session it came from, whether it was given `offline_access`, and until when a token of it
 * can live — the longest-lived of these tokens, or for a grant with refresh tokens their absolute
 * end and the lifetime of an access token a last refresh makes just before it.
 */
export function grantRecord(subject: EndUserTokenSubject, tokens: readonly TokenRecord[]): GrantRecord {
  let expires_at = 0;
  for (const token of tokens) {
    expires_at = Math.max(expires_at, token.expires_at, token.grant_expires_at === undefined ? 0 : token.grant_expires_at + LONGEST_ACCESS_TOKEN_SECONDS);
  }
  return {
    grant_id: subject.grant_id,
    client_id: subject.client.client_id,
    sub: subject.sub,
    ...(subject.sid === undefined ? {} : { sid: subject.sid }),
    offline: subject.scopes.includes('offline_access'),
    expires_at,
  };
}
