import { mayStillSignIn } from '../accounts/may-still-sign-in.js';
import type { ProviderContext } from '../core/context.js';
import type { ClientRecord, EpochSeconds, TokenRecord } from '../storage/types.js';
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

/** The client `record` was issued to: `client` when it is that one, else read (from the cache). */
export async function ownerOf(record: TokenRecord, client: ClientRecord, ctx: ProviderContext): Promise<ClientRecord | undefined> {
  return record.client_id === client.client_id ? client : ctx.storage.clients.find(record.client_id);
}

/**
 * Whether the token of `record`, issued to `owner`, stands now: active, its client registered and
 * enabled, its end-user (if any) still able to sign in — a host application's account can be
 * disabled without latchkey revoking anything. What introspection calls active.
 */
export async function isStanding(record: TokenRecord, owner: ClientRecord | undefined, ctx: ProviderContext): Promise<boolean> {
  if (owner === undefined || owner.disabled || !isActive(record, ctx.clock.now())) return false;
  return record.sub === undefined || mayStillSignIn(record.sub, ctx.accounts);
}

/** Whether the token of `record` is `client`'s business: issued to it, or for the resource server (RFC 8707 audience) it is registered as. */
export async function isTokenFor(record: TokenRecord, client: ClientRecord, ctx: ProviderContext): Promise<boolean> {
  if (record.client_id === client.client_id) return true;
  if (record.audience === undefined) return false;
  const server = await ctx.storage.resourceServers.find(record.audience);
  return server?.client_id === client.client_id;
}
