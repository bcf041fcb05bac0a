import type { RouteInfo } from '../endpoints/types.js';
import type { ProtocolRequest } from '../http/protocol-request.js';
import type { Answer } from '../http/responses.js';
import type { ProviderContext } from './context.js';
import { errorAnswer } from './error-response.js';
import { withPageHeaders } from './page-csp.js';
import type { Route } from './routes.js';

/**
 * A route's answer to a request, as both the router and the direct path give it: the endpoint's
 * answer, or the answer of the error it threw (logged with the request id when it is a fault),
 * and for a page the security headers (`pageSecurityHeaders`) it does not set itself.
 */
export async function answerRoute(route: Route, request: ProtocolRequest, ctx: ProviderContext, info: RouteInfo, pageHeaders: readonly string[]): Promise<Answer> {
  let answer: Answer;
  try {
    answer = await route.endpoint(request, ctx, info);
  } catch (error) {
    answer = errorAnswer(error, ctx.logger, info.requestId);
  }
  return route.page ? { ...answer, headers: withPageHeaders(answer.headers, pageHeaders) } : answer;
}
