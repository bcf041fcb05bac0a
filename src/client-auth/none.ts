import type { ClientAuthMethod } from './types.js';

/**
 * `none`: a public client identifies itself with `client_id` only. Nothing to verify here; what
 * protects its codes is PKCE, which the authorization endpoint requires of every public client.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication
 */
export const none: ClientAuthMethod = {
  method: 'none',
  presents: 'none',
  async verify() {},
};
