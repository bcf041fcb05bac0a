import type { ProviderContext } from '../core/context.js';
import { AccessDenied } from '../core/errors.js';
import { responseTypeParts } from '../core/response-types.js';
import { canIssueRefreshToken, scopesForAccount } from '../core/scopes.js';
import type { AuthorizationRequest, ClientRecord, SessionRecord } from '../storage/types.js';
import { mintAccessToken } from '../tokens/access-token.js';
import { issueAuthorizationCode } from '../tokens/authorization-code.js';
import { grantRecord } from '../tokens/grant-record.js';
import { issueIdTokenFor } from '../tokens/issue-tokens.js';
import { subjectFor } from '../tokens/subject.js';
import type { EndUserTokenSubject } from '../tokens/types.js';
import { timeOrderedId } from '../util/random.js';
import { reportedAcr } from './assurance.js';
import { respondToClient, respondWithError } from './authorization-response.js';
import { responseTargetOf } from './authorization-request.js';
import type { Answer } from '../http/responses.js';

/**
 * Ends a successful authorization: stores the grant's record (`grantRecord`), issues what the
 * response type asks for and sends it to the client. All of it belongs to that grant, so that a
 * replayed code revokes the access token a hybrid response already delivered, and logout in the
 * session revokes them all and tells the client.
 *
 * - `code`: an authorization code (RFC 6749 §4.1.2);
 * - `token`: an access token, never a refresh token (OIDC Core §3.2.2.5, §3.3.2.5);
 * - `id_token`: an ID token with `at_hash` / `c_hash` for what it travels with, and — when no
 *   access token comes with it — the user's claims for the granted scopes (OIDC Core §5.4);
 *   claims requested for it one by one (§5.5) in any case.
 * The tokens' `acr` is the login's, or the level asked for that it reached (`reportedAcr`).
 * A `claims` request for a particular `sub` is answered only for that end-user (§5.5.1.1);
 * `latchkey:admin` is granted only to an account with the admin role (`scopesForAccount`).
 */
export async function completeAuthorization(
  asked: AuthorizationRequest,
  client: ClientRecord,
  session: SessionRecord,
  ctx: ProviderContext,
  options: { afterPost: boolean; headers?: HeadersInit },
): Promise<Answer> {
  const request: AuthorizationRequest = { ...asked, scopes: await scopesForAccount(asked.scopes, session.sub, ctx) };
  // The login as this client's tokens tell it: at the level asked for, when it was reached.
  const acr = reportedAcr(session.acr, request);
  const login: SessionRecord = { ...session, ...(acr === undefined ? {} : { acr }) };
  const target = responseTargetOf(request, client);
  // OIDC Core §5.5.1.1: asked for a particular sub, never answer for another end-user.
  if (request.claims?.sub !== undefined && request.claims.sub !== subjectFor(client, session.sub, ctx)) {
    return respondWithError(target, new AccessDenied('the signed-in end-user is not the one the claims parameter names'), ctx, options.afterPost);
  }
  const parts = responseTypeParts(request.response_type);
  const grant_id = timeOrderedId();
  // The grant's record first: whatever the client gets below, logout in this session finds it.
  const authorization = { grant_id, client_id: client.client_id, sub: session.sub, sid: session.sid, scopes: request.scopes };
  const lifetime = { redeemWithinSeconds: ctx.config.authorizationCodeTtlSeconds, refreshable: parts.code && canIssueRefreshToken(client, request.scopes, ctx.config) };
  await ctx.storage.tokens.insertGrant(grantRecord(authorization, lifetime, ctx));
  const response: Record<string, string> = {};
  if (parts.code) response.code = await issueAuthorizationCode(request, login, grant_id, ctx);

  if (parts.token || parts.idToken) {
    const subject: EndUserTokenSubject = {
      client,
      sub: session.sub,
      scopes: request.scopes,
      grant_id,
      // Tokens sent from the authorization endpoint come by the implicit grant (RFC 7591 §2),
      // in the hybrid response types too.
      grant_type: 'implicit',
      sid: session.sid,
      auth_time: session.auth_time,
      amr: session.amr,
      ...(login.acr === undefined ? {} : { acr: login.acr }),
      ...(request.resource === undefined ? {} : { audience: request.resource }),
      ...(request.claims === undefined ? {} : { claims: request.claims }),
      ...(request.authorization_details === undefined ? {} : { authorization_details: request.authorization_details }),
    };
    if (parts.token) {
      const { access_token, expires_in, record, issued } = await mintAccessToken(subject, ctx);
      // Stored unless the grant stored above is revoked already: its account was disabled in the
      // moment since the session was read (the disabling revoked the account's grants before
      // this one was stored).
      if (!(await ctx.storage.tokens.insertUnlessGrantRevoked([record]))) {
        return respondWithError(target, new AccessDenied('the end-user can no longer sign in'), ctx, options.afterPost);
      }
      ctx.events.emit('access_token.issued', issued);
      Object.assign(response, { access_token, token_type: 'Bearer', expires_in: String(expires_in), scope: request.scopes.join(' ') });
    }
    if (parts.idToken) {
      response.id_token = await issueIdTokenFor(
        subject,
        {
          ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
          ...(response.access_token === undefined ? {} : { access_token: response.access_token }),
          ...(response.code === undefined ? {} : { code: response.code }),
          // Without an access token the scopes' claims travel in the ID token (§5.4).
          scopeClaims: !parts.token,
        },
        ctx,
      );
    }
    ctx.events.emit('authorization.tokens_issued', { client_id: client.client_id, sub: session.sub, grant_id, response_type: request.response_type });
  }

  return respondToClient(target, response, ctx, options);
}
