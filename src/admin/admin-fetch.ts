/**
 * The admin surface's `fetch`: the admin API under `<issuer>/admin/api`, and on top of it the
 * admin web UI under `<issuer>/admin` (every other path under `/admin`). `index.ts` loads this
 * module at the first admin request.
 */
import type { ProviderContext } from '../core/context.js';
import type { RequestInfo } from '../core/router.js';
import { createAdminApi } from './api/app.js';
import { ADMIN_API_PATH, ADMIN_API_ROUTES } from './api/routes.js';
import { createAdminWeb } from './web/app.js';
import { ADMIN_PAGE_ROUTES } from './web/routes.js';

/** Builds the admin API and web UI over the engine's context; answers a request under `/admin` with the one it is for. */
export function buildAdminFetch(options: { ctx: ProviderContext; flushAudit: () => Promise<void>; engineFetch: (request: Request) => Promise<Response> }): (request: Request, info?: RequestInfo) => Promise<Response> {
  const { ctx } = options;
  const api = createAdminApi(ADMIN_API_ROUTES, { ctx, flushAudit: options.flushAudit });
  const web = createAdminWeb(ADMIN_PAGE_ROUTES, { ctx, api, engineFetch: options.engineFetch });
  const apiPrefix = `${ctx.urls.basePath}${ADMIN_API_PATH}`;
  const isApi = (pathname: string) => pathname === apiPrefix || pathname.startsWith(`${apiPrefix}/`);
  return (request, info) => (isApi(pathOf(request.url)) ? api.fetch(request, info) : web.fetch(request, info));
}

function pathOf(url: string): string {
  return new URL(url).pathname;
}
