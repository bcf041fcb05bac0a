import type { ProviderContext } from '../core/context.js';
import type { AuthorizationRequest, SessionRecord } from '../storage/types.js';
import { digestSecret } from '../util/digest.js';
import { randomToken } from '../util/random.js';

/**
 * Issues an authorization code for a request the user has approved: 256 random bits, stored by
 * digest for `authorizationCodeTtlSeconds`, bound to the client, redirect URI, PKCE challenge,
 * nonce, DPoP key (`dpop_jkt`) and session (DESIGN.md: codes are bound to all of them). The grant id its tokens will
 * carry is fixed by the caller, so that a replay can revoke them — and, in a hybrid response,
 * the access token issued beside the code.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export async function issueAuthorizationCode(request: AuthorizationRequest, session: SessionRecord, grant_id: string, ctx: ProviderContext): Promise<string> {
  const code = randomToken();
  const now = ctx.clock.now();
  const ttl = ctx.config.authorizationCodeTtlSeconds;
  await ctx.storage.artifacts.put(
    'authorization_code',
    digestSecret(code),
    {
      client_id: request.client_id,
      redirect_uri: request.redirect_uri,
      redirect_uri_provided: request.redirect_uri_provided,
      scope: request.scopes.join(' '),
      sub: session.sub,
      sid: session.sid,
      auth_time: session.auth_time,
      amr: session.amr,
      ...(session.acr === undefined ? {} : { acr: session.acr }),
      grant_id,
      issued_at: now,
      expires_at: now + ttl,
      ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
      ...(request.code_challenge === undefined ? {} : { code_challenge: request.code_challenge }),
      ...(request.resource === undefined ? {} : { resource: request.resource }),
      ...(request.claims === undefined ? {} : { claims: request.claims }),
      ...(request.authorization_details === undefined ? {} : { authorization_details: request.authorization_details }),
      ...(request.dpop_jkt === undefined ? {} : { dpop_jkt: request.dpop_jkt }),
    },
    ttl,
  );
  ctx.events.emit('authorization_code.issued', { client_id: request.client_id, sub: session.sub, grant_id });
  return code;
}
