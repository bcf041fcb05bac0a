import { mayStillSignIn } from '../accounts/may-still-sign-in.js';
import { narrowAuthorizationDetails } from '../core/authorization-details.js';
import { canIssueRefreshToken } from '../core/scopes.js';
import { InvalidDpopProof, InvalidGrant, InvalidTarget } from '../core/errors.js';
import { requireParam } from '../http/params.js';
import { encryptionFor, ensureEncryptionKey } from '../tokens/encryption.js';
import { issueGrantTokens } from '../tokens/issue-tokens.js';
import { grantExpiry } from '../tokens/refresh-token.js';
import { digestSecret } from '../util/digest.js';
import { verifyPkce } from './pkce.js';
import type { GrantHandler } from './types.js';

/** Said for every unusable code alike: unknown, expired, replayed, another client's or of a revoked grant. */
const INVALID_CODE = 'authorization code is invalid';

/** Why a code of a revoked grant yields nothing: its tokens would be revoked, its ID token not. */
export const GRANT_REVOKED = 'the grant was revoked since (its login session ended, its consent was withdrawn)';

/**
 * `grant_type=authorization_code`: exchanges a code for tokens.
 *
 * Rules enforced, in order:
 * - RFC 9449 §10: a code bound to a DPoP key (`dpop_jkt`) comes with a proof by that key;
 * - RFC 6749 §4.1.2: a code is single-use; it is consumed atomically, and a second redemption
 *   MUST be denied and SHOULD revoke the tokens the first one issued (here: the whole grant);
 * - RFC 6749 §4.1.3: the code was issued to the authenticated client;
 * - the code has not expired;
 * - RFC 6749 §4.1.3: `redirect_uri` is identical to the authorization request's when that
 *   request carried one;
 * - RFC 7636 / RFC 9700 §2.1.1: the PKCE verifier matches, and no verifier without a challenge;
 * - RFC 9396 §6.1: `authorization_details`, when sent, asks for some of those granted (each one
 *   of them exactly); the refresh token keeps them all;
 * - the account may still sign in;
 * - the grant has not been revoked since the code was issued — its login session ended (logout),
 *   its consent was withdrawn: the tokens would read as revoked, but the ID token would sign the
 *   end-user in to a client already told of the logout (OIDC Back-Channel Logout §2.7). Checked
 *   where the tokens are stored, in the same statement (`issueGrantTokens`).
 * @throws InvalidGrant | InvalidRequest
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 */
export const authorizationCode: GrantHandler = {
  grantType: 'authorization_code',
  parameters: ['code', 'redirect_uri', 'code_verifier', 'resource', 'authorization_details'],

  async exchange({ params, client, dpop }, ctx) {
    const code = requireParam(params, 'code');
    const now = ctx.clock.now();
    // An ID token the client wants encrypted to a key it no longer has would fail after the code is spent.
    if (encryptionFor(client, 'id_token') !== undefined) await ensureEncryptionKey(client, 'id_token', ctx);
    const consumed = await ctx.storage.artifacts.consume('authorization_code', digestSecret(code));
    if (!consumed) throw new InvalidGrant(INVALID_CODE, { cause: new Error('unknown or expired code') });
    const record = consumed.value;
    // RFC 9449 §10: a code bound to a DPoP key is redeemed only with a proof by that key. Checked
    // before a replay is acted on: without the key, a stolen code cannot revoke its grant.
    if (record.dpop_jkt !== undefined) {
      if (dpop === undefined) throw new InvalidDpopProof('a DPoP proof is required: the authorization was bound to a DPoP key (dpop_jkt)');
      if (dpop.jkt !== record.dpop_jkt) throw new InvalidGrant('the DPoP proof is not signed by the key the authorization was bound to (dpop_jkt)');
    }

    if (consumed.replayed) {
      await ctx.storage.tokens.revokeGrant(record.grant_id, now);
      ctx.events.emit('authorization_code.replayed', { client_id: record.client_id, grant_id: record.grant_id });
      throw new InvalidGrant(INVALID_CODE, { cause: new Error('code replayed; its grant is revoked') });
    }
    if (record.client_id !== client.client_id) throw new InvalidGrant(INVALID_CODE, { cause: new Error(`code belongs to ${record.client_id}`) });
    if (record.expires_at <= now) throw new InvalidGrant(INVALID_CODE, { cause: new Error('code expired') });

    if (record.redirect_uri_provided || params.redirect_uri !== undefined) {
      if (params.redirect_uri === undefined) throw new InvalidGrant('redirect_uri is required');
      if (params.redirect_uri !== record.redirect_uri) throw new InvalidGrant('redirect_uri does not match the authorization request');
    }
    verifyPkce(record.code_challenge, params.code_verifier);
    // RFC 8707 §2.2: a resource at the token endpoint must be one the authorization was for.
    if (params.resource !== undefined && params.resource !== record.resource) throw new InvalidTarget('resource was not part of the authorization request');
    // RFC 9396 §6.1: the access token may be for some of the authorization details granted.
    const details = narrowAuthorizationDetails(params.authorization_details, record.authorization_details, client, ctx.config);

    if (!(await mayStillSignIn(record.sub, ctx.accounts))) throw new InvalidGrant('the end-user can no longer sign in');

    const scopes = record.scope === '' ? [] : record.scope.split(' ');
    const response = await issueGrantTokens(
      {
        client,
        sub: record.sub,
        scopes,
        grant_id: record.grant_id,
        grant_type: 'authorization_code',
        sid: record.sid,
        auth_time: record.auth_time,
        amr: record.amr,
        ...(record.acr === undefined ? {} : { acr: record.acr }),
        ...(record.resource === undefined ? {} : { audience: record.resource }),
        ...(record.claims === undefined ? {} : { claims: record.claims }),
        ...(details === undefined ? {} : { authorization_details: details }),
        ...(dpop === undefined ? {} : { jkt: dpop.jkt }),
      },
      {
        ...(canIssueRefreshToken(client, scopes, ctx.config)
          ? { refreshToken: { grant_expires_at: grantExpiry(ctx), ...(record.authorization_details === undefined ? {} : { authorization_details: record.authorization_details }) } }
          : {}),
        ...(record.nonce === undefined ? {} : { nonce: record.nonce }),
      },
      ctx,
    );
    if (!response) throw new InvalidGrant(INVALID_CODE, { cause: new Error(GRANT_REVOKED) });
    ctx.events.emit('authorization_code.consumed', { client_id: client.client_id, sub: record.sub, grant_id: record.grant_id });
    return response;
  },
};
