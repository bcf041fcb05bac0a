import type { RouteInfo } from '../endpoints/types.js';
import type { ProtocolRequest } from '../http/protocol-request.js';
import type { Answer } from '../http/responses.js';
import { recordAnswer } from '../observability/observe-requests.js';
import type { ProviderContext } from './context.js';
import { errorAnswer } from './error-response.js';
import { CORS_RESPONSE_HEADERS } from './router.js';
import type { Route } from './routes.js';

/**
 * A route a host adapter may answer without the router (server/node-listener.ts): the token,
 * revocation, introspection, userinfo, registration and operational endpoints — every route
 * without path parameters that is not a page. The answer is the router's, header for header:
 * the endpoint's answer (an error turned into its answer the same way), plus `headers`.
 */
export interface DirectRoute {
  /**
   * Runs the endpoint and records the answer (metrics, log line) as the router does. Never
   * rejects: a fault becomes the generic 500 answer, logged with the request id.
   */
  answer(request: ProtocolRequest, info: Pick<RouteInfo, 'requestId' | 'remoteAddress'>): Promise<Answer>;
  /** Headers every answer of the route carries besides the endpoint's own, as a flat name/value list (CORS). */
  readonly headers: readonly string[];
}

/**
 * The direct routes by method and full path (under the issuer's path; a trailing slash
 * accepted, as the router does). Anything else — pages, paths with parameters, `HEAD`,
 * preflights, methods a path does not take — is the router's.
 */
export function createDirectRoutes(routes: readonly Route[], ctx: ProviderContext): (method: string, pathname: string) => DirectRoute | undefined {
  const direct = new Map<string, DirectRoute>();
  for (const route of routes) {
    if (route.page || route.path.includes(':')) continue;
    const entry = directRoute(route, ctx);
    direct.set(`${route.method} ${ctx.urls.basePath}${route.path}`, entry);
    direct.set(`${route.method} ${ctx.urls.basePath}${route.path}/`, entry);
  }
  return (method, pathname) => direct.get(`${method} ${pathname}`);
}

function directRoute(route: Route, ctx: ProviderContext): DirectRoute {
  const operational = route.operational === true;
  return {
    headers: route.cors ? Object.entries(CORS_RESPONSE_HEADERS).flat() : [],
    async answer(request, { requestId, remoteAddress }) {
      const started = performance.now();
      let answer: Answer;
      try {
        answer = await route.endpoint(request, ctx, { pathParams: {}, requestId, ...(remoteAddress === undefined ? {} : { remoteAddress }) });
      } catch (error) {
        answer = errorAnswer(error, ctx.logger, requestId);
      }
      const durationSeconds = (performance.now() - started) / 1000;
      recordAnswer(
        ctx,
        { requestId, method: request.method, route: route.path, status: answer.status, durationSeconds, ...(remoteAddress === undefined ? {} : { remoteAddress }) },
        { operational, level: operational ? 'debug' : 'info' },
      );
      return answer;
    },
  };
}
