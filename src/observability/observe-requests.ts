/**
 * The first middleware of every HTTP application the provider serves (the protocol router and the
 * admin surface): it times the request, sets `x-request-id` on the answer, counts it in
 * `ctx.metrics` and logs it — by route pattern, never the raw path: paths carry identifiers
 * (`/interaction/:uid`, `/admin/api/users/:sub`), which would make metric labels unbounded and put
 * them in the logs.
 */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { ProviderContext } from '../core/context.js';
import { logRequest } from './request-log.js';

/**
 * What an application passes along with each request. `inProcess`: a call one part of the
 * provider makes to another (the admin console to the admin API), already observed as the
 * request that caused it — not counted or logged again.
 */
export type ObservedEnv = { Bindings: { requestId: string; remoteAddress?: string; inProcess?: boolean } };

/**
 * The observing middleware. `operational` route patterns (health probes, scrapes) are counted
 * but kept out of the dashboard's series and logged at `debug`.
 */
export function observeRequests(ctx: ProviderContext, operational: ReadonlySet<string> = new Set()): MiddlewareHandler<ObservedEnv> {
  const basePathLength = ctx.urls.basePath.length;
  return async (c, next) => {
    if (c.env.inProcess) return next();
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
    recordAnswer(
      ctx,
      { requestId, method: c.req.method, route, status: c.res.status, durationSeconds, ...(remoteAddress === undefined ? {} : { remoteAddress }) },
      { operational: isOperational, level: isOperational ? 'debug' : 'info' },
    );
  };
}

/** One answered request: what the metrics count and the log line says of it. */
export interface AnsweredRequest {
  requestId: string;
  method: string;
  /** The route pattern, or `unmatched`. */
  route: string;
  status: number;
  durationSeconds: number;
  remoteAddress?: string;
}

/**
 * Counts an answered request in `ctx.metrics` and logs it: the one record of every answer, from
 * this middleware and from the paths that answer without it (pre-built documents, direct routes).
 * `operational`: kept out of the dashboard's traffic series. The log line is not even built when
 * the logger does not log at `level`.
 */
export function recordAnswer(
  ctx: Pick<ProviderContext, 'metrics' | 'logger'>,
  answer: AnsweredRequest,
  how: { operational: boolean; level: 'info' | 'debug' },
): void {
  const { requestId, method, route, status, durationSeconds, remoteAddress } = answer;
  ctx.metrics.observeRequest({ method, route, status, durationSeconds, operational: how.operational });
  if (ctx.logger.isLevelEnabled?.(how.level) === false) return;
  logRequest(ctx.logger, { requestId, method, route, status, durationMs: Math.round(durationSeconds * 100_000) / 100, ...(remoteAddress === undefined ? {} : { remoteAddress }) }, how.level);
}
