import type { Accounts } from './types.js';

/**
 * Whether the end-user of a grant that is not revoked may still sign in, as a code exchange, a
 * refresh or an introspection asks before it answers for the grant. With built-in accounts
 * (`disablingRevokesGrants`), a grant outlives its account's ability to sign in by nothing:
 * disabling the account revoked it, and its tokens read as revoked already. With accounts kept
 * elsewhere, the account is read.
 */
export async function mayStillSignIn(sub: string, accounts: Accounts): Promise<boolean> {
  return accounts.disablingRevokesGrants === true || (await accounts.findById(sub)) !== undefined;
}
