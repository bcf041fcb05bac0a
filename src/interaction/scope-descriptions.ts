import type { ScopeDisplay } from './pages.js';

/** What each scope gives the client, in the words the consent page uses. */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  openid: 'Confirm who you are (your account identifier)',
  profile: 'Your basic profile: name, username, picture and locale',
  email: 'Your email address and whether it is verified',
  address: 'Your postal address',
  phone: 'Your phone number',
  offline_access: 'Stay connected when you are not using it (keeps access until you revoke it)',
};

/** Consent-page descriptions for `scopes`. */
export function describeScopes(scopes: readonly string[]): ScopeDisplay[] {
  return scopes.map((scope) => ({ scope, description: DESCRIPTIONS[scope] ?? scope }));
}
