import type { ResourceServerRecord } from '../storage/types.js';
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

/**
 * Consent-page descriptions for `scopes`. A scope of the resource server the token will be for
 * (RFC 8707) names that API, so that the user sees where the access goes.
 */
export function describeScopes(scopes: readonly string[], server?: ResourceServerRecord): ScopeDisplay[] {
  return scopes.map((scope) => {
    const known = DESCRIPTIONS[scope];
    if (known !== undefined) return { scope, description: known };
    if (server !== undefined && server.scope.split(' ').includes(scope)) return { scope, description: `${scope} at ${server.name ?? server.resource}` };
    return { scope, description: scope };
  });
}
