/**
 * latchkey's administration: the admin API under `<issuer>/admin/api`, and on top of it the
 * admin web UI under `<issuer>/admin` (every other path under `/admin`). `createProvider()`
 * mounts it beside the protocol engine when `admin` is on (the default).
 */
import type { ProviderContext } from '../core/context.js';
import type { RequestInfo } from '../core/router.js';
import { ensureConsoleClient } from '../console/console-client.js';
import { ADMIN_CONSOLE } from './admin-client.js';

/** The admin surface of a provider. */
export interface Admin {
  /** Whether `pathname` is the admin's to answer. */
  handles(pathname: string): boolean;
  fetch(request: Request, info?: RequestInfo): Promise<Response>;
}

/**
 * Registers the admin console's client, and returns the admin surface over the engine's context.
 * `engineFetch` is the protocol engine's `fetch`: the console signs in at latchkey's own
 * `/token`, in process.
 */
export async function createAdmin(options: { ctx: ProviderContext; flushAudit: () => Promise<void>; engineFetch: (request: Request) => Promise<Response> }): Promise<Admin> {
  const { ctx } = options;
  await ensureConsoleClient(ADMIN_CONSOLE, ctx);
  // The API, the console and their schemas (some fifty modules, two Hono apps and the zod
  // schemas: about 3 MB of a server's memory) load at the first admin request, which takes some
  // 50 ms longer for it: a server answers far more protocol requests than admin ones, often none.
  let adminFetch: Promise<(request: Request, info?: RequestInfo) => Promise<Response>> | undefined;
  const load = () => {
    if (adminFetch === undefined) {
      adminFetch = import('./admin-fetch.js').then(({ buildAdminFetch }) => buildAdminFetch(options));
      // A failed load is tried again by the next request rather than remembered.
      adminFetch.catch(() => (adminFetch = undefined));
    }
    return adminFetch;
  };
  const webPrefix = `${ctx.urls.basePath}/admin`;
  return {
    handles: (pathname) => pathname === webPrefix || pathname.startsWith(`${webPrefix}/`),
    fetch: async (request, info) => (await load())(request, info),
  };
}
