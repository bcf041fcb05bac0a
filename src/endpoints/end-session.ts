import type { ProviderContext } from '../core/context.js';
import { InvalidRequest, OAuthError } from '../core/errors.js';
import { pageCspDirectives, serializeCsp } from '../core/page-csp.js';
import { readCookie, serializeCookie } from '../http/cookies.js';
import { readForm, readQuery, type Params } from '../http/params.js';
import { html, redirect, type Answer } from '../http/responses.js';
import type { ProtocolRequest } from '../http/protocol-request.js';
import { languageOfRequest } from '../interaction/language.js';
import { renderErrorPage } from '../interaction/authorization-response.js';
import { endSession } from '../interaction/logout.js';
import { cookieOptions, readSession, type ActiveSession } from '../interaction/session.js';
import type { ClientRecord } from '../storage/types.js';
import { verifyIdTokenHint } from '../tokens/id-token-hint.js';
import { subjectFor } from '../tokens/subject.js';
import { digestSecret, timingSafeEqualStrings } from '../util/digest.js';
import { randomToken } from '../util/random.js';
import type { Endpoint } from './types.js';

/** Double-submit CSRF cookie of the logout confirmation form. */
const LOGOUT_COOKIE = 'latchkey_logout';

/** Where the user goes after logging out: the client's registered URI, with its `state`. */
interface LogoutTarget {
  client_id?: string;
  post_logout_redirect_uri?: string;
  state?: string;
  /** The language of the pages: the request's `ui_locales`, else the browser's, of those offered. */
  lang?: string;
}

/**
 * End-session endpoint, `GET|POST /end_session` (OpenID Connect RP-Initiated Logout 1.0).
 *
 * - `id_token_hint` must be an ID token of this issuer (expired is fine); `client_id`, if sent
 *   with it, must be among its audiences;
 * - `post_logout_redirect_uri` must exactly match one the client registered, and needs the
 *   client to be identified (by the hint or `client_id`); otherwise an error page, never a
 *   redirect (an open redirector otherwise);
 * - a request that cannot be verified — no hint, or a hint for someone else than the signed-in
 *   user — is confirmed by the user first (§2: the OP SHOULD ask), so that a forged link
 *   cannot sign anyone out;
 * - logging out ends the session (see `endSession`) and goes to the client's URI with `state`,
 *   through the front-channel logout iframes when some client registered one.
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html
 */
export const endSessionEndpoint: Endpoint = async (request, ctx) =>
  asPage(request, ctx, async () => {
    const params = request.method === 'POST' ? await readForm(request) : readQuery(request);
    const { target, client, hint } = await validateLogoutRequest(params, ctx, languageOfRequest(request, ctx, params.ui_locales));
    const session = await readSession(request, ctx);
    if (!session) return finishLogout(target, { frontchannelUris: [], clearCookie: undefined }, ctx);

    // The hint's sub is the client's view of the user (pairwise or public).
    const sessionSubject = client === undefined ? session.record.sub : subjectFor(client, session.record.sub, ctx);
    const verified = hint !== undefined && hint.sub === sessionSubject && (hint.sid === undefined || hint.sid === session.record.sid);
    if (verified) return finishLogout(target, await endSession(session, ctx), ctx);
    return confirmLogout(target, client, ctx);
  });

/** `POST /end_session/confirm`: the answer of the confirmation page. */
export const endSessionConfirmEndpoint: Endpoint = async (request, ctx) =>
  asPage(request, ctx, async () => {
    const form = await readForm(request);
    const cookie = readCookie(request, LOGOUT_COOKIE);
    if (cookie === undefined || form.csrf_token === undefined || !timingSafeEqualStrings(cookie, form.csrf_token)) {
      throw new InvalidRequest('the form has expired; reload the page and try again');
    }
    const id = digestSecret(form.logout_request ?? '');
    const pending = await ctx.storage.artifacts.consume('logout_request', id);
    if (!pending || pending.replayed) throw new InvalidRequest('this sign-out request has expired or is already complete');
    const clearForm = serializeCookie(LOGOUT_COOKIE, '', cookieOptions(ctx, 0, '/end_session'));

    if (form.decision === 'stay') {
      return html(ctx.pages.loggedOut({ signedOut: false, frontchannelUris: [], ...langOf(pending.value) }), 200, { 'set-cookie': clearForm });
    }
    if (form.decision !== 'logout') throw new InvalidRequest('decision must be logout or stay');
    const session: ActiveSession | undefined = await readSession(request, ctx);
    const ended = session ? await endSession(session, ctx) : { frontchannelUris: [], clearCookie: undefined };
    return finishLogout(pending.value, ended, ctx, [clearForm]);
  });

async function validateLogoutRequest(params: Params, ctx: ProviderContext, lang: string) {
  const hint = params.id_token_hint === undefined ? undefined : await verifyIdTokenHint(params.id_token_hint, ctx);
  if (params.client_id !== undefined && hint !== undefined && !hint.aud.includes(params.client_id)) {
    throw new InvalidRequest('client_id is not an audience of id_token_hint');
  }
  const client_id = params.client_id ?? (hint?.aud.length === 1 ? hint.aud[0] : undefined);
  const client = client_id === undefined ? undefined : await ctx.storage.clients.find(client_id);
  if (client_id !== undefined && !client) throw new InvalidRequest('client_id is not a registered client');

  const uri = params.post_logout_redirect_uri;
  if (uri !== undefined) {
    if (!client) throw new InvalidRequest('post_logout_redirect_uri needs id_token_hint or client_id to identify the client');
    if (!(client.post_logout_redirect_uris ?? []).includes(uri)) throw new InvalidRequest('post_logout_redirect_uri is not registered for this client');
  }
  const target: LogoutTarget = {
    ...(client === undefined ? {} : { client_id: client.client_id }),
    ...(uri === undefined ? {} : { post_logout_redirect_uri: uri }),
    ...(params.state === undefined || uri === undefined ? {} : { state: params.state }),
    lang,
  };
  return { target, client, hint };
}

/** The confirmation page; the pending request waits in storage, the form is bound to this browser. */
async function confirmLogout(target: LogoutTarget, client: ClientRecord | undefined, ctx: ProviderContext): Promise<Answer> {
  const logoutRequest = randomToken();
  const csrfToken = randomToken();
  const ttl = ctx.config.interactionTtlSeconds;
  await ctx.storage.artifacts.put('logout_request', digestSecret(logoutRequest), target, ttl);
  const cookie = serializeCookie(LOGOUT_COOKIE, csrfToken, cookieOptions(ctx, ttl, '/end_session'));
  return html(ctx.pages.logoutConfirm({
    action: `${ctx.urls.endSession}/confirm`,
    csrfToken,
    logoutRequest,
    ...langOf(target),
    ...(client === undefined ? {} : { client: { client_id: client.client_id, ...(client.client_name === undefined ? {} : { client_name: client.client_name }), ...(client.logo_uri === undefined ? {} : { logo_uri: client.logo_uri }) } }),
  }), 200, { 'set-cookie': cookie });
}

/**
 * After logging out: straight to the client's URI, or — when front-channel iframes must load
 * first, or there is nowhere to go — the logged-out page.
 */
async function finishLogout(
  target: LogoutTarget,
  ended: { frontchannelUris: string[]; clearCookie: string | undefined },
  ctx: ProviderContext,
  moreCookies: string[] = [],
): Promise<Answer> {
  let continueUrl: string | undefined;
  if (target.post_logout_redirect_uri !== undefined) {
    const url = new URL(target.post_logout_redirect_uri);
    if (target.state !== undefined) url.searchParams.set('state', target.state);
    continueUrl = url.href;
  }
  const headers = new Headers();
  for (const cookie of [...(ended.clearCookie === undefined ? [] : [ended.clearCookie]), ...moreCookies]) headers.append('set-cookie', cookie);
  if (ended.frontchannelUris.length === 0 && continueUrl !== undefined) return redirect(continueUrl, 303, headers);

  if (ended.frontchannelUris.length > 0) {
    const origins = [...new Set(ended.frontchannelUris.map((uri) => new URL(uri).origin))];
    headers.set('content-security-policy', serializeCsp(pageCspDirectives(ctx.pages, origins)));
  }
  return html(ctx.pages.loggedOut({ signedOut: true, frontchannelUris: ended.frontchannelUris, ...langOf(target), ...(continueUrl === undefined ? {} : { continueUrl }) }), 200, headers);
}

/** A page's `lang`, as the logout request holds it. */
function langOf(target: LogoutTarget): { lang?: string } {
  return target.lang === undefined ? {} : { lang: target.lang };
}

async function asPage(request: ProtocolRequest, ctx: ProviderContext, fn: () => Promise<Answer>): Promise<Answer> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof OAuthError) return renderErrorPage(error, ctx, languageOfRequest(request, ctx));
    throw error;
  }
}
