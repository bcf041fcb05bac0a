import type { Config } from '../core/config.js';
import type { Clock } from '../util/clock.js';
import { type GrantRecord, LONGEST_ACCESS_TOKEN_SECONDS } from '../storage/types.js';

/** An end-user's authorization of a client, as `/authorize` or a device code's approval gives it. */
export interface Authorization {
  grant_id: string;
  client_id: string;
  sub: string;
  /** The login session it is given in. */
  sid?: string;
  scopes: readonly string[];
}

/**
 * The record of a grant the end-user gives now (`TokenStore.insertGrant`), stored before its code
 * or its tokens exist: logout finds every client the session authorized, whatever the client does
 * with what it got, and no token of the grant is ever without it. It is kept as long as a token of
 * the grant can live: the code or device code redeemed at the last moment (`redeemWithinSeconds`),
 * then — when its redemption can yield refresh tokens (`refreshable`) — their absolute end counted
 * from that moment, and the longest an access token lives (one a last refresh makes just before
 * that end).
 */
export function grantRecord(
  authorization: Authorization,
  lifetime: { redeemWithinSeconds: number; refreshable: boolean },
  ctx: { clock: Clock; config: Pick<Config, 'refreshTokenTtlSeconds'> },
): GrantRecord {
  const { grant_id, client_id, sub, sid, scopes } = authorization;
  const refreshing = lifetime.refreshable ? ctx.config.refreshTokenTtlSeconds : 0;
  return {
    grant_id,
    client_id,
    sub,
    ...(sid === undefined ? {} : { sid }),
    offline: scopes.includes('offline_access'),
    expires_at: ctx.clock.now() + lifetime.redeemWithinSeconds + refreshing + LONGEST_ACCESS_TOKEN_SECONDS,
  };
}
