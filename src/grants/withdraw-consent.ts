import type { ProviderContext } from '../core/context.js';

/**
 * Withdraws `sub`'s remembered consent to `client_id` and revokes every authorization the user
 * gave that client, with its tokens, in one transaction: the user is asked again next time.
 * `actor` is who did it, as the audit log names it (`user:<sub>` for the user themself in the
 * account console, an administrator otherwise).
 * @returns false when there was no such consent (nothing changed).
 */
export async function withdrawConsent(sub: string, client_id: string, actor: string, ctx: ProviderContext): Promise<boolean> {
  if (!(await ctx.storage.consents.find(sub, client_id))) return false;
  const grants = await ctx.storage.transaction(async (tx) => {
    await tx.consents.delete(sub, client_id);
    return tx.tokens.revokeGrantsOf(sub, client_id, ctx.clock.now());
  });
  ctx.events.emit('consent.revoked', { sub, client_id, grants, actor });
  return true;
}
