import type { RouteInfo } from '../endpoints/types.js';
import type { ProtocolRequest } from '../http/protocol-request.js';
import type { Answer } from '../http/responses.js';
import { recordAnswer } from '../observability/observe-requests.js';
import type { ProviderContext } from './context.js';
import { CORS_RESPONSE_HEADERS } from './router.js';
import { pageSecurityHeaders } from './page-csp.js';
import { answerRoute } from './route-answer.js';
import type { Route } from './routes.js';

/**
 * A route a host adapter may answer without the router (server/node-listener.ts): every route of
 * the provider, pages and paths with parameters included. The answer is the router's, header for
 * header: the endpoint's answer (an error turned into its answer the same way), a page's security
 * headers where it does not set them itself, plus `headers`.
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

/** A route's endpoint run as the router runs it, with the path's parameters. */
type RouteRunner = (request: ProtocolRequest, info: Pick<RouteInfo, 'requestId' | 'remoteAddress'>, pathParams: Record<string, string>) => Promise<Answer>;

/** A route whose path has parameters (`/interaction/:uid/login`), by segment. */
interface PatternRoute {
  method: string;
  /** The segments under the issuer's path: a literal, or `:name` for a parameter. */
  segments: readonly string[];
  headers: readonly string[];
  run: RouteRunner;
}

/**
 * The direct routes by method and full path (under the issuer's path; a trailing slash
 * accepted, as the router does). Anything else — `HEAD`, preflights, methods a path does not
 * take, paths that are not the provider's — is the router's.
 */
export function createDirectRoutes(routes: readonly Route[], ctx: ProviderContext): (method: string, pathname: string) => DirectRoute | undefined {
  const exact = new Map<string, DirectRoute>();
  const patterns: PatternRoute[] = [];
  const pageHeaders = pageSecurityHeaders(ctx.pages, ctx.urls.issuer);
  for (const route of routes) {
    const run = routeRunner(route, ctx, pageHeaders);
    const headers = route.cors ? Object.entries(CORS_RESPONSE_HEADERS).flat() : [];
    if (route.path.includes(':')) {
      patterns.push({ method: route.method, segments: `${ctx.urls.basePath}${route.path}`.split('/'), headers, run });
      continue;
    }
    const entry: DirectRoute = { headers, answer: (request, info) => run(request, info, {}) };
    exact.set(`${route.method} ${ctx.urls.basePath}${route.path}`, entry);
    exact.set(`${route.method} ${ctx.urls.basePath}${route.path}/`, entry);
  }
  return (method, pathname) => exact.get(`${method} ${pathname}`) ?? matchPattern(patterns, method, pathname);
}

/** The route of `patterns` that `method` and `pathname` match, bound to the path's parameters. */
function matchPattern(patterns: readonly PatternRoute[], method: string, pathname: string): DirectRoute | undefined {
  const trimmed = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  const segments = trimmed.split('/');
  for (const pattern of patterns) {
    if (pattern.method !== method || pattern.segments.length !== segments.length) continue;
    const pathParams = matchSegments(pattern.segments, segments);
    if (pathParams !== undefined) return { headers: pattern.headers, answer: (request, info) => pattern.run(request, info, pathParams) };
  }
  return undefined;
}

/** The parameters when every literal segment is equal and every parameter's segment is not empty; undefined otherwise. */
function matchSegments(pattern: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i]!;
    const actual = segments[i]!;
    if (expected.startsWith(':')) {
      if (actual === '') return undefined;
      params[expected.slice(1)] = decodeSegment(actual);
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}

/** A path segment percent-decoded, as the router gives parameters; as it is when it does not decode. */
function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function routeRunner(route: Route, ctx: ProviderContext, pageHeaders: readonly string[]): RouteRunner {
  const operational = route.operational === true;
  return async (request, { requestId, remoteAddress }, pathParams) => {
    const started = performance.now();
    const answer = await answerRoute(route, request, ctx, { pathParams, requestId, ...(remoteAddress === undefined ? {} : { remoteAddress }) }, pageHeaders);
    const durationSeconds = (performance.now() - started) / 1000;
    recordAnswer(
      ctx,
      { requestId, method: request.method, route: route.path, status: answer.status, durationSeconds, ...(remoteAddress === undefined ? {} : { remoteAddress }) },
      { operational, level: operational ? 'debug' : 'info' },
    );
    return answer;
  };
}
