import type { ProviderContext } from '../core/context.js';
import type { SigningAlgorithm } from '../keys/algorithms.js';
import { signJwt } from '../keys/jws.js';
import type { ClientRecord } from '../storage/types.js';
import { randomToken } from '../util/random.js';
import { subjectFor } from './subject.js';

/** OIDC Back-Channel Logout §2.4: the event a logout token carries. */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** How long a logout token is valid: long enough to deliver, short enough to be useless later. */
const LOGOUT_TOKEN_TTL_SECONDS = 120;

/**
 * A logout token for `client` (OIDC Back-Channel Logout §2.4): signed like the client's ID tokens,
 * `typ` `logout+jwt`, with `iss`, `aud`, `iat`, `exp`, `jti`, `sub`, `sid` and the back-channel
 * logout event — and never a `nonce`, so that it cannot pass for an ID token.
 */
export async function issueLogoutToken(client: ClientRecord, subject: { sub: string; sid: string }, ctx: ProviderContext): Promise<string> {
  const alg = client.id_token_signed_response_alg as SigningAlgorithm;
  const now = ctx.clock.now();
  return signJwt(await ctx.keys.signingKey(alg), 'logout+jwt', {
    iss: ctx.config.issuer,
    sub: subjectFor(client, subject.sub, ctx),
    aud: client.client_id,
    iat: now,
    exp: now + LOGOUT_TOKEN_TTL_SECONDS,
    jti: randomToken(16),
    sid: subject.sid,
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
  });
}
