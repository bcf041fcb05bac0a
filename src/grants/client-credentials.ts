import { readAuthorizationDetails } from '../core/authorization-details.js';
import { InvalidScope } from '../core/errors.js';
import { resolveResource } from '../core/resource-servers.js';
import { IDENTITY_SCOPES, mayGrantApiScope, parseScope } from '../core/scopes.js';
import { issueAccessToken, tokenTypeFor } from '../tokens/access-token.js';
import { timeOrderedId } from '../util/random.js';
import type { GrantHandler } from './types.js';

/**
 * `grant_type=client_credentials`: an access token a confidential client gets for itself.
 *
 * - RFC 6749 §4.4: only for clients that authenticate (a client registered with `none` cannot
 *   be registered for this grant);
 * - RFC 6749 §4.4.3: no refresh token; there is no end-user, so no ID token either, and the
 *   token carries no `sub` (the userinfo endpoint refuses it);
 * - RFC 6749 §3.3: the requested `scope` must lie within the client's registered `scope`;
 *   without one, the client gets its registered scopes. End-user scopes (`openid`, `profile`…)
 *   are refused: they speak of a person this grant does not have;
 * - RFC 8707: with `resource`, the token is for that resource server, and its scopes must be
 *   the server's;
 * - RFC 9396 §6: `authorization_details` of types the client is registered for, each as its
 *   type's schema has it; the token carries them.
 * @throws InvalidScope | InvalidAuthorizationDetails
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 */
export const clientCredentials: GrantHandler = {
  grantType: 'client_credentials',
  parameters: ['scope', 'resource', 'authorization_details'],

  async exchange({ params, client, dpop }, ctx) {
    const server = await resolveResource(params.resource, ctx);
    const registered = (client.scope ?? '').split(' ').filter((scope) => scope !== '' && !IDENTITY_SCOPES.has(scope));
    // For a resource server, only its scopes: the token's audience must be able to honour them.
    const available = server === undefined ? registered : registered.filter((scope) => mayGrantApiScope(scope, server, client));
    const scopes = params.scope === undefined ? available : parseScope(params.scope);
    const identity = scopes.filter((scope) => IDENTITY_SCOPES.has(scope));
    if (identity.length > 0) throw new InvalidScope(`scope ${identity.join(' ')} needs an end-user; the client_credentials grant has none`);
    const unregistered = scopes.filter((scope) => !registered.includes(scope));
    if (unregistered.length > 0) throw new InvalidScope(`scope ${unregistered.join(' ')} is not registered for this client`);
    const foreign = scopes.filter((scope) => !available.includes(scope));
    if (foreign.length > 0) throw new InvalidScope(`scope ${foreign.join(' ')} is not a scope of resource ${server!.resource}`);

    const details = readAuthorizationDetails(params.authorization_details, client, ctx.config);

    const grant_id = timeOrderedId();
    const subject = {
      client,
      scopes,
      grant_id,
      grant_type: 'client_credentials',
      ...(server === undefined ? {} : { audience: server.resource }),
      ...(details === undefined ? {} : { authorization_details: details }),
      ...(dpop === undefined ? {} : { jkt: dpop.jkt }),
    };
    const { access_token, expires_in } = await issueAccessToken(subject, ctx);
    ctx.events.emit('client_credentials.granted', { client_id: client.client_id, grant_id, scope: scopes.join(' ') });
    return { access_token, token_type: tokenTypeFor(subject), expires_in, scope: scopes.join(' '), ...(details === undefined ? {} : { authorization_details: details }) };
  },
};
