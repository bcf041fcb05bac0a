/**
 * The admin console's sign-in. The console is an OAuth client of latchkey itself — the public
 * client `latchkey-admin` (`admin-client.ts`) — so an administrator signs in on latchkey's own
 * login page, where login throttling, disabled accounts and every other rule apply as everywhere:
 *
 * 1. a page without a console session redirects to `/authorize` (code flow, PKCE S256, `state`);
 *    the verifier, the state and the page to return to wait in a short-lived sealed cookie;
 * 2. `/admin/callback` checks the state, exchanges the code at latchkey's own `/token` — in
 *    process, through the engine's `fetch`, no network — and keeps the access token in the
 *    console session cookie: sealed under the master secret, HttpOnly, `SameSite=Strict`,
 *    `Path=/admin`, Secure under an https issuer;
 * 3. every page calls the admin API with that token, so that the API decides, on each request,
 *    whether its holder is still an administrator;
 * 4. signing out revokes the token, clears the cookie and ends the login session at
 *    `/end_session`, which comes back to `/admin/signed-out`.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1
 */
import { createHash } from 'node:crypto';
import type { ProviderContext } from '../../core/context.js';
import { ADMIN_SCOPE } from '../../core/scopes.js';
import { readCookie, serializeCookie } from '../../http/cookies.js';
import { redirect, toResponse } from '../../http/responses.js';
import { randomToken } from '../../util/random.js';
import { seal, unseal } from '../../util/seal.js';
import { timingSafeEqualStrings } from '../../util/digest.js';
import { ADMIN_CLIENT_ID, adminCallbackUri, adminSignedOutUri } from '../admin-client.js';

/** The console session cookie: the sealed access token. */
export const CONSOLE_COOKIE = 'latchkey_admin';
/** The sign-in cookie: state, PKCE verifier and return path, only for the trip to `/authorize`. */
export const SIGN_IN_COOKIE = 'latchkey_admin_sign_in';

const SESSION_PURPOSE = 'latchkey admin console session';
const SIGN_IN_PURPOSE = 'latchkey admin console sign-in';

/** A console session, as sealed in its cookie. */
export interface ConsoleSession {
  access_token: string;
  /** For `id_token_hint` at sign-out. */
  id_token?: string;
  /** Epoch seconds: when the access token expires. */
  expires_at: number;
}

/** What waits in the sign-in cookie during the trip to `/authorize`. */
interface PendingSignIn {
  state: string;
  code_verifier: string;
  return_to: string;
}

/** Where the console lives under the issuer: `<basePath>/admin`. */
export function consoleRoot(ctx: ProviderContext): string {
  return `${ctx.urls.basePath}/admin`;
}

/**
 * Whether `path` is a page of this console to come back to: a path under `/admin`, never
 * another origin (`//host`, `/\host`) — an open redirect otherwise.
 */
export function isConsolePath(path: string, ctx: ProviderContext): boolean {
  const root = consoleRoot(ctx);
  return (path === root || path.startsWith(`${root}/`) || path.startsWith(`${root}?`)) && !/[\\\s]|\/\//.test(path);
}

/** The request's console session and its raw cookie value (the CSRF token is bound to it), if valid. */
export async function readConsoleSession(request: Request, ctx: ProviderContext): Promise<{ session: ConsoleSession; cookie: string } | undefined> {
  const cookie = readCookie(request, CONSOLE_COOKIE);
  if (cookie === undefined || cookie.length > 4096) return undefined;
  try {
    const session = await unseal<ConsoleSession>(cookie, ctx.config.secret!, SESSION_PURPOSE);
    if (typeof session.access_token !== 'string' || !(session.expires_at > ctx.clock.now())) return undefined;
    return { session, cookie };
  } catch {
    // Sealed under another secret, altered, or not ours: as good as no session.
    return undefined;
  }
}

/**
 * Sends the browser to latchkey's `/authorize` as the console's client, to come back to
 * `returnTo` (a console path) once signed in.
 */
export async function startSignIn(returnTo: string, ctx: ProviderContext): Promise<Response> {
  const pending: PendingSignIn = { state: randomToken(), code_verifier: randomToken(), return_to: isConsolePath(returnTo, ctx) ? returnTo : consoleRoot(ctx) };
  const challenge = createHash('sha256').update(pending.code_verifier).digest('base64url');
  const url = new URL(ctx.urls.authorization);
  url.search = new URLSearchParams({
    client_id: ADMIN_CLIENT_ID,
    response_type: 'code',
    redirect_uri: adminCallbackUri(ctx),
    scope: `openid ${ADMIN_SCOPE}`,
    state: pending.state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  const ttl = ctx.config.interactionTtlSeconds;
  // Lax, not Strict: the callback may end a redirect chain that began on another site (a link
  // to /admin in a mail), and a Strict cookie would not come along.
  const cookie = serializeCookie(SIGN_IN_COOKIE, await seal(pending, ctx.config.secret!, SIGN_IN_PURPOSE), { path: `${consoleRoot(ctx)}/callback`, maxAge: ttl, secure: isHttps(ctx), sameSite: 'Lax' });
  return toResponse(redirect(url.href, 302, { 'set-cookie': cookie }));
}

/** Why a sign-in could not complete (shown on the error page; nothing secret). */
export class SignInFailed extends Error {
  override readonly name = 'SignInFailed';
}

/**
 * `GET /admin/callback`: checks `state` against the sign-in cookie and exchanges the code (with
 * the PKCE verifier) at the token endpoint, in process.
 * @returns the cookies to set (the console session; the spent sign-in cookie cleared) and the console path to go to.
 * @throws SignInFailed for a missing or wrong state, an error from `/authorize`, a refused code.
 */
export async function finishSignIn(request: Request, ctx: ProviderContext, engineFetch: (request: Request) => Promise<Response>): Promise<{ setCookies: string[]; returnTo: string }> {
  const params = new URL(request.url).searchParams;
  const sealed = readCookie(request, SIGN_IN_COOKIE);
  let pending: PendingSignIn | undefined;
  try {
    pending = sealed === undefined ? undefined : await unseal<PendingSignIn>(sealed, ctx.config.secret!, SIGN_IN_PURPOSE);
  } catch {
    pending = undefined;
  }
  const state = params.get('state');
  // RFC 6749 §10.12: a response not bound to a sign-in this browser started is refused (CSRF on the callback).
  if (!pending || state === null || !timingSafeEqualStrings(state, pending.state)) {
    throw new SignInFailed('this sign-in was not started in this browser, or it has expired; start again');
  }
  const error = params.get('error');
  if (error !== null) throw new SignInFailed(`sign-in was refused: ${params.get('error_description') ?? error}`);
  const code = params.get('code');
  if (code === null) throw new SignInFailed('the sign-in answer carries no code');

  const response = await engineFetch(new Request(ctx.urls.token, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: adminCallbackUri(ctx), client_id: ADMIN_CLIENT_ID, code_verifier: pending.code_verifier }),
  }));
  const tokens = (await response.json()) as { access_token?: string; id_token?: string; expires_in?: number; error_description?: string };
  if (!response.ok || typeof tokens.access_token !== 'string') throw new SignInFailed(`the code could not be exchanged: ${tokens.error_description ?? response.status}`);

  const expiresIn = typeof tokens.expires_in === 'number' && tokens.expires_in > 0 ? tokens.expires_in : 300;
  const session: ConsoleSession = { access_token: tokens.access_token, ...(tokens.id_token === undefined ? {} : { id_token: tokens.id_token }), expires_at: ctx.clock.now() + expiresIn };
  const value = await seal(session, ctx.config.secret!, SESSION_PURPOSE);
  // The sign-in cookie has done its work: a state is good for one sign-in.
  const clearSignIn = serializeCookie(SIGN_IN_COOKIE, '', { path: `${consoleRoot(ctx)}/callback`, maxAge: 0, secure: isHttps(ctx), sameSite: 'Lax' });
  return { setCookies: [sessionCookie(value, expiresIn, ctx), clearSignIn], returnTo: pending.return_to };
}

/**
 * Signs the console out: revokes its access token (in process), clears the cookie, and sends the
 * browser to `/end_session` to end the login session too, back to `/admin/signed-out`.
 */
export async function signOut(session: ConsoleSession, ctx: ProviderContext, engineFetch: (request: Request) => Promise<Response>): Promise<Response> {
  await engineFetch(new Request(ctx.urls.revocation, { method: 'POST', body: new URLSearchParams({ token: session.access_token, client_id: ADMIN_CLIENT_ID }) }));
  const headers = { 'set-cookie': sessionCookie('', 0, ctx) };
  if (session.id_token === undefined) return toResponse(redirect(adminSignedOutUri(ctx), 303, headers));
  const url = new URL(ctx.urls.endSession);
  url.search = new URLSearchParams({ id_token_hint: session.id_token, client_id: ADMIN_CLIENT_ID, post_logout_redirect_uri: adminSignedOutUri(ctx) }).toString();
  return toResponse(redirect(url.href, 303, headers));
}

/** The console session cookie with `value` (empty and max-age 0 to clear it). */
function sessionCookie(value: string, maxAge: number, ctx: ProviderContext): string {
  // Strict: no other site can make the browser send it, not even on a top-level link.
  return serializeCookie(CONSOLE_COOKIE, value, { path: consoleRoot(ctx), maxAge, secure: isHttps(ctx), sameSite: 'Strict' });
}

function isHttps(ctx: ProviderContext): boolean {
  return ctx.urls.issuer.startsWith('https:');
}
