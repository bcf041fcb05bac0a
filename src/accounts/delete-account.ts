import type { ProviderContext } from '../core/context.js';
import { endSessionsOf } from '../interaction/logout.js';
import { noticeAccountDeleted } from './security-notices.js';
import type { AccountRecord } from '../storage/types.js';

/**
 * Deletes a built-in account for `actor` (the person in the account console, an administrator):
 * its login sessions end first, as logouts (relying parties with back-channel or front-channel
 * logout are told), then the account goes in one transaction with every grant of it revoked —
 * codes, access and refresh tokens, offline ones too — and its consents (`AccountStore.delete`);
 * with a mailer, its verified address is told (a security notice).
 * @returns false when it was gone already.
 */
export async function deleteAccount(account: AccountRecord, actor: string, ctx: ProviderContext): Promise<boolean> {
  await endSessionsOf(account.sub, ctx, { actor });
  if (!(await ctx.storage.accounts.delete(account.sub))) return false;
  ctx.events.emit('user.deleted', { sub: account.sub, username: account.username, actor });
  noticeAccountDeleted(account, actor, ctx);
  return true;
}
