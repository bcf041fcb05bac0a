import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { RouteInfo } from '../endpoints/types.js';
import { MAX_FORM_BYTES } from '../http/params.js';
import { jsonNoStore, toResponse } from '../http/responses.js';
import { observeRequests } from '../observability/observe-requests.js';
import type { ProviderContext } from './context.js';
import { errorAnswer } from './error-response.js';
import { pageSecurityHeaders } from './page-csp.js';
import { answerRoute } from './route-answer.js';
import type { Route } from './routes.js';

/**
 * Whether a path is one of `routes` under `basePath` (any method; a trailing slash accepted), so
 * that a host mounting the provider beside its own routes can pass the rest on.
 */
export function routeMatcher(routes: readonly Route[], basePath: string): (pathname: string) => boolean {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const patterns = [...new Set(routes.map((route) => route.path))].map(
    (path) => new RegExp(`^${escape(basePath)}${path.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : escape(part))).join('/')}/?$`),
  );
  return (pathname) => patterns.some((pattern) => pattern.test(pathname));
}

/** Per-request values the host adapter passes along with the Request. */
export interface RequestInfo {
  remoteAddress?: string;
}

type Env = { Bindings: RequestInfo & { requestId: string } };

/**
 * Builds the Hono application serving `routes` under the issuer's path. Hono does the matching
 * (with optional trailing slashes), CORS and body limits; each route answers as on the direct
 * path (`answerRoute`: errors and page security headers alike), and the endpoints themselves see
 * only a Web Request, the context and `RouteInfo`. Every answer, an
 * error or a 404 too, carries the request id in `x-request-id`, is counted in `ctx.metrics` and
 * logged (`observeRequests`).
 */
export function buildRouter(routes: readonly Route[], ctx: ProviderContext): Hono<Env> {
  const root = new Hono<Env>({ strict: false });
  root.use('*', observeRequests(ctx, new Set(routes.filter((route) => route.operational).map((route) => route.path))));
  const app = ctx.urls.basePath ? root.basePath(ctx.urls.basePath) : root;

  const pageHeaders = pageSecurityHeaders(ctx.pages, ctx.urls.issuer);
  // Preflight requests get Hono's CORS answer; the others get the same two headers set on the
  // endpoint's response (corsResponseHeaders), which keeps the adapter's fast path for it.
  const corsPreflight = cors({
    origin: '*',
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
    // DPoP: proofs (RFC 9449 §4.1) from browser-based clients.
    allowHeaders: ['Authorization', 'Content-Type', 'DPoP'],
    exposeHeaders: ['WWW-Authenticate', 'DPoP-Nonce'],
    maxAge: 600,
  });
  const limitBody = limitBodySize(MAX_FORM_BYTES);

  const methodsByPath = new Map<string, string[]>();
  for (const route of routes) {
    const middleware: MiddlewareHandler<Env>[] = [limitBody];
    if (route.cors) middleware.push(corsResponseHeaders);
    const handle: MiddlewareHandler<Env> = async (c) => {
      const info: RouteInfo = {
        pathParams: c.req.param() as Record<string, string>,
        requestId: c.env.requestId,
        ...(c.env.remoteAddress === undefined ? {} : { remoteAddress: c.env.remoteAddress }),
      };
      return toResponse(await answerRoute(route, c.req.raw, ctx, info, pageHeaders));
    };
    app.on([route.method], [route.path], ...middleware, handle);
    methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method]);
  }
  for (const [path, methods] of methodsByPath) {
    const allowed = methods.includes('GET') ? [...methods, 'HEAD'] : methods;
    const cross = routes.some((r) => r.path === path && r.cors);
    if (cross) app.options(path, corsPreflight);
    app.all(path, () =>
      toResponse(
        jsonNoStore(
          { error: 'invalid_request', error_description: `method not allowed; use ${methods.join(' or ')}` },
          { status: 405, headers: { allow: allowed.join(', ') } },
        ),
      ),
    );
  }

  root.notFound(() => toResponse(jsonNoStore({ error: 'not_found', error_description: 'no such endpoint' }, { status: 404 })));
  root.onError((error, c) => toResponse(errorAnswer(error, ctx.logger, c.env?.requestId)));
  return root;
}

/**
 * CORS on a cross-origin endpoint's answer, success or error alike (the endpoint's errors are
 * answered inside `next()`): any origin, and scripts may read `WWW-Authenticate`. Set after the
 * endpoint answered: Hono's `cors()` touches the response before the endpoint runs, which makes
 * Hono rebuild the endpoint's response around a stream — several times the cost of the request.
 */
const corsResponseHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(CORS_RESPONSE_HEADERS)) c.res.headers.set(name, value);
};

/** The CORS headers of a cross-origin endpoint's answer (not of a preflight's). */
export const CORS_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'WWW-Authenticate, DPoP-Nonce',
};

/**
 * Refuses a body over `maxSize` bytes with 413. A declared `Content-Length` is checked without
 * touching the body; a body of unknown length (chunked) is counted while Hono's `bodyLimit()`
 * reads it. Requests without a body pass untouched.
 */
function limitBodySize(maxSize: number): MiddlewareHandler {
  const tooLarge = () => toResponse(jsonNoStore({ error: 'invalid_request', error_description: 'request body is too large' }, { status: 413 }));
  const counting = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number(length) > maxSize ? tooLarge() : next();
    }
    return counting(c, next);
  };
}
