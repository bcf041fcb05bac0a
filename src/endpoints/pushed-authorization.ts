import { authenticateClient } from '../client-auth/index.js';
import { InvalidRequest } from '../core/errors.js';
import { readForm } from '../http/params.js';
import { jsonNoStore } from '../http/responses.js';
import { resolveClientAndRedirectUri, validateAuthorizationRequest } from '../interaction/authorization-request.js';
import { authorizationParams, storePushedRequest } from '../interaction/pushed-request.js';
import { checkSignedWhenRequired, openRequestObject } from '../interaction/request-object.js';
import { dpopNonceHeaders, verifyDpopProof } from '../tokens/dpop.js';
import type { Endpoint } from './types.js';

/**
 * Pushed authorization request endpoint, `POST /par` (RFC 9126 §2): the client sends the
 * parameters of an authorization request directly, authenticated, and gets back a `request_uri`
 * to send the browser to `/authorize` with (`client_id` and `request_uri` alone).
 *
 * - the client authenticates as at the token endpoint (public clients by `client_id`);
 * - `request_uri` must not be pushed (§2.1);
 * - a request object (`request`, RFC 9101) is opened here (§3): its claims are the request, what
 *   else the form holds besides client authentication is ignored; a client that must sign its
 *   requests (`require_signed_request_object`) must push one;
 * - the request is validated as `/authorize` validates it — registered `redirect_uri`, response
 *   type, scopes, PKCE, `prompt`, `claims`… — and refused here, as JSON (§2.3), instead of at the
 *   redirect URI; `/authorize` validates it again when it is used;
 * - RFC 9449 §10.1: a DPoP proof sent with the push binds the code to its key, as `dpop_jkt`
 *   would (both sent: they must name the same key);
 * - 201 with `request_uri` and `expires_in` (§2.2), `Cache-Control: no-store`.
 * @throws InvalidRequest | InvalidClient | UnauthorizedClient | UnsupportedResponseType | InvalidScope | InvalidTarget | InvalidRequestObject
 * @see https://www.rfc-editor.org/rfc/rfc9126#section-2
 */
export const pushedAuthorizationEndpoint: Endpoint = async (request, ctx, route) => {
  const params = await readForm(request);
  const client = await authenticateClient(request, params, ctx, route.remoteAddress);
  if (params.request_uri !== undefined) throw new InvalidRequest('request_uri must not be sent to the pushed authorization request endpoint');
  // RFC 9126 §3: a request object carries the whole request; client authentication stays outside.
  const opened = params.request === undefined ? undefined : await openRequestObject(params.request, client, ctx);
  const pushed = opened?.params ?? authorizationParams(params, client);
  const signed = opened?.signed === true;
  checkSignedWhenRequired(client, signed, ctx);
  const dpop = await verifyDpopProof(request, { url: ctx.urls.pushedAuthorizationRequest }, ctx);
  if (dpop !== undefined) {
    if (pushed.dpop_jkt !== undefined && pushed.dpop_jkt !== dpop.jkt) throw new InvalidRequest('dpop_jkt does not match the key of the DPoP proof');
    pushed.dpop_jkt = dpop.jkt;
  }
  const resolved = await resolveClientAndRedirectUri(pushed, ctx);
  await validateAuthorizationRequest(pushed, resolved.client, resolved, ctx);
  return jsonNoStore(await storePushedRequest(client, pushed, signed, ctx), { status: 201, headers: dpopNonceHeaders(dpop, ctx) });
};
