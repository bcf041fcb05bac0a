import { authenticateClient } from '../client-auth/index.js';
import { InvalidGrant } from '../core/errors.js';
import { readForm, requireParam } from '../http/params.js';
import { NO_STORE, respond } from '../http/responses.js';
import { findToken } from '../tokens/find-token.js';
import type { Endpoint } from './types.js';

/**
 * Revocation endpoint: a client invalidates an access or refresh token it holds.
 *
 * - RFC 7009 §2.1: the client authenticates as it registered (a public client by `client_id`);
 * - `token_type_hint` is only a hint: both kinds are looked up by the token's digest whatever it
 *   says, so a wrong or unknown hint changes nothing;
 * - RFC 7009 §2.1: revoking a refresh token also revokes the access tokens of its grant (here:
 *   every token of the grant, which under rotation is the whole refresh-token family);
 * - a token of another client is refused with `invalid_grant` and left as it is;
 * - RFC 7009 §2.2: an unknown, expired or already revoked token still gets 200.
 * @throws InvalidRequest | InvalidClient | InvalidGrant
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
export const revocationEndpoint: Endpoint = async (request, ctx, route) => {
  const params = await readForm(request);
  const client = await authenticateClient(request, params, ctx, route.remoteAddress);
  const token = requireParam(params, 'token');

  const record = await findToken(token, ctx);
  if (record && record.revoked_at === undefined) {
    if (record.client_id !== client.client_id) {
      throw new InvalidGrant('token was not issued to this client', { cause: new Error(`token belongs to ${record.client_id}`) });
    }
    const now = ctx.clock.now();
    if (record.kind === 'refresh_token') await ctx.storage.tokens.revokeGrant(record.grant_id, now);
    else await ctx.storage.tokens.revoke(record.token_digest, now);
    ctx.events.emit('token.revoked', { client_id: client.client_id, kind: record.kind, grant_id: record.grant_id });
  }
  return respond(null, 200, NO_STORE);
};
