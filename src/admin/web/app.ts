/**
 * The admin web UI as a Web `fetch`: the pages of `routes.ts` under `<issuer>/admin`, plus the
 * console's own plumbing — its assets, the sign-in callback, sign-out and the signed-out page.
 *
 * Every answer carries the console's headers: a CSP that loads nothing but `/admin/assets/`
 * (`frame-ancestors 'none'`, `form-action 'self'`), `X-Frame-Options: DENY`,
 * `Referrer-Policy: no-referrer`, `nosniff`, and `Cache-Control: no-store` on everything but
 * the versioned assets. Every page needs a console session (else: sign in); every POST must
 * come from the issuer's origin and carry the session's CSRF token (else: 403, nothing done).
 */
import { randomUUID } from 'node:crypto';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { ProviderContext } from '../../core/context.js';
import type { RequestInfo } from '../../core/router.js';
import { observeRequests, type ObservedEnv } from '../../observability/observe-requests.js';
import { MAX_FORM_BYTES } from '../../http/params.js';
import { html, toResponse } from '../../http/responses.js';
import type { AdminApi } from '../api/app.js';
import { ApiError, createApiClient, NotAdministrator, SignInRequired } from './api-client.js';
import { ADMIN_ASSETS } from './assets.js';
import { CSRF_FIELD, csrfTokenFor, isCsrfTokenValid, sameOriginForms } from '../../console/csrf.js';
import { finishSignIn, readConsoleSession, SignInFailed, signOut, startSignIn } from '../../console/sign-in.js';
import { consoleRoot as rootOf } from '../../console/site.js';
import { ADMIN_CONSOLE } from '../admin-client.js';
import { FormFields } from './forms.js';
import type { PageContext } from './page.js';
import { renderContinuePage, renderNotAdministratorPage, renderProblemPage, renderSignedOutPage } from './pages/status-pages.js';
import type { AdminPageRoute } from './routes.js';

/** What the web UI is built on. */
export interface AdminWebDeps {
  ctx: ProviderContext;
  /** The admin API, which every page calls in process. */
  api: AdminApi;
  /** The protocol engine's `fetch`: the sign-in's code exchange and the sign-out's revocation, in process. */
  engineFetch(request: Request): Promise<Response>;
}

/** The admin web UI application. */
export interface AdminWeb {
  fetch(request: Request, info?: RequestInfo): Promise<Response>;
}

/** Where the admin console lives under the issuer: `<basePath>/admin`. */
function consoleRoot(ctx: ProviderContext): string {
  return rootOf(ADMIN_CONSOLE, ctx);
}

/** The console's CSP, in hono's camelCase form. Scripts and styles only from the assets folder. */
function consoleCsp(ctx: ProviderContext): Record<string, string[]> {
  const assets = `${new URL(ctx.urls.issuer).origin}${consoleRoot(ctx)}/assets/`;
  return {
    defaultSrc: ["'none'"],
    styleSrc: [assets],
    scriptSrc: [assets],
    imgSrc: ["'self'", 'data:'],
    // The dashboard's script fetches its figures from the console itself.
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  };
}

/** Builds the web UI over `routes`. */
export function createAdminWeb(routes: readonly AdminPageRoute[], deps: AdminWebDeps): AdminWeb {
  const { ctx } = deps;
  const root = consoleRoot(ctx);
  const secret = ctx.config.secret!;
  // Observed like every other request of the provider: x-request-id, metrics, a log line.
  const observed = new Hono<ObservedEnv>({ strict: false });
  observed.use('*', observeRequests(ctx));
  const app = observed.basePath(root);

  app.use(secureHeaders({
    contentSecurityPolicy: consoleCsp(ctx),
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    xContentTypeOptions: 'nosniff',
    strictTransportSecurity: ctx.urls.issuer.startsWith('https:') ? 'max-age=31536000' : false,
  }));
  app.use(noStoreExceptAssets(`${root}/assets/`));
  app.use(bodyLimit({ maxSize: MAX_FORM_BYTES, onError: () => problem(ctx, 413, 'Too large', 'The form is too large.') }));
  app.use(sameOriginForms(ctx.urls.issuer));

  // The console's plumbing: assets (public: nothing in them is secret), the sign-in callback,
  // the signed-out page (the end of a sign-out, with no session left), and sign-out.
  app.get('/assets/:name', (c) => {
    const asset = ADMIN_ASSETS.get(c.req.param('name'));
    if (!asset) return problem(ctx, 404, 'Not found', 'There is no such page in the admin console.');
    return new Response(asset.body, { headers: new Headers({ 'content-type': asset.contentType, 'cache-control': 'public, max-age=86400' }) });
  });
  app.get('/callback', async (c) => {
    try {
      const { setCookies, returnTo } = await finishSignIn(c.req.raw, ADMIN_CONSOLE, ctx, deps.engineFetch);
      // A page, not a redirect: the next navigation starts on this origin, so the SameSite=Strict
      // cookie comes along even when the sign-in began with a link from another site.
      return toResponse(await html(renderContinuePage(returnTo), 200, setCookies.map((cookie): [string, string] => ['set-cookie', cookie])));
    } catch (error) {
      if (!(error instanceof SignInFailed)) throw error;
      return problem(ctx, 400, 'Sign-in failed', error.message, { href: root, label: 'Sign in again' });
    }
  });
  app.get('/signed-out', async () => toResponse(await html(renderSignedOutPage(root))));
  app.post('/sign-out', async (c) => {
    const found = await readConsoleSession(c.req.raw, ADMIN_CONSOLE, ctx);
    if (!found) return toResponse(await html(renderSignedOutPage(root)));
    const form = await readForm(c.req.raw);
    if (!form || !isCsrfTokenValid(ADMIN_CONSOLE, form.text(CSRF_FIELD), found.cookie, secret)) return refusedForm(ctx);
    return signOut(found.session, ADMIN_CONSOLE, ctx, deps.engineFetch);
  });

  for (const route of routes) {
    app.on([route.method], [route.path], async (c) => {
      const request = c.req.raw;
      const url = new URL(request.url);
      const found = await readConsoleSession(request, ADMIN_CONSOLE, ctx);
      // A form posted without a session is not replayed after sign-in: back to the dashboard.
      if (!found) return startSignIn(request.method === 'GET' ? `${url.pathname}${url.search}` : root, ADMIN_CONSOLE, ctx);
      const csrfToken = csrfTokenFor(ADMIN_CONSOLE, found.cookie, secret);
      let form = FormFields.empty;
      if (request.method === 'POST') {
        const posted = await readForm(request);
        if (!posted || !isCsrfTokenValid(ADMIN_CONSOLE, posted.text(CSRF_FIELD), found.cookie, secret)) return refusedForm(ctx);
        form = posted;
      }
      const page: PageContext = {
        ctx,
        api: createApiClient(deps.api, ctx.urls.issuer, found.session.access_token),
        csrfToken,
        params: c.req.param() as Record<string, string>,
        url,
        form,
        link: (path) => `${root}${path}`,
      };
      try {
        return await route.page(page);
      } catch (error) {
        if (error instanceof SignInRequired) return startSignIn(request.method === 'GET' ? `${url.pathname}${url.search}` : root, ADMIN_CONSOLE, ctx);
        if (error instanceof NotAdministrator) return toResponse(await html(renderNotAdministratorPage(root, csrfToken), 403));
        if (error instanceof ApiError && error.status === 404) return problem(ctx, 404, 'Not found', error.description);
        if (error instanceof ApiError) return problem(ctx, error.status, 'That did not work', error.description, { href: sectionOf(url.pathname, root), label: 'Back' });
        throw error;
      }
    });
  }

  observed.notFound(() => problem(ctx, 404, 'Not found', 'There is no such page in the admin console.'));
  observed.onError((error, c) => {
    // hono's csrf(): a form POST from another origin.
    if (error instanceof HTTPException && error.status === 403) return refusedForm(ctx);
    const { requestId } = c.env;
    ctx.logger.error({ err: error, requestId }, 'admin console: unhandled error');
    return problem(ctx, 500, 'Something went wrong', `The console could not complete the request (request id ${requestId}).`);
  });
  return { fetch: async (request, info = {}) => observed.fetch(request, { ...info, requestId: randomUUID() }) };
}

/**
 * The fields of a form POST, or undefined when the body is not a form (a CSRF attempt through
 * another content type gets nothing done).
 */
async function readForm(request: Request): Promise<FormFields | undefined> {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return undefined;
  return FormFields.fromParams(new URLSearchParams(await request.text()));
}

/** The section a console path belongs to: `/admin/keys/k1/retire` → `/admin/keys`. */
function sectionOf(pathname: string, root: string): string {
  const section = pathname.slice(root.length).split('/')[1];
  return section === undefined || section === '' ? root : `${root}/${section}`;
}

function refusedForm(ctx: ProviderContext): Promise<Response> {
  return problem(ctx, 403, 'Form refused', 'This form did not come from your current admin console session (it may have expired, or come from another site). Nothing was changed. Go back, reload the page and try again.');
}

function problem(ctx: ProviderContext, status: number, title: string, message: string, action?: { href: string; label: string }): Promise<Response> {
  return html(renderProblemPage(consoleRoot(ctx), title, message, action), status).then(toResponse);
}

/** `Cache-Control: no-store` on every answer but the assets (versioned by content, so cacheable). */
function noStoreExceptAssets(assetsPrefix: string): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (!c.req.path.startsWith(assetsPrefix)) {
      c.res.headers.set('cache-control', 'no-store');
      c.res.headers.set('pragma', 'no-cache');
    }
  };
}
