/**
 * latchkey's own web consoles — the admin console (`/admin`) and the account console
 * (`/account`) — are OAuth clients of latchkey itself, each with a public client of its own, a
 * callback and a signed-out page under its root, and its own cookies. A `ConsoleSite` names one;
 * the sign-in (`sign-in.ts`), the CSRF tokens (`csrf.ts`) and the client's registration
 * (`console-client.ts`) work for either.
 */
import type { ProviderContext } from '../core/context.js';

/** One of latchkey's consoles. */
export interface ConsoleSite {
  /** Its path segment under the issuer (`admin` → `<issuer>/admin`), and the stem of its cookies' names. */
  readonly name: 'admin' | 'account';
  /** Its public client. */
  readonly clientId: string;
  /** What it asks `/authorize` for. */
  readonly scope: string;
  /** What the client is called on the login page and in the admin console. */
  readonly clientName: string;
  /** The assurance level (`acr`) its sign-in requires under this configuration, if any. */
  readonly requiredAcr?: (ctx: ProviderContext) => string | undefined;
}

/** Where the console lives under the issuer's path: `<basePath>/<name>`. */
export function consoleRoot(site: ConsoleSite, ctx: ProviderContext): string {
  return `${ctx.urls.basePath}/${site.name}`;
}

/** The console's redirect URI under this issuer. */
export function consoleCallbackUri(site: ConsoleSite, ctx: ProviderContext): string {
  return `${ctx.urls.issuer}/${site.name}/callback`;
}

/** Where `/end_session` sends the browser after the console signs out. */
export function consoleSignedOutUri(site: ConsoleSite, ctx: ProviderContext): string {
  return `${ctx.urls.issuer}/${site.name}/signed-out`;
}

/**
 * Whether `path` is a page of this console to come back to: a path under its root, never
 * another origin (`//host`, `/\host`) — an open redirect otherwise.
 */
export function isConsolePath(path: string, site: ConsoleSite, ctx: ProviderContext): boolean {
  const root = consoleRoot(site, ctx);
  return (path === root || path.startsWith(`${root}/`) || path.startsWith(`${root}?`)) && !/[\\\s]|\/\//.test(path);
}
