import type { ProviderContext } from '../core/context.js';
import type { EpochSeconds, TokenRecord } from '../storage/types.js';
import { tokenKeys } from './token-key.js';

/** Whether a token can be used at `now`: not expired, not revoked (itself or its grant). */
export function isActive(record: TokenRecord, now: EpochSeconds): boolean {
  return record.revoked_at === undefined && record.expires_at > now;
}

/**
 * The stored record of a presented access or refresh token, whatever its state; undefined when
 * none is stored under any of its keys (`tokenKeys`). Its `token_digest` is the key it was found
 * under, for the updates that follow.
 */
export async function findToken(value: string, ctx: ProviderContext): Promise<TokenRecord | undefined> {
  for (const key of tokenKeys(value)) {
    const record = await ctx.storage.tokens.find(key);
    if (record !== undefined) return record;
  }
  return undefined;
}

/**
 * The record of an opaque token (access or refresh) if it is usable now: known, of the wanted
 * kind when one is given, not expired, not revoked. Undefined otherwise, for every reason alike.
 */
export async function findActiveToken(value: string, ctx: ProviderContext, kind?: TokenRecord['kind']): Promise<TokenRecord | undefined> {
  const record = await findToken(value, ctx);
  if (!record || (kind !== undefined && record.kind !== kind)) return undefined;
  return isActive(record, ctx.clock.now()) ? record : undefined;
}
