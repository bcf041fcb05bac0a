import type { AccountRecord } from '../storage/types.js';

/**
 * The claims each scope releases: OIDC Core §5.4's, and `groups` (accounts/groups.ts), the
 * group names a person belongs to.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ScopeClaims
 */
export const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  profile: [
    'name', 'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username', 'profile',
    'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at',
  ],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
  groups: ['groups'],
};

/** Every claim latchkey can release, for discovery's `claims_supported` and the `claims` parameter. */
export const SUPPORTED_CLAIMS: readonly string[] = ['sub', ...Object.values(SCOPE_CLAIMS).flat()];

/**
 * Every claim a built-in account can release, by name: the standard ones it holds, and its
 * `groups` — an empty list when it belongs to none, so that a client granted the scope can tell
 * "no groups" from "not told".
 */
export function claimsOfAccount(account: AccountRecord): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    ...account.claims,
    preferred_username: account.username,
    updated_at: account.updated_at,
    groups: account.groups ?? [],
  };
  if (account.name !== undefined) claims.name = account.name;
  if (account.given_name !== undefined) claims.given_name = account.given_name;
  if (account.family_name !== undefined) claims.family_name = account.family_name;
  if (account.email !== undefined) {
    claims.email = account.email;
    claims.email_verified = account.email_verified;
  }
  return claims;
}

/**
 * `sub` plus the claims of `available` that `scopes` release (OIDC Core §5.4) and the supported
 * claims requested one by one in `names` (§5.5).
 */
export function selectClaims(sub: string, available: Record<string, unknown>, scopes: readonly string[], names: readonly string[] = []): Record<string, unknown> {
  const released: Record<string, unknown> = { sub };
  const release = (name: string) => {
    const value = available[name];
    if (name !== 'sub' && value !== undefined && value !== null) released[name] = value;
  };
  for (const scope of scopes) {
    if (Object.hasOwn(SCOPE_CLAIMS, scope)) for (const name of SCOPE_CLAIMS[scope]!) release(name);
  }
  for (const name of names) if (SUPPORTED.has(name)) release(name);
  return released;
}

const SUPPORTED: ReadonlySet<string> = new Set(SUPPORTED_CLAIMS);
