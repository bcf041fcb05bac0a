import { AccountInputError, UsernameTaken } from '../accounts/create-account.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../accounts/password.js';
import { claimsBeyondScopes } from '../core/claims-request.js';
import type { ProviderContext } from '../core/context.js';
import { InvalidRequest, OAuthError } from '../core/errors.js';
import { readForm } from '../http/params.js';
import { html, type Answer } from '../http/responses.js';
import { renderErrorPage } from '../interaction/authorization-response.js';
import { loadInteraction, saveInteraction, verifyCsrfToken, type LoadedInteraction } from '../interaction/interaction.js';
import { applyInteractionResult, continueInteraction, displayOf, nextStepOf } from '../interaction/interaction-steps.js';
import { countAgainstAddressQuota, isAddressAllowed, isLoginAllowed, isWithinAddressQuota, recordAddressFailure, recordLoginFailure, recordLoginSuccess } from '../interaction/login-throttle.js';
import { checkPasskeySignIn, passkeySignInOf } from '../passkeys/sign-in.js';
import { UpstreamError } from '../upstreams/upstream-client.js';
import { hintedUpstream, startUpstreamSignIn, upstreamSignInOf } from '../upstreams/upstream-providers.js';
import type { Account } from '../accounts/types.js';
import { describeClaims, describeScopes } from '../interaction/scope-descriptions.js';
import { offersEmailVerification, sendEmailVerification } from '../interaction/email-verification.js';
import { offersPasswordReset } from '../interaction/password-reset.js';
import { readSession, type ActiveSession } from '../interaction/session.js';
import { stepsUpByCode } from '../interaction/assurance.js';
import { languageOf, languageOfRequest, messagesOf } from '../interaction/language.js';
import type { ClientRecord, UpstreamProviderRecord } from '../storage/types.js';
import type { Endpoint, RouteInfo } from './types.js';
import type { ProtocolRequest } from '../http/protocol-request.js';

/**
 * The built-in login and consent pages of an authorization request in progress — the default
 * implementation of the interaction hook: `GET /interaction/:uid` shows whichever the request
 * needs next; `POST …/login` and `POST …/consent` turn the forms into an interaction result.
 * `GET …/resume` applies the result a host application's own pages handed to
 * `provider.interactions.finish()`. Every POST carries the interaction's CSRF token; the
 * interaction is bound to the browser that started it.
 */

/**
 * `GET /interaction/:uid`: the login page or the consent page — or, for `prompt=create` (OIDC
 * Prompt Create §4.1) where people may create their own account, the registration page; for a
 * session below the assurance level the request asks (assurance.ts), its second step; for a
 * request whose `idp_hint` names an enabled upstream provider, instead of the login page, the
 * upstream's sign-in (once).
 */
export const interactionEndpoint: Endpoint = async (request, ctx, route) =>
  withInteraction(request, ctx, route, async (interaction, client) => {
    const session = await readSession(request, ctx);
    const next = await nextStepOf(interaction, client, session?.record, ctx);
    if (next === 'consent' && session) return showConsent(interaction, client, session, ctx);
    if (next === 'step_up' && session) return showStepUp(interaction, client, session, ctx);
    if (next === 'unmet') return continueInteraction(interaction, client, session?.record, ctx);
    if (interaction.record.request.prompt.includes('create') && ctx.config.selfRegistration) return showRegister(interaction, client, ctx, {});
    return (await followUpstreamHint(interaction, client, ctx)) ?? showLogin(interaction, client, ctx, { username: interaction.record.request.login_hint });
  });

/**
 * The login step of an authorization request with `idp_hint` naming an enabled upstream: the
 * browser goes straight to sign in there, once (`hintedUpstream`); undefined otherwise (the login
 * page is drawn).
 */
async function followUpstreamHint(interaction: LoadedInteraction, client: ClientRecord, ctx: ProviderContext): Promise<Answer | undefined> {
  const upstream = await hintedUpstream(interaction, client, ctx);
  if (upstream === undefined) return undefined;
  interaction.record.upstream_hint_followed = true;
  return startUpstreamOrExplain(interaction, client, upstream, ctx);
}

/** `startUpstreamSignIn` (a "Sign in with …" button, an `idp_hint`), or the login page saying that the upstream cannot be reached now. */
export async function startUpstreamOrExplain(interaction: LoadedInteraction, client: ClientRecord, upstream: UpstreamProviderRecord, ctx: ProviderContext): Promise<Answer> {
  try {
    return await startUpstreamSignIn(interaction, upstream, ctx);
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    ctx.logger.warn({ upstream: upstream.id, reason: error.message }, 'upstream provider unreachable');
    await saveInteraction(interaction, ctx);
    return showLogin(interaction, client, ctx, { error: messagesOf(interaction).errors.upstreamUnreachable(upstream.name), status: 502 });
  }
}

/** `GET /interaction/:uid/login`: the login page, whatever comes next (from the registration page's "Sign in"). */
export const loginPageEndpoint: Endpoint = async (request, ctx, route) =>
  withInteraction(request, ctx, route, async (interaction, client) => showLogin(interaction, client, ctx, { username: interaction.record.request.login_hint }));

/** `GET /interaction/:uid/register`: the registration page (self-registration). */
export const registerPageEndpoint: Endpoint = async (request, ctx, route) =>
  withInteraction(request, ctx, route, async (interaction, client) => showRegister(interaction, client, ctx, {}));

/**
 * `POST /interaction/:uid/register`: creates the account a person asks for (`accounts.register`:
 * the username free, the password at least 8 characters, the email well-formed and unverified —
 * with a mailer, a link to confirm it goes there; required with `requireVerifiedEmail`),
 * at most `selfRegistrationMaxPerAddress` per address per throttle window; the new account is the
 * result `{ login: { accountId, amr: ['pwd'] } }` — signed in, the authorization goes on (with
 * `requireVerifiedEmail`, once the address is confirmed: the login page says so).
 */
export const registerEndpoint: Endpoint = async (request, ctx, route) =>
  withInteraction(request, ctx, route, async (interaction, client) => {
    const form = await readForm(request);
    verifyCsrfToken(interaction, form.csrf_token);
    const values = { username: (form.username ?? '').trim(), ...optionalText('name', form.name), ...optionalText('email', form.email) };
    const refuse = (error: string, status: number) => showRegister(interaction, client, ctx, { values, error, status });

    if (!(await isWithinAddressQuota('accounts', route.remoteAddress, ctx))) {
      ctx.events.emit('account.registration_throttled', { address: route.remoteAddress });
      return refuse(messagesOf(interaction).errors.tooManyAccounts, 429);
    }
    const password = form.password ?? '';
    const { errors } = messagesOf(interaction);
    if (password !== (form.password_confirmation ?? '')) return refuse(errors.passwordsDiffer, 400);
    if (password.length < MIN_PASSWORD_LENGTH) return refuse(errors.passwordTooShort(MIN_PASSWORD_LENGTH), 400);
    if (password.length > MAX_PASSWORD_LENGTH) return refuse(errors.passwordTooLong(MAX_PASSWORD_LENGTH), 400);
    // The account signs in once a link mailed to its address is used: it needs one.
    if (ctx.config.requireVerifiedEmail && values.email === undefined) return refuse(errors.emailRequired, 400);
    let account;
    try {
      account = await ctx.accounts.register!({ ...values, password });
    } catch (error) {
      if (error instanceof UsernameTaken) return refuse(errors.usernameTaken(error.username), 400);
      // Anything else a host's accounts refuse, in their words.
      if (error instanceof AccountInputError) return refuse(`${error.problems.map(sentence).join(' ')}`, 400);
      throw error;
    }
    await countAgainstAddressQuota('accounts', route.remoteAddress, ctx);
    ctx.events.emit('account.registered', { sub: account.sub, username: account.username, client_id: client.client_id });
    if (values.email !== undefined && offersEmailVerification(ctx)) await sendEmailVerification({ sub: account.sub, username: account.username, email: values.email }, ctx, interaction.record.lang);
    return applyInteractionResult(interaction, client, request, { login: { accountId: account.sub, amr: ['pwd'] } }, ctx, route.remoteAddress);
  });

/** A form field a person may leave empty: absent when empty. */
function optionalText<K extends string>(name: K, value: string | undefined): Partial<Record<K, string>> {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? {} : ({ [name]: trimmed } as Record<K, string>);
}

/** An account problem ("username alice is taken") as a sentence for the page. */
function sentence(problem: string): string {
  return `${problem.charAt(0).toUpperCase()}${problem.slice(1)}.`;
}

/**
 * `POST /interaction/:uid/login`: checks the username and password (throttled per account and
 * per address); a correct one is the result `{ login: { accountId, amr: ['pwd'] } }`.
 */
export const loginEndpoint: Endpoint = async (request, ctx, route) =>
  withInteraction(request, ctx, route, async (interaction, client) => {
    const form = await readForm(request);
    verifyCsrfToken(interaction, form.csrf_token);
    const username = form.username ?? '';
    const password = form.password ?? '';

    if (!(await isLoginAllowed(username, route.remoteAddress, ctx))) {
      ctx.events.emit('login.throttled', { username, address: route.remoteAddress });
      return showLogin(interaction, client, ctx, { username, error: messagesOf(interaction).errors.tooManyLogins, status: 429 });
    }
    const authenticate = ctx.accounts.authenticate?.bind(ctx.accounts);
    const account = username && password && authenticate ? await authenticate(username, password) : undefined;
    if (!account) {
      await recordLoginFailure(username, route.remoteAddress, ctx);
      ctx.events.emit('login.failed', { username, client_id: client.client_id });
      return showLogin(interaction, client, ctx, { username, error: messagesOf(interaction).errors.loginIncorrect, status: 401 });
    }
    // Nobody is signed in yet while a code is awaited, and the failures counted against the account
    // stay counted: a right password must not reset the count that limits guessing the code.
    if (account.secondFactor !== 'otp') await recordLoginSuccess(username, ctx);
    return signInAs(account, ['pwd'], interaction, client, request, ctx, route);
  });

/**
 * The first step of a login holds (`amr`: how): the account is signed in — or, with two-step
 * verification on, its code is asked first.
 */
export async function signInAs(
  account: Account,
  amr: string[],
  interaction: LoadedInteraction,
  client: ClientRecord,
  request: ProtocolRequest,
  ctx: ProviderContext,
  route: RouteInfo,
): Promise<Answer> {
  if (account.secondFactor === 'otp') {
    if (ctx.pages.oneTimeCode === undefined || ctx.accounts.verifyOneTimeCode === undefined) {
      throw new InvalidRequest('two-step verification is on for this account, and this sign-in page cannot ask for the code');
    }
    interaction.record.pending_login = {
      accountId: account.sub,
      username: account.username,
      at: ctx.clock.now(),
      ...(account.passkeys === true ? { passkeys: true } : {}),
      amr,
    };
    await saveInteraction(interaction, ctx);
    return showOneTimeCode(interaction, client, ctx, {});
  }
  return applyInteractionResult(interaction, client, request, { login: { accountId: account.sub, amr } }, ctx, route.remoteAddress);
}

/**
 * `POST /interaction/:uid/passkey`: a sign-in with a passkey (`credential`: what the browser's
 * authenticator signed, as JSON; `passkeys/sign-in.ts`). One that holds is the result
 * `{ login: { accountId, amr: ['hwk' or 'swk', 'user', 'mfa'] } }` — two factors, no code asked,
 * and the account's failed password logins forgiven; one that does not counts as a failed login
 * against the address (it names no account that could be trusted).
 */
export const passkeyEndpoint: Endpoint = async (request, ctx, route) =>
  withInteraction(request, ctx, route, async (interaction, client) => {
    const form = await readForm(request);
    verifyCsrfToken(interaction, form.csrf_token);
    if (!(await isAddressAllowed(route.remoteAddress, ctx))) {
      ctx.events.emit('login.throttled', { address: route.remoteAddress });
      return showLogin(interaction, client, ctx, { error: messagesOf(interaction).errors.tooManyLogins, status: 429 });
    }
    const signIn = await checkPasskeySignIn(form.credential ?? '', interaction, ctx);
    if (signIn === undefined) {
      await recordAddressFailure(route.remoteAddress, ctx);
      ctx.events.emit('login.passkey_refused', { client_id: client.client_id, address: route.remoteAddress });
      return showLogin(interaction, client, ctx, { error: messagesOf(interaction).errors.passkeyRefused, status: 401 });
    }
    await recordLoginSuccess(signIn.username, ctx);
    delete interaction.record.pending_login;
    return applyInteractionResult(interaction, client, request, { login: { accountId: signIn.sub, amr: signIn.amr } }, ctx, route.remoteAddress);
  });

/** How long after the password the code must come: an app shows a new code every 30 s. */
const ONE_TIME_CODE_WAIT_SECONDS = 300;

/**
 * `POST /interaction/:uid/otp`: the second step of a login whose account has two-step
 * verification (`Account.secondFactor: 'otp'`), or of a step up of the browser's session. A
 * current code of the account's authenticator, within five minutes of the first step, is the
 * result `{ login: { accountId, amr: [the first step's, 'otp', 'mfa'] } }` (RFC 8176: `pwd` after
 * a password, `fed` after an upstream provider) — so is one of the account's recovery codes
 * (`recovery_code`, once each: a one-time password too). A wrong code counts as a failed login, against the account and
 * the address; past the limit, or past the five minutes, the login starts again from the password.
 */
export const oneTimeCodeEndpoint: Endpoint = async (request, ctx, route) =>
  withInteraction(request, ctx, route, async (interaction, client) => {
    const form = await readForm(request);
    verifyCsrfToken(interaction, form.csrf_token);
    const pending = interaction.record.pending_login;
    const startOver = async (error: string, status: number) => {
      delete interaction.record.pending_login;
      await saveInteraction(interaction, ctx);
      return showLogin(interaction, client, ctx, { username: pending?.username, error, status });
    };
    if (pending === undefined || ctx.accounts.verifyOneTimeCode === undefined) return startOver('Sign in with your username and password first.', 400);
    if (ctx.clock.now() - pending.at > ONE_TIME_CODE_WAIT_SECONDS) return startOver('The code did not come in time. Sign in again.', 400);
    // A step up stands on the browser's session: ended meanwhile, the password is to be asked again.
    if (pending.sid !== undefined && (await readSession(request, ctx))?.record.sid !== pending.sid) return startOver('You were signed out. Sign in again.', 400);
    if (!(await isLoginAllowed(pending.username, route.remoteAddress, ctx))) {
      ctx.events.emit('login.throttled', { username: pending.username, address: route.remoteAddress });
      return startOver('Too many failed sign-in attempts. Wait a few minutes and try again.', 429);
    }
    const recovery = form.recovery_code !== undefined && ctx.accounts.useRecoveryCode !== undefined;
    const right = recovery ? await ctx.accounts.useRecoveryCode!(pending.accountId, form.recovery_code!) : await ctx.accounts.verifyOneTimeCode(pending.accountId, form.code ?? '');
    if (!right) {
      await recordLoginFailure(pending.username, route.remoteAddress, ctx);
      ctx.events.emit('login.failed', { username: pending.username, client_id: client.client_id });
      const error = recovery ? messagesOf(interaction).errors.recoveryCodeWrong : messagesOf(interaction).errors.codeWrong;
      return showOneTimeCode(interaction, client, ctx, { error, status: 401 });
    }
    if (recovery) ctx.events.emit('user.recovery_code_used', { sub: pending.accountId, client_id: client.client_id });
    await recordLoginSuccess(pending.username, ctx);
    delete interaction.record.pending_login;
    const amr = [...(pending.amr ?? ['pwd']), 'otp', 'mfa'];
    return applyInteractionResult(interaction, client, request, { login: { accountId: pending.accountId, amr } }, ctx, route.remoteAddress);
  });

/** `POST /interaction/:uid/consent`: Allow is the result `{ consent: {} }` (all asked); Deny is `access_denied`. */
export const consentEndpoint: Endpoint = async (request, ctx, route) =>
  withInteraction(request, ctx, route, async (interaction, client) => {
    const form = await readForm(request);
    verifyCsrfToken(interaction, form.csrf_token);
    const session = await readSession(request, ctx);
    if (!session) return continueInteraction(interaction, client, undefined, ctx);
    if (form.decision === 'deny') return applyInteractionResult(interaction, client, request, { error: 'access_denied' }, ctx);
    if (form.decision !== 'allow') throw new InvalidRequest('decision must be allow or deny');
    return applyInteractionResult(interaction, client, request, { consent: {} }, ctx);
  });

/**
 * `GET /interaction/:uid/resume`: where `provider.interactions.finish()` sends the browser. The
 * result the host stored is applied here, in the browser the interaction is bound to, so that
 * the session cookie is set for it; without one, the interaction just goes on.
 */
export const resumeEndpoint: Endpoint = async (request, ctx, route) =>
  withInteraction(request, ctx, route, async (interaction, client) => {
    const { result } = interaction.record;
    if (result === undefined) return continueInteraction(interaction, client, (await readSession(request, ctx))?.record, ctx);
    delete interaction.record.result;
    return applyInteractionResult(interaction, client, request, result, ctx, route.remoteAddress);
  });

/**
 * Loads the interaction and its client, runs `handle`, and turns errors into the right answer:
 * an error page while nothing can be sent to the client, never a stack trace.
 */
export async function withInteraction(
  request: ProtocolRequest,
  ctx: ProviderContext,
  route: RouteInfo,
  handle: (interaction: LoadedInteraction, client: ClientRecord) => Promise<Answer>,
  /** Where the uid is not in the path: the uid, and the cookie that binds the browser to it (`loadInteraction`). */
  bound?: { uid: string; cookieName: string },
): Promise<Answer> {
  try {
    const interaction = bound === undefined ? await loadInteraction(request, route.pathParams.uid ?? '', ctx) : await loadInteraction(request, bound.uid, ctx, bound.cookieName);
    const client = await ctx.storage.clients.find(interaction.record.request.client_id);
    if (!client || client.disabled) throw new InvalidRequest('the application is no longer registered or has been disabled');
    return await handle(interaction, client);
  } catch (error) {
    if (error instanceof OAuthError) return renderErrorPage(error, ctx, languageOfRequest(request, ctx));
    throw error;
  }
}

export async function showLogin(
  interaction: LoadedInteraction,
  client: ClientRecord,
  ctx: ProviderContext,
  options: { username?: string | undefined; error?: string; status?: number },
): Promise<Answer> {
  const page = ctx.pages.login({
    ...(await upstreamSignInOf(interaction, client, ctx)),
    action: `${ctx.urls.interaction(interaction.uid)}/login`,
    csrfToken: interaction.record.csrf_token,
    client: displayOf(client),
    ...(ctx.config.selfRegistration ? { registerUrl: `${ctx.urls.interaction(interaction.uid)}/register` } : {}),
    ...(offersPasswordReset(ctx) ? { forgotPasswordUrl: `${ctx.urls.interaction(interaction.uid)}/forgot` } : {}),
    ...passkeySignInOf(interaction, ctx),
    ...(options.username === undefined ? {} : { username: options.username }),
    ...loginErrorOf(interaction, options.error),
    ...languageOf(interaction),
  });
  return html(page, options.status ?? 200);
}

/** What the login page says went wrong: `error`, else a login held back for an address to confirm (`requireVerifiedEmail`). */
function loginErrorOf(interaction: LoadedInteraction, error: string | undefined): { error?: string } {
  if (error !== undefined) return { error };
  const email = interaction.record.unconfirmed_email;
  return email === undefined ? {} : { error: messagesOf(interaction).errors.confirmEmailFirst(email) };
}

/**
 * A step up of the browser's session: where two factors meet the request, the code of its
 * account's authenticator is asked as the second step of a login whose password the session
 * already holds (RFC 9470 §4). Otherwise — an account with passkeys and no authenticator app, a
 * request for a phishing-resistant level, pages that cannot ask for a code — the login page,
 * whose passkey sign-in reaches them.
 */
async function showStepUp(interaction: LoadedInteraction, client: ClientRecord, session: ActiveSession, ctx: ProviderContext): Promise<Answer> {
  const account = await ctx.accounts.findById(session.record.sub);
  if (account?.secondFactor !== 'otp' || !stepsUpByCode(account, interaction.record.request) || ctx.pages.oneTimeCode === undefined || ctx.accounts.verifyOneTimeCode === undefined) {
    return showLogin(interaction, client, ctx, { username: account?.username ?? interaction.record.request.login_hint });
  }
  // The code is the second step of the session's own first one: a password, or an upstream provider.
  const amr = session.record.amr.filter((method) => method !== 'otp' && method !== 'mfa');
  interaction.record.pending_login = { accountId: account.sub, username: account.username, at: ctx.clock.now(), sid: session.record.sid, ...(account.passkeys === true ? { passkeys: true } : {}), ...(amr.length === 0 ? {} : { amr }) };
  await saveInteraction(interaction, ctx);
  return showOneTimeCode(interaction, client, ctx, {});
}

export function showOneTimeCode(interaction: LoadedInteraction, client: ClientRecord, ctx: ProviderContext, options: { error?: string; status?: number }): Promise<Answer> {
  // Shown only for a pending login, which loginEndpoint starts only when the pages can ask.
  const page = ctx.pages.oneTimeCode!({
    action: `${ctx.urls.interaction(interaction.uid)}/otp`,
    csrfToken: interaction.record.csrf_token,
    client: displayOf(client),
    username: interaction.record.pending_login!.username,
    loginUrl: `${ctx.urls.interaction(interaction.uid)}/login`,
    ...(ctx.accounts.useRecoveryCode === undefined ? {} : { recoveryCodes: true }),
    ...(interaction.record.pending_login!.passkeys === true ? passkeySignInOf(interaction, ctx) : {}),
    ...(options.error === undefined ? {} : { error: options.error }),
    ...languageOf(interaction),
  });
  return html(page, options.status ?? 200);
}

async function showRegister(
  interaction: LoadedInteraction,
  client: ClientRecord,
  ctx: ProviderContext,
  options: { values?: { username?: string; name?: string; email?: string }; error?: string; status?: number },
): Promise<Answer> {
  // Served only with selfRegistration on, which createEngine accepts only with pages.register.
  const page = ctx.pages.register!({
    action: `${ctx.urls.interaction(interaction.uid)}/register`,
    csrfToken: interaction.record.csrf_token,
    client: displayOf(client),
    loginUrl: `${ctx.urls.interaction(interaction.uid)}/login`,
    ...(options.values === undefined ? {} : { values: options.values }),
    ...(ctx.config.requireVerifiedEmail ? { emailRequired: true } : {}),
    ...(options.error === undefined ? {} : { error: options.error }),
    ...languageOf(interaction),
  });
  return html(page, options.status ?? 200);
}

async function showConsent(interaction: LoadedInteraction, client: ClientRecord, session: ActiveSession, ctx: ProviderContext): Promise<Answer> {
  const account = await ctx.accounts.findById(session.record.sub);
  const { resource } = interaction.record.request;
  const server = resource === undefined ? undefined : await ctx.storage.resourceServers.find(resource);
  const page = ctx.pages.consent({
    action: `${ctx.urls.interaction(interaction.uid)}/consent`,
    csrfToken: interaction.record.csrf_token,
    client: displayOf(client),
    account: { username: account?.username ?? session.record.sub, ...(account?.name === undefined ? {} : { name: account.name }) },
    scopes: [...describeScopes(interaction.record.request.scopes, server, messagesOf(interaction)), ...describeClaims(claimsBeyondScopes(interaction.record.request.claims, interaction.record.request.scopes), messagesOf(interaction))],
    ...(interaction.record.request.authorization_details === undefined ? {} : { authorizationDetails: interaction.record.request.authorization_details }),
    ...languageOf(interaction),
  });
  return html(page);
}
