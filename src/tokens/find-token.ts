import type { ProviderContext } from '../core/context.js';
import type { EpochSeconds, TokenRecord } from '../storage/types.js';
import { tokenKey } from './token-key.js';

/** Whether a token can be used at `now`: not expired, not revoked (itself or its grant). */
export function isActive(record: TokenRecord, now: EpochSeconds): boolean {
  return record.revoked_at === undefined && record.expires_at > now;
}

/**
 * The record of an opaque token (access or refresh) if it is usable now: known, of the wanted
 * kind when one is given, not expired, not revoked. Undefined otherwise, for every reason alike.
 */
export async function findActiveToken(value: string, ctx: ProviderContext, kind?: TokenRecord['kind']): Promise<TokenRecord | undefined> {
  const record = await ctx.storage.tokens.find(tokenKey(value));
  if (!record || (kind !== undefined && record.kind !== kind)) return undefined;
  return isActive(record, ctx.clock.now()) ? record : undefined;
}
