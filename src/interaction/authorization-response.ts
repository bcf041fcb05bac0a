import type { ProviderContext } from '../core/context.js';
import type { OAuthError } from '../core/errors.js';
import { jwtResponseMode } from '../core/response-types.js';
import { html, redirect, type Answer } from '../http/responses.js';
import { DEFAULT_SIGNING_ALGORITHM, type SigningAlgorithm } from '../keys/algorithms.js';
import { signJwt } from '../keys/jws.js';
import { sealForClient } from '../tokens/encryption.js';
import type { ResponseTarget } from './authorization-request.js';

/** How long a JWT-secured authorization response (JARM) is valid. */
const JWT_RESPONSE_TTL_SECONDS = 300;

/**
 * Sends an authorization response (or error) to the client's verified redirect URI, in its
 * response mode. Every response carries `iss` (RFC 9207, against mix-up attacks) and, when the
 * request had one, `state` (RFC 6749 §4.1.2).
 *
 * - `query`: a redirect with the parameters added to the redirect URI's query, keeping any query
 *   it was registered with (RFC 6749 §3.1.2);
 * - `fragment`: a redirect with the parameters form-encoded in the fragment, which browsers do
 *   not send to servers (Multiple Response Types §2.1);
 * - `form_post`: an auto-submitting HTML form (OAuth 2.0 Form Post Response Mode §2);
 * - `query.jwt`, `fragment.jwt`, `form_post.jwt` (JARM §2.3): the same, carrying one parameter,
 *   `response`: a JWT signed by latchkey holding the parameters, with `iss`, `aud` (the client)
 *   and `exp` — the client can tell the response was not forged or changed on the way.
 * After a form POST the redirect is a 303, so the browser follows it with GET.
 */
export async function respondToClient(
  target: ResponseTarget,
  parameters: Record<string, string>,
  ctx: ProviderContext,
  options: { afterPost: boolean; headers?: HeadersInit },
): Promise<Answer> {
  let params: Record<string, string> = { ...parameters };
  if (target.state !== undefined) params.state = target.state;
  const { jwt, carrier } = jwtResponseMode(target.response_mode);
  if (jwt) params = { response: await signResponse(target, params, ctx) };
  else params.iss = ctx.config.issuer;

  if (carrier === 'form_post') {
    return html(ctx.pages.formPost({ action: target.redirect_uri, params }), 200, options.headers);
  }
  const url = new URL(target.redirect_uri);
  if (carrier === 'fragment') url.hash = new URLSearchParams(params).toString();
  else for (const [name, value] of Object.entries(params)) url.searchParams.append(name, value);
  return redirect(url.href, options.afterPost ? 303 : 302, options.headers);
}

/**
 * JARM §2.1, §2.2: the response parameters as a JWT for the client, signed with its
 * `authorization_signed_response_alg` (RS256 by default) — `iss` (which stands for RFC 9207's
 * parameter), `aud`, and an `exp` a few minutes ahead: the redirect is followed at once — then
 * encrypted to it when it registered `authorization_encrypted_response_alg`.
 */
async function signResponse(target: ResponseTarget, params: Record<string, string>, ctx: ProviderContext): Promise<string> {
  const { client } = target;
  const key = await ctx.keys.signingKey((client.authorization_signed_response_alg ?? DEFAULT_SIGNING_ALGORITHM) as SigningAlgorithm);
  const signed = signJwt(key, 'JWT', { ...params, iss: ctx.config.issuer, aud: client.client_id, exp: ctx.clock.now() + JWT_RESPONSE_TTL_SECONDS });
  return sealForClient(client, 'authorization', signed, ctx, { nested: true });
}

/** An error response at the client's redirect URI (RFC 6749 §4.1.2.1), in the response mode. */
export function respondWithError(target: ResponseTarget, error: OAuthError, ctx: ProviderContext, afterPost: boolean, headers?: HeadersInit): Promise<Answer> {
  ctx.events.emit('authorization.failed', { error: error.error, error_description: error.description });
  return respondToClient(target, { error: error.error, error_description: error.description }, ctx, { afterPost, ...(headers === undefined ? {} : { headers }) });
}

/**
 * An error page, for errors that must not be redirected (unverified client or redirect URI), in
 * `lang` (`languageOfRequest`); the description is the error's own, in English.
 */
export function renderErrorPage(error: OAuthError, ctx: ProviderContext, lang?: string): Promise<Answer> {
  return html(ctx.pages.error({ status: error.status, error: error.error, error_description: error.description, ...(lang === undefined ? {} : { lang }) }), error.status);
}
