/**
 * How a console signs in (the admin console, the account console: `site.ts`). The console is an
 * OAuth client of latchkey itself — a public client of its own — so a person signs in on
 * latchkey's own login page, where login throttling, disabled accounts and every other rule apply
 * as everywhere:
 *
 * 1. a page without a console session redirects to `/authorize` (code flow, PKCE S256, `state`);
 *    the verifier, the state and the page to return to wait in a short-lived sealed cookie;
 * 2. `<root>/callback` checks the state, exchanges the code at latchkey's own `/token` — in
 *    process, through the engine's `fetch`, no network — and keeps the tokens in the console
 *    session cookie: sealed under the master secret, HttpOnly, `SameSite=Strict`, `Path=<root>`,
 *    Secure under an https issuer;
 * 3. every page checks that access token again (the admin console through the admin API, the
 *    account console against storage), so that signing out anywhere, disabling the account or
 *    revoking the token ends the console session at once;
 * 4. signing out revokes the token, clears the cookie and ends the login session at
 *    `/end_session`, which comes back to `<root>/signed-out`.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1
 */
import { createHash } from 'node:crypto';
import type { ProviderContext } from '../core/context.js';
import { readCookie, serializeCookie } from '../http/cookies.js';
import { redirect, toResponse } from '../http/responses.js';
import { randomToken } from '../util/random.js';
import { seal, unseal } from '../util/seal.js';
import { timingSafeEqualStrings } from '../util/digest.js';
import { consoleCallbackUri, consoleRoot, consoleSignedOutUri, isConsolePath, type ConsoleSite } from './site.js';

/** The console session cookie (`latchkey_admin`, `latchkey_account`): the sealed tokens. */
export function consoleCookie(site: ConsoleSite): string {
  return `latchkey_${site.name}`;
}

/** The sign-in cookie: state, PKCE verifier and return path, only for the trip to `/authorize`. */
export function signInCookie(site: ConsoleSite): string {
  return `latchkey_${site.name}_sign_in`;
}

function sessionPurpose(site: ConsoleSite): string {
  return `latchkey ${site.name} console session`;
}

function signInPurpose(site: ConsoleSite): string {
  return `latchkey ${site.name} console sign-in`;
}

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

/** The request's console session and its raw cookie value (the CSRF token is bound to it), if valid. */
export async function readConsoleSession(request: Request, site: ConsoleSite, ctx: ProviderContext): Promise<{ session: ConsoleSession; cookie: string } | undefined> {
  const cookie = readCookie(request, consoleCookie(site));
  if (cookie === undefined || cookie.length > 4096) return undefined;
  try {
    const session = await unseal<ConsoleSession>(cookie, ctx.config.secret!, sessionPurpose(site));
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
export async function startSignIn(returnTo: string, site: ConsoleSite, ctx: ProviderContext): Promise<Response> {
  const pending: PendingSignIn = { state: randomToken(), code_verifier: randomToken(), return_to: isConsolePath(returnTo, site, ctx) ? returnTo : consoleRoot(site, ctx) };
  const challenge = createHash('sha256').update(pending.code_verifier).digest('base64url');
  const url = new URL(ctx.urls.authorization);
  const acr = site.requiredAcr?.(ctx);
  url.search = new URLSearchParams({
    client_id: site.clientId,
    response_type: 'code',
    redirect_uri: consoleCallbackUri(site, ctx),
    scope: site.scope,
    state: pending.state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    // OIDC Core §5.5.1.1: an essential acr — a login below it ends with an error, never a session.
    ...(acr === undefined ? {} : { claims: JSON.stringify({ id_token: { acr: { essential: true, values: [acr] } } }) }),
  }).toString();
  const ttl = ctx.config.interactionTtlSeconds;
  // Lax, not Strict: the callback may end a redirect chain that began on another site (a link
  // to the console in a mail), and a Strict cookie would not come along.
  const cookie = serializeCookie(signInCookie(site), await seal(pending, ctx.config.secret!, signInPurpose(site)), { path: `${consoleRoot(site, ctx)}/callback`, maxAge: ttl, secure: isHttps(ctx), sameSite: 'Lax' });
  return toResponse(redirect(url.href, 302, { 'set-cookie': cookie }));
}

/** Why a sign-in could not complete (shown on the error page; nothing secret). */
export class SignInFailed extends Error {
  override readonly name = 'SignInFailed';
  constructor(
    message: string,
    /** The answer came to a browser that did not start this sign-in, or after it expired: what a person meets, as opposed to a technical failure. */
    readonly notStarted = false,
  ) {
    super(message);
  }
}

/**
 * `GET <root>/callback`: checks `state` against the sign-in cookie and exchanges the code (with
 * the PKCE verifier) at the token endpoint, in process.
 * @returns the cookies to set (the console session; the spent sign-in cookie cleared) and the console path to go to.
 * @throws SignInFailed for a missing or wrong state, an error from `/authorize`, a refused code.
 */
export async function finishSignIn(request: Request, site: ConsoleSite, ctx: ProviderContext, engineFetch: (request: Request) => Promise<Response>): Promise<{ setCookies: string[]; returnTo: string }> {
  const params = new URL(request.url).searchParams;
  const sealed = readCookie(request, signInCookie(site));
  let pending: PendingSignIn | undefined;
  try {
    pending = sealed === undefined ? undefined : await unseal<PendingSignIn>(sealed, ctx.config.secret!, signInPurpose(site));
  } catch {
    pending = undefined;
  }
  const state = params.get('state');
  // RFC 6749 §10.12: a response not bound to a sign-in this browser started is refused (CSRF on the callback).
  if (!pending || state === null || !timingSafeEqualStrings(state, pending.state)) {
    throw new SignInFailed('this sign-in was not started in this browser, or it has expired; start again', true);
  }
  const error = params.get('error');
  if (error === 'unmet_authentication_requirements') {
    const where = ctx.config.accountConsole ? ` at ${ctx.urls.issuer}/account/two-step` : '';
    throw new SignInFailed(`this console needs a sign-in with two-step verification: turn it on for your account${where}, then sign in again`);
  }
  if (error !== null) throw new SignInFailed(`sign-in was refused: ${params.get('error_description') ?? error}`);
  const code = params.get('code');
  if (code === null) throw new SignInFailed('the sign-in answer carries no code');

  const response = await engineFetch(new Request(ctx.urls.token, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: consoleCallbackUri(site, ctx), client_id: site.clientId, code_verifier: pending.code_verifier }),
  }));
  const tokens = (await response.json()) as { access_token?: string; id_token?: string; expires_in?: number; error_description?: string };
  if (!response.ok || typeof tokens.access_token !== 'string') throw new SignInFailed(`the code could not be exchanged: ${tokens.error_description ?? response.status}`);

  const expiresIn = typeof tokens.expires_in === 'number' && tokens.expires_in > 0 ? tokens.expires_in : 300;
  const session: ConsoleSession = { access_token: tokens.access_token, ...(tokens.id_token === undefined ? {} : { id_token: tokens.id_token }), expires_at: ctx.clock.now() + expiresIn };
  const value = await seal(session, ctx.config.secret!, sessionPurpose(site));
  // The sign-in cookie has done its work: a state is good for one sign-in.
  const clearSignIn = serializeCookie(signInCookie(site), '', { path: `${consoleRoot(site, ctx)}/callback`, maxAge: 0, secure: isHttps(ctx), sameSite: 'Lax' });
  return { setCookies: [sessionCookie(site, value, expiresIn, ctx), clearSignIn], returnTo: pending.return_to };
}

/**
 * Signs the console out: revokes its access token (in process), clears the cookie, and sends the
 * browser to `/end_session` to end the login session too, back to `<root>/signed-out`.
 */
export async function signOut(session: ConsoleSession, site: ConsoleSite, ctx: ProviderContext, engineFetch: (request: Request) => Promise<Response>): Promise<Response> {
  await engineFetch(new Request(ctx.urls.revocation, { method: 'POST', body: new URLSearchParams({ token: session.access_token, client_id: site.clientId }) }));
  const headers = { 'set-cookie': clearedConsoleSession(site, ctx) };
  if (session.id_token === undefined) return toResponse(redirect(consoleSignedOutUri(site, ctx), 303, headers));
  const url = new URL(ctx.urls.endSession);
  url.search = new URLSearchParams({ id_token_hint: session.id_token, client_id: site.clientId, post_logout_redirect_uri: consoleSignedOutUri(site, ctx) }).toString();
  return toResponse(redirect(url.href, 303, headers));
}

/** The `Set-Cookie` that ends the console session in the browser (its cookie cleared). */
export function clearedConsoleSession(site: ConsoleSite, ctx: ProviderContext): string {
  return sessionCookie(site, '', 0, ctx);
}

/** The console session cookie with `value` (empty and max-age 0 to clear it). */
function sessionCookie(site: ConsoleSite, value: string, maxAge: number, ctx: ProviderContext): string {
  // Strict: no other site can make the browser send it, not even on a top-level link.
  return serializeCookie(consoleCookie(site), value, { path: consoleRoot(site, ctx), maxAge, secure: isHttps(ctx), sameSite: 'Strict' });
}

function isHttps(ctx: ProviderContext): boolean {
  return ctx.urls.issuer.startsWith('https:');
}
