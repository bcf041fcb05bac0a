/**
 * latchkey's administration: the admin API under `<issuer>/admin/api`, and on top of it the
 * admin web UI under `<issuer>/admin` (every other path under `/admin`). `createProvider()`
 * mounts it beside the protocol engine when `admin` is on (the default).
 */
import type { ProviderContext } from '../core/context.js';
import type { RequestInfo } from '../core/router.js';
import { ensureAdminClient } from './admin-client.js';
import { createAdminApi } from './api/app.js';
import { ADMIN_API_PATH, ADMIN_API_ROUTES } from './api/routes.js';
import { createAdminWeb } from './web/app.js';
import { ADMIN_PAGE_ROUTES } from './web/routes.js';

/** The admin surface of a provider. */
export interface Admin {
  /** Whether `pathname` is the admin's to answer. */
  handles(pathname: string): boolean;
  fetch(request: Request, info?: RequestInfo): Promise<Response>;
}

/**
 * Builds the admin surface over the engine's context, and registers the console's client.
 * `engineFetch` is the protocol engine's `fetch`: the console signs in at latchkey's own
 * `/token`, in process.
 */
export async function createAdmin(options: { ctx: ProviderContext; flushAudit: () => Promise<void>; engineFetch: (request: Request) => Promise<Response> }): Promise<Admin> {
  const { ctx } = options;
  await ensureAdminClient(ctx);
  const api = createAdminApi(ADMIN_API_ROUTES, { ctx, flushAudit: options.flushAudit });
  const web = createAdminWeb(ADMIN_PAGE_ROUTES, { ctx, api, engineFetch: options.engineFetch });
  const apiPrefix = `${ctx.urls.basePath}${ADMIN_API_PATH}`;
  const webPrefix = `${ctx.urls.basePath}/admin`;
  const isApi = (pathname: string) => pathname === apiPrefix || pathname.startsWith(`${apiPrefix}/`);
  return {
    handles: (pathname) => pathname === webPrefix || pathname.startsWith(`${webPrefix}/`),
    fetch: (request, info) => (isApi(pathOf(request.url)) ? api.fetch(request, info) : web.fetch(request, info)),
  };
}

function pathOf(url: string): string {
  return new URL(url).pathname;
}
