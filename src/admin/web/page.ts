/**
 * What a console page handler receives and how it answers. A handler is a plain function of
 * `PageContext`; the application (`app.ts`) has already checked the console session and, for a
 * POST, the CSRF token, before it runs.
 */
import type { ProviderContext } from '../../core/context.js';
import { html, redirect, toResponse } from '../../http/responses.js';
import type { ApiClient } from './api-client.js';
import type { FormFields } from './forms.js';

/** Everything a page handler may use. */
export interface PageContext {
  readonly ctx: ProviderContext;
  /** The admin API, acting as the signed-in administrator. */
  readonly api: ApiClient;
  /** The CSRF token every form of this session carries. */
  readonly csrfToken: string;
  /** Path parameters, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** The request URL (its query holds search, filters and paging). */
  readonly url: URL;
  /** The posted form's fields (empty for a GET). */
  readonly form: FormFields;
  /** The URL path of console page `path`: `link('/clients')` → `/admin/clients`. */
  link(path: string): string;
}

/** A console page: GET renders, POST changes something and redirects (or shows a result once). */
export type PageHandler = (page: PageContext) => Promise<Response>;

/** A rendered page. Headers common to every page (CSP, framing …) are added by the application. */
export function sendPage(document: Promise<string>, status = 200): Promise<Response> {
  return html(document, status).then(toResponse);
}

/**
 * After a change: 303 to the page that shows its result, with a notice code the page turns into
 * a fixed sentence (never text from the URL).
 */
export function redirectAfterPost(location: string, notice?: string): Response {
  if (notice === undefined) return toResponse(redirect(location, 303));
  const separator = location.includes('?') ? '&' : '?';
  return toResponse(redirect(`${location}${separator}notice=${encodeURIComponent(notice)}`, 303));
}

/**
 * Where a form asked to go back to (`return_to`, a console path), else `fallback`: the same
 * "end session" button serves the sessions page and a user's page.
 */
export function returnPath(page: PageContext, fallback: string): string {
  const requested = page.form.text('return_to');
  const root = page.link('');
  if (requested !== undefined && (requested === root || requested.startsWith(`${root}/`)) && !/[\\\s]|\/\//.test(requested)) return requested;
  return fallback;
}
