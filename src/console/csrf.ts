/**
 * Cross-site request forgery protection of a console's forms (`site.ts`), two checks deep:
 *
 * 1. the browser's word: a form POST must come from the issuer's own origin (`Origin`, or
 *    `Sec-Fetch-Site: same-origin`) — hono's `csrf()` middleware;
 * 2. a token in every form that only this console session can know: an HMAC of the session
 *    cookie under a key derived from the master secret. A page from another session, or a form
 *    forged elsewhere, carries no valid token. Compared in constant time.
 *
 * The session cookie is also `SameSite=Strict`, so a cross-site POST does not even carry it.
 */
import { createHmac } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { derivedKey } from '../util/seal.js';
import { timingSafeEqualStrings } from '../util/digest.js';
import type { ConsoleSite } from './site.js';

/** Name of the form field that carries the token. */
export const CSRF_FIELD = 'csrf_token';

/** The CSRF token of the `site` console session whose cookie value is `sessionCookie`. */
export function csrfTokenFor(site: ConsoleSite, sessionCookie: string, secret: string): string {
  return createHmac('sha256', derivedKey(secret, `latchkey ${site.name} console csrf`)).update(sessionCookie, 'utf8').digest('base64url');
}

/** Whether `presented` is the CSRF token of the `site` session `sessionCookie` (constant time). */
export function isCsrfTokenValid(site: ConsoleSite, presented: string | undefined, sessionCookie: string, secret: string): boolean {
  if (presented === undefined || presented.length > 100) return false;
  return timingSafeEqualStrings(presented, csrfTokenFor(site, sessionCookie, secret));
}

/**
 * Refuses (403) a form POST whose `Origin` is not the issuer's origin (and that does not say
 * `Sec-Fetch-Site: same-origin`). The issuer's origin, not the request URL's: behind a proxy the
 * two differ, and the browser names the one it sees.
 */
export function sameOriginForms(issuer: string): MiddlewareHandler {
  const origin = new URL(issuer).origin;
  return csrf({ origin, secFetchSite: 'same-origin' });
}
