import { InvalidToken } from '../core/errors.js';
import { readBearerToken } from '../http/bearer.js';
import { respond } from '../http/responses.js';
import { timingSafeEqualStrings } from '../util/digest.js';
import type { Endpoint } from './types.js';

/**
 * Prometheus metrics of the provider (`provider.metrics`), in the text exposition format. With
 * `metricsToken` configured, only for `Authorization: Bearer <metricsToken>`: no token → 401 with
 * a bare `Bearer` challenge, a wrong one → 401 `invalid_token` (RFC 6750 §3.1). Without it, open:
 * the operator restricts it at the network edge.
 * @throws InvalidToken
 * @throws InvalidRequest when the Authorization header is a malformed Bearer header.
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export const metricsEndpoint: Endpoint = async (request, ctx) => {
  const expected = ctx.config.metricsToken;
  if (expected !== undefined) {
    const token = readBearerToken(request);
    if (token === undefined) throw challenge(new InvalidToken('a bearer token is required'), false);
    // Constant time: a comparison that stops at the first wrong byte lets the token be guessed byte by byte.
    if (!timingSafeEqualStrings(token, expected)) throw challenge(new InvalidToken('the bearer token is not the metrics token'), true);
  }
  return respond(await ctx.metrics.scrape(), 200, { 'content-type': ctx.metrics.contentType, 'cache-control': 'no-store' });
};

/** RFC 6750 §3: `WWW-Authenticate: Bearer`, with the error code when a token was sent. */
function challenge(error: InvalidToken, withCode: boolean): InvalidToken {
  error.wwwAuthenticate = withCode ? `Bearer realm="metrics", error="invalid_token"` : 'Bearer realm="metrics"';
  return error;
}
