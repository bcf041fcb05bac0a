/**
 * The account console under `<issuer>/account` (`account-app.ts`): `createProvider()` mounts it
 * beside the protocol engine when `accountConsole` is on (the default) and the accounts are
 * latchkey's built-in ones.
 */
import { ensureConsoleClient } from '../console/console-client.js';
import type { ProviderContext } from '../core/context.js';
import type { RequestInfo } from '../core/router.js';
import { ACCOUNT_CONSOLE } from './account-site.js';

/** A web surface mounted beside the engine: the paths it answers, and how. */
export interface Surface {
  handles(pathname: string): boolean;
  fetch(request: Request, info?: RequestInfo): Promise<Response>;
}

/**
 * Registers the account console's client and returns the console. `engineFetch` is the protocol
 * engine's `fetch`: the console signs in at latchkey's own `/token`, in process. Its pages load
 * at the first request under `/account`.
 */
export async function createAccountConsole(options: { ctx: ProviderContext; engineFetch: (request: Request) => Promise<Response>; flushAudit?: () => Promise<void> }): Promise<Surface> {
  const { ctx } = options;
  await ensureConsoleClient(ACCOUNT_CONSOLE, ctx);
  let accountFetch: Promise<Surface['fetch']> | undefined;
  const load = () => {
    if (accountFetch === undefined) {
      accountFetch = import('./account-app.js').then(({ createAccountApp }) => createAccountApp(options).fetch);
      // A failed load is tried again by the next request rather than remembered.
      accountFetch.catch(() => (accountFetch = undefined));
    }
    return accountFetch;
  };
  const prefix = `${ctx.urls.basePath}/${ACCOUNT_CONSOLE.name}`;
  return {
    handles: (pathname) => pathname === prefix || pathname.startsWith(`${prefix}/`),
    fetch: async (request, info) => (await load())(request, info),
  };
}
