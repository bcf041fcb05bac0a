import { SCOPE_CLAIMS } from '../accounts/claims.js';
import type { ClientRecord, ResourceServerRecord } from '../storage/types.js';
import type { Config } from './config.js';
import type { ProviderContext } from './context.js';
import { InvalidScope } from './errors.js';

/** The scopes latchkey understands (OIDC Core §5.4, §11). */
export const SUPPORTED_SCOPES: readonly string[] = ['openid', ...Object.keys(SCOPE_CLAIMS), 'offline_access'];

/**
 * The scope of latchkey's own admin API. Never self-registered (it is not among the scopes
 * latchkey offers relying parties); a client an administrator registered with it gets it by
 * client credentials; an end-user gets it only while their account has the `admin` role.
 */
export const ADMIN_SCOPE = 'latchkey:admin';

/**
 * `scopes` without those the end-user `sub` may not hold: `latchkey:admin` unless their built-in
 * account has the admin role.
 */
export async function scopesForAccount(scopes: readonly string[], sub: string, ctx: ProviderContext): Promise<string[]> {
  if (!scopes.includes(ADMIN_SCOPE)) return [...scopes];
  const account = await ctx.storage.accounts.findBySub(sub);
  const isAdmin = account !== undefined && !account.disabled && account.roles.includes('admin');
  return isAdmin ? [...scopes] : scopes.filter((scope) => scope !== ADMIN_SCOPE);
}

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Splits a `scope` parameter into its tokens, without duplicates, in order.
 * @throws InvalidScope when a token has characters RFC 6749 §3.3 does not allow.
 */
export function parseScope(value: string | undefined): string[] {
  if (value === undefined) return [];
  const tokens = value.split(' ').filter((token) => token !== '');
  for (const token of tokens) {
    if (!SCOPE_TOKEN.test(token)) throw new InvalidScope('scope is malformed');
  }
  return [...new Set(tokens)];
}

/** The scopes that speak of an end-user; meaningless in a token a client gets for itself. */
export const IDENTITY_SCOPES: ReadonlySet<string> = new Set(SUPPORTED_SCOPES);

/**
 * The requested scopes this server will grant to `client` at the authorization endpoint. A client
 * with a registered `scope` may be granted exactly those (including its own API scopes); a client
 * without one, any scope latchkey understands. With a resource server (RFC 8707), its API scopes
 * may be granted too, within the client's registered scope. Other scopes are dropped (OIDC Core §3.1.2.1: scope
 * values that are not understood SHOULD be ignored); `offline_access` only for a client that may
 * use refresh tokens.
 */
export function grantableScopes(requested: readonly string[], client: ClientRecord, server?: ResourceServerRecord): string[] {
  const registered = client.scope === undefined ? undefined : new Set(client.scope.split(' '));
  return requested.filter((scope) => {
    if (scope === 'offline_access' && !client.grant_types.includes('refresh_token')) return false;
    if (server !== undefined && !SUPPORTED_SCOPES.includes(scope)) return mayGrantApiScope(scope, server, client);
    return registered ? registered.has(scope) : SUPPORTED_SCOPES.includes(scope);
  });
}

/**
 * Whether `client` may be granted API scope `scope` of resource server `server`: the server
 * offers it, and the client registered it or registered no scope limit at all.
 */
export function mayGrantApiScope(scope: string, server: ResourceServerRecord, client: ClientRecord): boolean {
  if (!server.scope.split(' ').includes(scope)) return false;
  return client.scope === undefined || client.scope.split(' ').includes(scope);
}

/** Whether a code exchange for these scopes yields a refresh token, per `refreshTokenIssuance`. */
export function canIssueRefreshToken(client: ClientRecord, scopes: readonly string[], config: Config): boolean {
  if (!client.grant_types.includes('refresh_token')) return false;
  return config.refreshTokenIssuance === 'always' || scopes.includes('offline_access');
}
