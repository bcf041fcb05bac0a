import { authenticateClient } from '../client-auth/index.js';
import { InvalidDpopProof, UnauthorizedClient, UnsupportedGrantType } from '../core/errors.js';
import { readForm, requireParam } from '../http/params.js';
import { jsonNoStore } from '../http/responses.js';
import { dpopNonceHeaders, verifyDpopProof } from '../tokens/dpop.js';
import type { Endpoint } from './types.js';

/**
 * Token endpoint: authenticates the client, then hands the request to its grant_type's handler.
 * Responses carry `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 §5.1).
 *
 * A request with a DPoP proof (RFC 9449 §5) gets an access token bound to the proof's key
 * (`token_type: DPoP`); the proof is verified before the grant is looked at, so that a bad one
 * spends no code. A client registered with `dpop_bound_access_tokens` must send one.
 * @throws InvalidRequest | InvalidClient | UnsupportedGrantType | UnauthorizedClient | InvalidDpopProof and the grant's errors
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 */
export const tokenEndpoint: Endpoint = async (request, ctx, route) => {
  const params = await readForm(request); // rejects repeated parameters (RFC 6749 §3.2)
  const client = await authenticateClient(request, params, ctx, route.remoteAddress);
  const grantType = requireParam(params, 'grant_type');

  const grant = ctx.grants.get(grantType);
  if (!grant) throw new UnsupportedGrantType(`grant_type ${grantType} is not supported`);
  if (!client.grant_types.includes(grantType)) {
    throw new UnauthorizedClient(`client is not allowed to use grant_type ${grantType}`);
  }

  // Most token requests carry no proof: they skip the verifier (and its await) altogether.
  const dpop = request.headers.has('dpop') ? await verifyDpopProof(request, { url: ctx.urls.token }, ctx) : undefined;
  if (dpop === undefined && client.dpop_bound_access_tokens === true) throw new InvalidDpopProof('a DPoP proof is required for this client (dpop_bound_access_tokens)');
  const tokens = await grant.exchange({ params, client, ...(dpop === undefined ? {} : { dpop }) }, ctx);
  return dpop === undefined ? jsonNoStore(tokens) : jsonNoStore(tokens, { headers: dpopNonceHeaders(dpop, ctx) });
};
