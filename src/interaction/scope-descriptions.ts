import type { ResourceServerRecord } from '../storage/types.js';
import type { ScopeDisplay } from './pages.js';

/** What each scope gives the client, in the words the consent page uses. */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  openid: 'Confirm who you are (your account identifier)',
  profile: 'Your basic profile: name, username, picture and locale',
  email: 'Your email address and whether it is verified',
  address: 'Your postal address',
  phone: 'Your phone number',
  groups: 'The groups you belong to',
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

/** Plain names of the standard claims (OIDC Core §5.1), for claims requested one by one. */
const CLAIM_NAMES: Readonly<Record<string, string>> = {
  name: 'full name',
  given_name: 'given name',
  family_name: 'family name',
  middle_name: 'middle name',
  nickname: 'nickname',
  preferred_username: 'username',
  profile: 'profile page',
  picture: 'picture',
  website: 'website',
  gender: 'gender',
  birthdate: 'birthdate',
  zoneinfo: 'time zone',
  locale: 'locale',
  updated_at: 'profile update time',
  email: 'email address',
  email_verified: 'whether your email address is verified',
  address: 'postal address',
  phone_number: 'phone number',
  phone_number_verified: 'whether your phone number is verified',
  groups: 'groups',
};

/** Consent-page lines for claims requested one by one (the `claims` parameter, OIDC Core §5.5). */
export function describeClaims(names: readonly string[]): ScopeDisplay[] {
  return names.map((name) => ({ scope: name, description: `Your ${CLAIM_NAMES[name] ?? name}` }));
}
