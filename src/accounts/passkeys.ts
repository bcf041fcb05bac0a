/**
 * The passkeys of a built-in account as records: removing one, by the person (account console)
 * or an administrator (a lost device). Making one is the account console's (it needs the person).
 */
import type { ProviderContext } from '../core/context.js';
import type { AccountPasskey, AccountRecord } from '../storage/types.js';

/**
 * Removes the passkey `id` of `account` (read again: the passkeys as they are now); `actor` is
 * who removes it (`user:<sub>` for the person).
 * @returns the passkey removed, or undefined when the account has no such passkey.
 */
export async function removePasskey(account: Pick<AccountRecord, 'sub'>, id: string, actor: string, ctx: Pick<ProviderContext, 'storage' | 'clock' | 'events'>): Promise<AccountPasskey | undefined> {
  const current = await ctx.storage.accounts.findBySub(account.sub);
  const removed = current?.passkeys?.find((passkey) => passkey.id === id);
  if (current === undefined || removed === undefined) return undefined;
  const left = current.passkeys!.filter((passkey) => passkey.id !== id);
  const { passkeys: _all, ...rest } = current;
  await ctx.storage.accounts.update({ ...rest, ...(left.length === 0 ? {} : { passkeys: left }), updated_at: ctx.clock.now() });
  ctx.events.emit('user.passkey_removed', { sub: account.sub, name: removed.name, actor });
  return removed;
}
