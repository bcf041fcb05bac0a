/**
 * Pushed authorization requests (RFC 9126): a client sends its authorization request's
 * parameters straight to `/par`, authenticated, and gets a `request_uri` that stands for them;
 * the browser then carries only `client_id` and that `request_uri` to `/authorize`. The
 * parameters cannot be read or changed on the way, and a request too large for a URL fits.
 *
 * A `request_uri` is 256 random bits after the RFC's URN prefix, stored by digest as a
 * short-lived artifact (SQL or Redis), bound to the client that pushed it, and used once: taking
 * it consumes it atomically, so two tabs (or an attacker who saw the URL) cannot both start an
 * authorization with it.
 */
import type { ProviderContext } from '../core/context.js';
import { InvalidRequest, InvalidRequestUri } from '../core/errors.js';
import type { Params } from '../http/params.js';
import type { ClientRecord } from '../storage/types.js';
import { digestSecret } from '../util/digest.js';
import { randomToken } from '../util/random.js';

/** RFC 9126 §2.2: the prefix of every `request_uri` this server issues. */
export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';

/** Parameters of client authentication: they authenticate the push and are not part of the request. */
const CLIENT_AUTH_ONLY = new Set(['client_secret', 'client_assertion', 'client_assertion_type']);

/** RFC 9126 §2.2: the answer to a push. */
export interface PushedAuthorizationResponse {
  request_uri: string;
  expires_in: number;
}

/**
 * Stores `request` (an authorization request of `client`'s, from `authorizationParams` or from a
 * request object, that the caller has validated) and returns the `request_uri` that stands for
 * it. `signed`: it came in a request object the client signed (RFC 9101).
 */
export async function storePushedRequest(client: ClientRecord, request: Params, signed: boolean, ctx: ProviderContext): Promise<PushedAuthorizationResponse> {
  const reference = randomToken();
  const ttl = ctx.config.pushedRequestTtlSeconds;
  await ctx.storage.artifacts.put('pushed_authorization_request', digestSecret(reference), { client_id: client.client_id, params: request, ...(signed ? { signed } : {}) }, ttl);
  return { request_uri: `${REQUEST_URI_PREFIX}${reference}`, expires_in: ttl };
}

/** The authorization request in `params`: without client authentication, with the client's own `client_id`. */
export function authorizationParams(params: Params, client: ClientRecord): Record<string, string> {
  const request: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) if (!CLIENT_AUTH_ONLY.has(name)) request[name] = value;
  request.client_id = client.client_id;
  return request;
}

/** True when `requestUri` has the form of one this server issues (any other is a request object by reference, request-uri.ts). */
export function isPushedRequestUri(requestUri: string | undefined): requestUri is string {
  return requestUri !== undefined && requestUri.startsWith(REQUEST_URI_PREFIX);
}

/**
 * The request pushed under `params.request_uri`, consumed — its parameters, and whether they came
 * in a signed request object: RFC 9126 §4 — the request is the
 * pushed one (what else the browser brought is ignored, `client_id` aside), it was pushed by the
 * client `client_id` names, and it is unexpired and unused.
 * @throws InvalidRequest without `client_id`; InvalidRequestUri for anything else amiss — to be
 * shown on an error page: until the pushed `redirect_uri` is known, nothing may be redirected.
 */
export async function takePushedRequest(params: Params, ctx: ProviderContext): Promise<{ params: Params; signed: boolean }> {
  const clientId = params.client_id;
  if (clientId === undefined) throw new InvalidRequest('missing required parameter: client_id');
  const requestUri = params.request_uri!;
  const consumed = await ctx.storage.artifacts.consume('pushed_authorization_request', digestSecret(requestUri.slice(REQUEST_URI_PREFIX.length)));
  if (!consumed) throw new InvalidRequestUri('request_uri is unknown or expired');
  if (consumed.replayed) throw new InvalidRequestUri('request_uri has been used already');
  // Compared after consuming: a request_uri shown to another client is spent all the same.
  if (consumed.value.client_id !== clientId) throw new InvalidRequestUri('request_uri was not pushed by this client');
  return { params: consumed.value.params, signed: consumed.value.signed === true };
}

/**
 * RFC 9126 §5, §6: whether `client` may send its authorization requests only through `/par`.
 */
export function mustPush(client: ClientRecord, ctx: ProviderContext): boolean {
  return ctx.config.requirePushedAuthorizationRequests || client.require_pushed_authorization_requests === true;
}
