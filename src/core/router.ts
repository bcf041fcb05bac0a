import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { routePath } from 'hono/route';
import { secureHeaders } from 'hono/secure-headers';
import type { RouteInfo } from '../endpoints/types.js';
import { MAX_FORM_BYTES } from '../http/params.js';
import { jsonNoStore } from '../http/responses.js';
import { logRequest } from '../observability/request-log.js';
import type { ProviderContext } from './context.js';
import { toErrorResponse } from './error-response.js';
import { pageCspDirectives } from './page-csp.js';
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
 * (with optional trailing slashes), CORS, body limits and the page security headers; the
 * endpoints themselves see only a Web Request, the context and `RouteInfo`. Every answer, an
 * error or a 404 too, carries the request id in `x-request-id`, is counted in `ctx.metrics` and
 * logged (`observeRequests`).
 */
export function buildRouter(routes: readonly Route[], ctx: ProviderContext): Hono<Env> {
  const root = new Hono<Env>({ strict: false });
  root.use('*', observeRequests(routes, ctx));
  const app = ctx.urls.basePath ? root.basePath(ctx.urls.basePath) : root;

  const pageHeaders = secureHeaders({
    contentSecurityPolicy: pageCspDirectives(ctx.pages),
    // A page that must embed something (front-channel logout iframes) sets its own CSP.
    overwrite: false,
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
    // Same-origin COOP would sever the opener of a login popup that relying parties rely on.
    crossOriginOpenerPolicy: false,
    strictTransportSecurity: ctx.urls.issuer.startsWith('https:') ? 'max-age=31536000' : false,
  });
  const corsHeaders = cors({
    origin: '*',
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type'],
    exposeHeaders: ['WWW-Authenticate'],
    maxAge: 600,
  });
  const limitBody = bodyLimit({
    maxSize: MAX_FORM_BYTES,
    onError: () => jsonNoStore({ error: 'invalid_request', error_description: 'request body is too large' }, { status: 413 }),
  });

  const methodsByPath = new Map<string, string[]>();
  for (const route of routes) {
    const middleware: MiddlewareHandler<Env>[] = [limitBody];
    if (route.page) middleware.push(pageHeaders);
    if (route.cors) middleware.push(corsHeaders);
    const handle: MiddlewareHandler<Env> = async (c) => {
      const info: RouteInfo = {
        pathParams: c.req.param() as Record<string, string>,
        requestId: c.env.requestId,
        ...(c.env.remoteAddress === undefined ? {} : { remoteAddress: c.env.remoteAddress }),
      };
      return route.endpoint(c.req.raw, ctx, info);
    };
    app.on([route.method], [route.path], ...middleware, handle);
    methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method]);
  }
  for (const [path, methods] of methodsByPath) {
    const allowed = methods.includes('GET') ? [...methods, 'HEAD'] : methods;
    const cross = routes.some((r) => r.path === path && r.cors);
    if (cross) app.options(path, corsHeaders);
    app.all(path, () =>
      jsonNoStore(
        { error: 'invalid_request', error_description: `method not allowed; use ${methods.join(' or ')}` },
        { status: 405, headers: { allow: allowed.join(', ') } },
      ),
    );
  }

  root.notFound(() => jsonNoStore({ error: 'not_found', error_description: 'no such endpoint' }, { status: 404 }));
  root.onError((error, c) => toErrorResponse(error, ctx.logger, c.env?.requestId));
  return root;
}

/**
 * The first middleware of every request: times it, sets `x-request-id` on the answer, counts it
 * and logs it by route pattern. The pattern, never the raw path: paths carry identifiers
 * (`/interaction/:uid`), which would make metric labels unbounded and put them in the logs.
 */
function observeRequests(routes: readonly Route[], ctx: ProviderContext): MiddlewareHandler<Env> {
  const operational = new Set(routes.filter((route) => route.operational).map((route) => route.path));
  const basePathLength = ctx.urls.basePath.length;
  return async (c, next) => {
    const started = performance.now();
    await next();
    const durationSeconds = (performance.now() - started) / 1000;
    // Which handler answered: a route's (registered under the issuer's path), or this one's
    // (`*`, which Hono spells `/*`) when none matched.
    const pattern = routePath(c);
    const route = pattern === '/*' ? 'unmatched' : pattern.slice(basePathLength);
    const isOperational = operational.has(route);
    const { requestId, remoteAddress } = c.env;
    c.res.headers.set('x-request-id', requestId);
    ctx.metrics.observeRequest({ method: c.req.method, route, status: c.res.status, durationSeconds, operational: isOperational });
    logRequest(
      ctx.logger,
      { requestId, method: c.req.method, route, status: c.res.status, durationMs: Math.round(durationSeconds * 100_000) / 100, ...(remoteAddress === undefined ? {} : { remoteAddress }) },
      isOperational,
    );
  };
}
