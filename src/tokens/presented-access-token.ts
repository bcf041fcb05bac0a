/**
 * An access token as latchkey's own protected resources receive it — `/userinfo`, the admin API:
 * `Authorization: Bearer …` (RFC 6750 §2.1) or `Authorization: DPoP …` with a proof (RFC 9449
 * §7.1) — and the check that it is sent the way it was issued: a token bound to a DPoP key only
 * with the DPoP scheme and a fresh proof by that key, a bearer token only as a bearer token.
 */
import type { ProviderContext } from '../core/context.js';
import { InvalidDpopProof, InvalidToken, UseDpopNonce } from '../core/errors.js';
import type { PresentedAccessToken } from '../http/bearer.js';
import type { ProtocolRequest } from '../http/protocol-request.js';
import type { TokenRecord } from '../storage/types.js';
import { DPOP_ALGORITHMS, verifyDpopProof, type DpopProof } from './dpop.js';
import { findActiveToken } from './find-token.js';

/**
 * The active access token `presented` names, sent as it was issued. With the DPoP scheme, the
 * request's proof must be valid for `url` and the token (`ath`), and signed by the key the token
 * is bound to; a bound token sent as a bearer token is refused (RFC 9449 §7.2: otherwise a stolen
 * one would work without the key). The record is undefined for an unknown, expired or revoked
 * token; `proof`, the verified proof of a DPoP request.
 * @throws InvalidDpopProof (401) | UseDpopNonce (401) | InvalidToken
 */
export async function findPresentedAccessToken(presented: PresentedAccessToken, request: ProtocolRequest, url: string, ctx: ProviderContext): Promise<{ record: TokenRecord | undefined; proof?: DpopProof }> {
  if (presented.scheme === 'DPoP') {
    const proof = await verifyDpopProof(request, { url, accessToken: presented.token, status: 401 }, ctx);
    if (proof === undefined) throw new InvalidDpopProof('a DPoP proof is required with the DPoP scheme', { status: 401 });
    const record = await findActiveToken(presented.token, ctx, 'access_token');
    if (record !== undefined && record.jkt !== proof.jkt) throw new InvalidToken('access token is not bound to the key of the DPoP proof');
    return { record, proof };
  }
  const record = await findActiveToken(presented.token, ctx, 'access_token');
  if (record?.jkt !== undefined) throw new InvalidToken('access token is bound to a DPoP key: send it with the DPoP scheme and a proof');
  return { record };
}

/**
 * The `WWW-Authenticate` challenge of a protected resource's error: RFC 9449 §7.1's `DPoP` one,
 * with the accepted proof algorithms, for a request that used the DPoP scheme or whose proof
 * failed; RFC 6750 §3's `Bearer` one otherwise. `attributes` are the challenge's own (`realm`,
 * `scope`, `error` …).
 */
export function resourceChallenge(scheme: PresentedAccessToken['scheme'] | undefined, error: unknown, attributes: readonly string[]): string {
  if (scheme === 'DPoP' || error instanceof InvalidDpopProof || error instanceof UseDpopNonce) return `DPoP ${[...attributes, `algs="${DPOP_ALGORITHMS.join(' ')}"`].join(', ')}`;
  return `Bearer ${attributes.join(', ')}`;
}
