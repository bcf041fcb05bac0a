import { mayStillSignIn } from '../accounts/may-still-sign-in.js';
import { AccessDenied, AuthorizationPending, ExpiredToken, InvalidGrant, InvalidTarget, SlowDown } from '../core/errors.js';
import { DEVICE_CODE_GRANT_TYPE } from '../core/grant-types.js';
import { canIssueRefreshToken } from '../core/scopes.js';
import { requireParam } from '../http/params.js';
import { encryptionFor, ensureEncryptionKey } from '../tokens/encryption.js';
import { issueGrantTokens } from '../tokens/issue-tokens.js';
import { grantExpiry } from '../tokens/refresh-token.js';
import { digestSecret } from '../util/digest.js';
import { GRANT_REVOKED } from './authorization-code.js';
import type { GrantHandler } from './types.js';

/** Said for every unusable device code alike: unknown, redeemed, another client's or of a revoked grant. */
const INVALID_DEVICE_CODE = 'device code is invalid';

/** RFC 8628 §3.5: how much `slow_down` adds to the polling interval. */
const SLOW_DOWN_STEP_SECONDS = 5;

/**
 * `grant_type=urn:ietf:params:oauth:grant-type:device_code`: the device polls for its tokens.
 *
 * RFC 8628 §3.5: `authorization_pending` while the user has not decided; `slow_down` (and a
 * longer interval from then on) when polling faster than the interval; `access_denied` after
 * Deny; `expired_token` once the code expired. After approval the code is consumed atomically —
 * a second redemption is refused and revokes what the first one issued, as for authorization
 * codes.
 * @throws InvalidGrant | AuthorizationPending | SlowDown | AccessDenied | ExpiredToken
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.4
 */
export const deviceCode: GrantHandler = {
  grantType: DEVICE_CODE_GRANT_TYPE,
  parameters: ['device_code', 'resource'],

  async exchange({ params, client, dpop }, ctx) {
    const id = digestSecret(requireParam(params, 'device_code'));
    const now = ctx.clock.now();
    const record = await ctx.storage.artifacts.find('device_code', id);
    if (!record || record.client_id !== client.client_id) throw new InvalidGrant(INVALID_DEVICE_CODE);
    // RFC 8707 §2.2: a resource at the token endpoint must be one the authorization was for.
    if (params.resource !== undefined && params.resource !== record.resource) throw new InvalidTarget('resource was not part of the device authorization request');
    if (record.expires_at <= now) throw new ExpiredToken('the device code has expired; start over');
    if (record.status === 'denied') throw new AccessDenied('the end-user denied the request');

    if (record.status === 'pending') {
      const poll = await ctx.storage.artifacts.find('device_poll', id);
      const interval = poll?.interval ?? ctx.config.devicePollIntervalSeconds;
      const tooSoon = poll !== undefined && now - poll.last_polled_at < interval;
      const next = tooSoon ? interval + SLOW_DOWN_STEP_SECONDS : interval;
      await ctx.storage.artifacts.put('device_poll', id, { last_polled_at: now, interval: next }, record.expires_at - now);
      if (tooSoon) throw new SlowDown(`polling too fast; wait at least ${next} seconds between requests`);
      throw new AuthorizationPending('the end-user has not yet approved the request');
    }

    // An ID token the client wants encrypted to a key it no longer has would fail after the device code is spent.
    if (encryptionFor(client, 'id_token') !== undefined) await ensureEncryptionKey(client, 'id_token', ctx);
    const consumed = await ctx.storage.artifacts.consume('device_code', id);
    if (!consumed) throw new InvalidGrant(INVALID_DEVICE_CODE);
    if (consumed.replayed) {
      await ctx.storage.tokens.revokeGrant(record.grant_id, now);
      ctx.events.emit('device_code.replayed', { client_id: client.client_id, grant_id: record.grant_id });
      throw new InvalidGrant(INVALID_DEVICE_CODE, { cause: new Error('device code redeemed twice; its grant is revoked') });
    }
    const sub = record.sub!;
    if (!(await mayStillSignIn(sub, ctx.accounts))) throw new InvalidGrant('the end-user can no longer sign in');

    const scopes = record.scope === '' ? [] : record.scope.split(' ');
    const response = await issueGrantTokens(
      {
        client,
        sub,
        scopes,
        grant_id: record.grant_id,
        grant_type: DEVICE_CODE_GRANT_TYPE,
        ...(record.resource === undefined ? {} : { audience: record.resource }),
        ...(record.authorization_details === undefined ? {} : { authorization_details: record.authorization_details }),
        ...(record.sid === undefined ? {} : { sid: record.sid }),
        ...(record.auth_time === undefined ? {} : { auth_time: record.auth_time }),
        ...(record.amr === undefined ? {} : { amr: record.amr }),
        ...(record.acr === undefined ? {} : { acr: record.acr }),
        ...(dpop === undefined ? {} : { jkt: dpop.jkt }),
      },
      canIssueRefreshToken(client, scopes, ctx.config) ? { refreshToken: { grant_expires_at: grantExpiry(ctx) } } : {},
      ctx,
    );
    // The user approved a grant that may have been revoked since (its session ended, its consent withdrawn).
    if (!response) throw new InvalidGrant(INVALID_DEVICE_CODE, { cause: new Error(GRANT_REVOKED) });
    ctx.events.emit('device_code.consumed', { client_id: client.client_id, sub, grant_id: record.grant_id });
    return response;
  },
};
