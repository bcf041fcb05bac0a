/**
 * latchkey's administration: the admin API under `<issuer>/admin/api` (and, on top of it, the
 * admin web UI under `<issuer>/admin`). `createProvider()` mounts it beside the protocol engine
 * when `admin` is on (the default).
 */
import type { ProviderContext } from '../core/context.js';
import type { RequestInfo } from '../core/router.js';
import { ensureAdminClient } from './admin-client.js';
import { createAdminApi } from './api/app.js';
import { ADMIN_API_PATH, ADMIN_API_ROUTES } from './api/routes.js';

/** The admin surface of a provider. */
export interface Admin {
  /** Whether `pathname` is the admin's to answer. */
  handles(pathname: string): boolean;
  fetch(request: Request, info?: RequestInfo): Promise<Response>;
}

/** Builds the admin surface over the engine's context, and registers the console's client. */
export async function createAdmin(options: { ctx: ProviderContext; flushAudit: () => Promise<void> }): Promise<Admin> {
  const { ctx } = options;
  await ensureAdminClient(ctx);
  const api = createAdminApi(ADMIN_API_ROUTES, { ctx, flushAudit: options.flushAudit });
  const apiPrefix = `${ctx.urls.basePath}${ADMIN_API_PATH}`;
  return {
    handles: (pathname) => pathname === apiPrefix || pathname.startsWith(`${apiPrefix}/`),
    fetch: (request, info) => api.fetch(request, info),
  };
}
