/**
 * The account console as a Web `fetch`, under `<issuer>/account`: a person's own profile,
 * password, two-step verification, passkeys, connected sign-ins (identities at upstream
 * providers), allowed applications and sessions. It signs in as the console client
 * `latchkey-account` (`console/sign-in.ts`); every page checks that the console's access token is
 * still active and its account still enabled, so that a logout anywhere, a disabled account or a
 * revoked token ends the console session at once. Every POST must come from the issuer's origin
 * and carry the console session's CSRF token (else 403, nothing done). Every answer carries the
 * pages' security headers (CSP with `frame-ancestors 'none'`, no referrer, nosniff) and
 * `Cache-Control: no-store`.
 */
import { startUpstreamConnect } from '../endpoints/upstream-connect.js';
import { UpstreamError } from '../upstreams/upstream-client.js';
import { offersEmailVerification } from '../interaction/email-verification.js';
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import QRCode from 'qrcode';
import { CSRF_FIELD, csrfTokenFor, isCsrfTokenValid, sameOriginForms } from '../console/csrf.js';
import { clearedConsoleSession, finishSignIn, readConsoleSession, SignInFailed, signOut, startSignIn } from '../console/sign-in.js';
import { consoleRoot } from '../console/site.js';
import type { ProviderContext } from '../core/context.js';
import { pageSecurityHeaders } from '../core/page-csp.js';
import type { RequestInfo } from '../core/router.js';
import { withdrawConsent } from '../grants/withdraw-consent.js';
import { MAX_FORM_BYTES } from '../http/params.js';
import { displayOf } from '../interaction/interaction-steps.js';
import { describeScopes } from '../interaction/scope-descriptions.js';
import { observeRequests, type ObservedEnv } from '../observability/observe-requests.js';
import type { AccountRecord } from '../storage/types.js';
import { findActiveToken } from '../tokens/find-token.js';
import { messagesFor } from '../i18n/index.js';
import { accountMessagesFor, consoleLanguage, type AccountMessages } from './messages/index.js';
import { configuredBrand } from '../ui/brand.js';
import { createBuiltinPages } from '../ui/index.js';
import { AccountActionRefused, changePassword, deleteOwnAccount, disconnectOwnUpstreamIdentity, sendEmailConfirmation, endOtherSessions, endOwnSession, finishTotpEnrollment, PROFILE_FIELDS, readTotpEnrollment, replaceRecoveryCodes, selfActor, setLanguage, startTotpEnrollment, turnOffTotp, updateProfile, upstreamSignInsOf, type TotpEnrollment } from './account-actions.js';
import { renderAccountPage, renderMessagePage, renderPasskeySetupPage, renderPasswordPage, renderRecoveryCodesPage, renderTwoStepSetupPage, type AccountPageInput } from './account-pages.js';
import { offersPasskeys } from '../passkeys/relying-party.js';
import { removePasskey } from '../accounts/passkeys.js';
import { addPasskey, startPasskeyRegistration } from './passkey-actions.js';
import { ACCOUNT_CLIENT_ID, ACCOUNT_CONSOLE } from './account-site.js';
import { recentActivityOf } from './recent-activity.js';
import { accountData } from '../accounts/account-data.js';

/** The person signed in to the console: their account, and the login session behind the console. */
interface Holder {
  account: AccountRecord;
  /** `sid` of the login session the console signed in through (this browser's). */
  sid: string | undefined;
  /** The console session cookie's value: the CSRF token is bound to it. */
  cookie: string;
  csrfToken: string;
  /** The language the console speaks to them (`consoleLanguage`), and its words. */
  lang: string;
  m: AccountMessages;
}

/** The account console application. */
export function createAccountApp(deps: { ctx: ProviderContext; engineFetch: (request: Request) => Promise<Response>; flushAudit?: () => Promise<void> }): { fetch(request: Request, info?: RequestInfo): Promise<Response> } {
  const { ctx } = deps;
  const root = consoleRoot(ACCOUNT_CONSOLE, ctx);
  const secret = ctx.config.secret!;
  // The console's pages wear the brand the provider's pages wear.
  const brand = configuredBrand(ctx.config);
  // The languages a person may pick for their mails, each named in itself (none to pick with one offered).
  const languages = ctx.config.uiLocales.map((tag) => ({ tag, name: messagesFor(tag).name }));
  // Every page's headers, set when the page is made (a header added to a Response afterwards
  // can be lost on Node, whose Response @hono/node-server swaps for a lighter one).
  const headers: ReadonlyArray<[string, string]> = [['content-type', 'text/html; charset=utf-8'], ['cache-control', 'no-store'], ['pragma', 'no-cache'], ...pairs(pageSecurityHeaders(createBuiltinPages(brand), ctx.urls.issuer))];
  const page = async (html: Promise<string>, status = 200, setCookies: readonly string[] = []): Promise<Response> => {
    const all = new Headers(headers as Array<[string, string]>);
    for (const cookie of setCookies) all.append('set-cookie', cookie);
    return new Response(await html, { status, headers: all });
  };
  const observed = new Hono<ObservedEnv>({ strict: false });
  observed.use('*', observeRequests(ctx));
  const app = observed.basePath(root);
  /** The language of a page for whoever sent `request`, before (or without) knowing who it is: the browser's. */
  const languageOf = (request: Request) => consoleLanguage(ctx.config.uiLocales, request.headers.get('accept-language'));
  const withWords = (lang: string) => ({ lang, m: accountMessagesFor(lang) });
  app.use(bodyLimit({
    maxSize: MAX_FORM_BYTES,
    onError: (c) => {
      const { lang, m } = withWords(languageOf(c.req.raw));
      return page(renderMessagePage({ lang, title: m.message.tooLargeTitle, message: m.message.tooLarge }, brand), 413);
    },
  }));
  app.use(sameOriginForms(ctx.urls.issuer));

  /** The signed-in person, or undefined: no console session, or its token or account is gone. */
  const holderOf = async (request: Request): Promise<Holder | undefined> => {
    const found = await readConsoleSession(request, ACCOUNT_CONSOLE, ctx);
    if (!found) return undefined;
    const token = await findActiveToken(found.session.access_token, ctx, 'access_token');
    if (!token || token.client_id !== ACCOUNT_CLIENT_ID || token.sub === undefined) return undefined;
    const account = await ctx.storage.accounts.findBySub(token.sub);
    if (!account || account.disabled) return undefined;
    const lang = consoleLanguage(ctx.config.uiLocales, request.headers.get('accept-language'), account);
    return { account, sid: token.sid, cookie: found.cookie, csrfToken: csrfTokenFor(ACCOUNT_CONSOLE, found.cookie, secret), ...withWords(lang) };
  };

  /**
   * A page for the signed-in person: without one, a GET signs in and comes back; a POST signs in
   * and comes back to the overview (a form is not replayed after a sign-in). A POST's form must
   * carry the session's CSRF token.
   */
  const signedIn = (handler: (c: Context<ObservedEnv>, holder: Holder, form: URLSearchParams) => Promise<Response>) => async (c: Context<ObservedEnv>) => {
    const request = c.req.raw;
    const holder = await holderOf(request);
    const url = new URL(request.url);
    if (!holder) return startSignIn(request.method === 'GET' ? `${url.pathname}${url.search}` : root, ACCOUNT_CONSOLE, ctx);
    let form = new URLSearchParams();
    if (request.method === 'POST') {
      const posted = await readForm(request);
      if (!posted || !isCsrfTokenValid(ACCOUNT_CONSOLE, posted.get(CSRF_FIELD) ?? undefined, holder.cookie, secret)) return refusedForm(holder.lang);
      form = posted;
    }
    return handler(c, holder, form);
  };

  const overview = async (holder: Holder, extra: Pick<AccountPageInput, 'notice' | 'profileError' | 'twoStepError' | 'recoveryCodesError' | 'deleteError' | 'passkeyError' | 'upstreamError' | 'languageError'>, status = 200) => {
    const { account, lang } = holder;
    const scopeWords = messagesFor(lang);
    const consents = await ctx.storage.consents.list({ sub: account.sub }, { limit: 100 });
    const applications = await Promise.all(
      consents.items.map(async (consent) => {
        const client = await ctx.storage.clients.find(consent.client_id);
        return { client: client ? displayOf(client) : { client_id: consent.client_id }, scopes: describeScopes(consent.scope.split(' ').filter(Boolean), undefined, scopeWords), granted_at: consent.granted_at };
      }),
    );
    const sessions = (await ctx.storage.artifacts.list('session', { owner: account.sub, limit: 100 })).items.map((session) => ({
      id: session.id,
      auth_time: session.value.auth_time,
      amr: session.value.amr,
      expires_at: session.expires_at,
      current: session.value.sid === holder.sid,
      ...(session.value.user_agent === undefined ? {} : { user_agent: session.value.user_agent }),
      ...(session.value.address === undefined ? {} : { address: session.value.address }),
    }));
    // This browser first, then the newest.
    sessions.sort((a, b) => Number(b.current) - Number(a.current) || b.auth_time - a.auth_time);
    const { connected: connectedSignIns, connectable: connectableUpstreams } = await upstreamSignInsOf(account, ctx);
    // What the person just did is on record before the page lists it.
    await deps.flushAudit?.();
    const activity = await recentActivityOf(account.sub, ctx);
    return page(renderAccountPage({ lang, root, csrfToken: holder.csrfToken, account, applications, sessions, connectedSignIns, connectableUpstreams, confirmsEmail: offersEmailVerification(ctx), offersPasskeys: offersPasskeys(ctx), languages, activity, ...extra }, brand), status);
  };

  app.get('/callback', async (c) => {
    const { lang, m } = withWords(languageOf(c.req.raw));
    try {
      const { setCookies, returnTo } = await finishSignIn(c.req.raw, ACCOUNT_CONSOLE, ctx, deps.engineFetch);
      // A page, not a redirect: the next navigation starts on this origin, so the SameSite=Strict
      // cookie comes along even when the sign-in began with a link from another site.
      return page(renderMessagePage({ lang, title: m.message.signedInTitle, message: m.message.signedIn, link: { href: returnTo, label: m.message.continueToAccount }, refresh: true }, brand), 200, setCookies);
    } catch (error) {
      if (!(error instanceof SignInFailed)) throw error;
      // A sign-in answer this browser did not ask for is the failure a person meets; the others' reasons are technical, kept as they are.
      const reason = error.notStarted ? m.message.signInNotStarted : error.message;
      return page(renderMessagePage({ lang, title: m.message.signInFailedTitle, message: m.message.signInFailed(reason), link: { href: root, label: m.message.signInAgain } }, brand), 400);
    }
  });
  const signedOut = (request: Request) => {
    const { lang, m } = withWords(languageOf(request));
    return page(renderMessagePage({ lang, title: m.message.signedOutTitle, message: m.message.signedOut, link: { href: root, label: m.message.signInAgain } }, brand));
  };
  app.get('/signed-out', (c) => signedOut(c.req.raw));
  app.post('/sign-out', async (c) => {
    const found = await readConsoleSession(c.req.raw, ACCOUNT_CONSOLE, ctx);
    if (!found) return signedOut(c.req.raw);
    const form = await readForm(c.req.raw);
    if (!form || !isCsrfTokenValid(ACCOUNT_CONSOLE, form.get(CSRF_FIELD) ?? undefined, found.cookie, secret)) return refusedForm(languageOf(c.req.raw));
    return signOut(found.session, ACCOUNT_CONSOLE, ctx, deps.engineFetch);
  });

  app.get('/', signedIn(async (c, holder) => overview(holder, noticeOf(c.req.query('notice'), holder.m))));

  app.post('/profile', signedIn(async (_c, holder, form) => {
    const typed = Object.fromEntries(PROFILE_FIELDS.map((field) => [field, form.get(field) ?? ''])) as Record<(typeof PROFILE_FIELDS)[number], string>;
    try {
      const { changed, emailPending } = await updateProfile(holder.account, typed, ctx);
      if (emailPending !== undefined) return seeOverview(emailPending ? 'email-change-pending' : 'confirmation-not-sent');
      if (changed.includes('email') && typed.email.trim() !== '' && offersEmailVerification(ctx)) return seeOverview('profile-saved-confirm-email');
      return seeOverview(changed.length === 0 ? 'profile-unchanged' : 'profile-saved');
    } catch (error) {
      if (!(error instanceof AccountActionRefused)) throw error;
      return overview(holder, { profileError: { message: error.in(holder.lang), values: typed } }, error.status);
    }
  }));

  app.post('/language', signedIn(async (_c, holder, form) => {
    try {
      return seeOverview((await setLanguage(holder.account, form.get('locale') ?? '', ctx)) ? 'language-saved' : 'language-unchanged');
    } catch (error) {
      if (!(error instanceof AccountActionRefused)) throw error;
      return overview(holder, { languageError: error.in(holder.lang) }, error.status);
    }
  }));

  // Your data, as a JSON download (GDPR Art. 15, 20); on record, since it hands over personal data.
  app.get('/export', signedIn(async (_c, holder) => {
    // Everything on record so far is in the document.
    await deps.flushAudit?.();
    const body = `${JSON.stringify(await accountData(holder.account, { storage: ctx.storage, issuer: ctx.urls.issuer, now: ctx.clock.now() }), null, 2)}\n`;
    ctx.events.emit('user.exported', { sub: holder.account.sub, actor: selfActor(holder.account) });
    const exportHeaders = new Headers(headers as Array<[string, string]>);
    exportHeaders.set('content-type', 'application/json; charset=utf-8');
    exportHeaders.set('content-disposition', `attachment; filename="account-data.json"`);
    return new Response(body, { status: 200, headers: exportHeaders });
  }));

  app.post('/email/confirm', signedIn(async (_c, holder) => seeOverview((await sendEmailConfirmation(holder.account, ctx)) ? 'confirmation-sent' : 'confirmation-not-sent')));

  const passwordPage = (holder: Holder, error?: string) => renderPasswordPage({ lang: holder.lang, root, csrfToken: holder.csrfToken, username: holder.account.username, hasPassword: holder.account.password_hash !== undefined, error }, brand);
  app.get('/password', signedIn(async (_c, holder) => page(passwordPage(holder))));
  app.post('/password', signedIn(async (c, holder, form) => {
    try {
      const endOtherSessions = form.get('end_other_sessions') === 'yes';
      await changePassword(holder.account, {
        current: form.get('current_password') ?? '',
        next: form.get('new_password') ?? '',
        confirmation: form.get('confirm_password') ?? '',
        endOtherSessions,
        keepSid: holder.sid,
      }, c.env.remoteAddress, ctx);
      const notice = holder.account.password_hash === undefined ? 'password-set' : 'password-changed';
      return seeOverview(endOtherSessions ? `${notice}-elsewhere-ended` : notice);
    } catch (error) {
      if (!(error instanceof AccountActionRefused)) throw error;
      return page(passwordPage(holder, error.in(holder.lang)), error.status);
    }
  }));

  const twoStepSetup = async (holder: Holder, enrollment: TotpEnrollment, error?: string, status = 200) =>
    page(renderTwoStepSetupPage({ lang: holder.lang, root, csrfToken: holder.csrfToken, qrSvg: await QRCode.toString(enrollment.uri, { type: 'svg', margin: 1 }), secret: enrollment.secret, uri: enrollment.uri, sealed: enrollment.sealed, error }, brand), status);

  app.get('/two-step', signedIn(async (_c, holder) => {
    if (holder.account.totp !== undefined) return seeOverview('two-step-on');
    return twoStepSetup(holder, await startTotpEnrollment(holder.account, ctx));
  }));
  app.post('/two-step', signedIn(async (_c, holder, form) => {
    if (holder.account.totp !== undefined) return seeOverview('two-step-on');
    let enrollment: TotpEnrollment;
    try {
      enrollment = await readTotpEnrollment(holder.account, form.get('enrollment') ?? '', ctx);
    } catch (error) {
      if (!(error instanceof AccountActionRefused)) throw error;
      return twoStepSetup(holder, await startTotpEnrollment(holder.account, ctx), error.in(holder.lang), 400);
    }
    try {
      const codes = await finishTotpEnrollment(holder.account, enrollment, form.get('code') ?? '', ctx);
      return page(renderRecoveryCodesPage({ lang: holder.lang, root, codes, next: `${root}?notice=two-step-on` }, brand));
    } catch (error) {
      if (!(error instanceof AccountActionRefused)) throw error;
      return twoStepSetup(holder, enrollment, error.in(holder.lang), error.status);
    }
  }));
  app.post('/two-step/recovery-codes', signedIn(async (c, holder, form) => {
    const { account } = holder;
    if (account.totp === undefined) return seeOverview('two-step-off');
    try {
      const codes = await replaceRecoveryCodes({ ...account, totp: account.totp }, form.get('code') ?? '', c.env.remoteAddress, ctx);
      return page(renderRecoveryCodesPage({ lang: holder.lang, root, codes, next: `${root}?notice=recovery-codes-created` }, brand));
    } catch (error) {
      if (!(error instanceof AccountActionRefused)) throw error;
      return overview(holder, { recoveryCodesError: error.in(holder.lang) }, error.status);
    }
  }));
  app.post('/two-step/off', signedIn(async (c, holder, form) => {
    if (holder.account.totp === undefined) return seeOverview('two-step-off');
    try {
      await turnOffTotp(holder.account, form.get('code') ?? '', c.env.remoteAddress, ctx);
      return seeOverview('two-step-off');
    } catch (error) {
      if (!(error instanceof AccountActionRefused)) throw error;
      return overview(holder, { twoStepError: error.in(holder.lang) }, error.status);
    }
  }));

  app.post('/passkeys/new', signedIn(async (c, holder, form) => {
    if (!offersPasskeys(ctx)) return seeOverview('passkeys-unavailable');
    const name = (form.get('name') ?? '').slice(0, 200);
    try {
      const options = await startPasskeyRegistration(holder.account, form.get('current_password') ?? '', c.env.remoteAddress, ctx);
      return page(renderPasskeySetupPage({ lang: holder.lang, root, csrfToken: holder.csrfToken, options, name }, brand));
    } catch (error) {
      if (!(error instanceof AccountActionRefused)) throw error;
      return overview(holder, { passkeyError: error.in(holder.lang) }, error.status);
    }
  }));
  app.post('/passkeys', signedIn(async (_c, holder, form) => {
    if (!offersPasskeys(ctx)) return seeOverview('passkeys-unavailable');
    try {
      await addPasskey(holder.account, form.get('credential') ?? '', form.get('name') ?? '', ctx);
      return seeOverview('passkey-added');
    } catch (error) {
      if (!(error instanceof AccountActionRefused)) throw error;
      return overview(holder, { passkeyError: error.in(holder.lang) }, error.status);
    }
  }));
  app.post('/passkeys/remove', signedIn(async (_c, holder, form) => seeOverview((await removePasskey(holder.account, form.get('id') ?? '', selfActor(holder.account), ctx)) ? 'passkey-removed' : 'passkey-not-found')));

  app.post('/upstreams/connect', signedIn(async (_c, holder, form) => {
    const id = form.get('upstream') ?? '';
    // Only one identity at each upstream: a connected one is disconnected first.
    const { connectable } = await upstreamSignInsOf(holder.account, ctx);
    if (!connectable.some((upstream) => upstream.id === id)) return seeOverview('upstream-unavailable');
    let started;
    try {
      started = await startUpstreamConnect(holder.account.sub, id, new URL(root, ctx.urls.issuer).href, ctx);
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      return seeOverview('upstream-failed');
    }
    if (started === undefined) return seeOverview('upstream-unavailable');
    return new Response(null, { status: 303, headers: [['location', started.location], ['cache-control', 'no-store'], ['set-cookie', started.setCookie]] });
  }));

  app.post('/upstreams/disconnect', signedIn(async (_c, holder, form) => {
    try {
      return seeOverview((await disconnectOwnUpstreamIdentity(holder.account, form.get('upstream') ?? '', ctx)) ? 'upstream-disconnected' : 'upstream-not-found');
    } catch (error) {
      if (!(error instanceof AccountActionRefused)) throw error;
      return overview(holder, { upstreamError: error.in(holder.lang) }, error.status);
    }
  }));

  app.post('/delete', signedIn(async (c, holder, form) => {
    try {
      await deleteOwnAccount(holder.account, form.get('current_password') ?? '', form.get('confirm') === 'yes', c.env.remoteAddress, ctx);
    } catch (error) {
      if (!(error instanceof AccountActionRefused)) throw error;
      return overview(holder, { deleteError: error.in(holder.lang) }, error.status);
    }
    return page(renderMessagePage({ lang: holder.lang, title: holder.m.message.deletedTitle, message: holder.m.message.deleted(holder.account.username) }, brand), 200, [clearedConsoleSession(ACCOUNT_CONSOLE, ctx)]);
  }));

  app.post('/applications/remove', signedIn(async (_c, holder, form) => {
    const clientId = form.get('client_id') ?? '';
    const removed = clientId !== '' && clientId !== ACCOUNT_CLIENT_ID && (await withdrawConsent(holder.account.sub, clientId, selfActor(holder.account), ctx));
    return seeOverview(removed ? 'application-removed' : 'application-not-found');
  }));

  app.post('/sessions/end', signedIn(async (_c, holder, form) => {
    const ended = await endOwnSession(holder.account, form.get('session') ?? '', ctx);
    return seeOverview(ended ? 'session-ended' : 'session-not-found');
  }));

  app.post('/sessions/end-others', signedIn(async (_c, holder) => {
    const ended = await endOtherSessions(holder.account, holder.sid, ctx);
    return seeOverview(ended > 0 ? 'other-sessions-ended' : 'session-not-found');
  }));

  const seeOverview = (notice: keyof AccountMessages['notices']) => new Response(null, { status: 303, headers: { location: `${root}?notice=${notice}`, 'cache-control': 'no-store' } });
  const refusedForm = (lang: string) => {
    const { m } = withWords(lang);
    return page(renderMessagePage({ lang, title: m.message.formRefusedTitle, message: m.message.formRefused, link: { href: root, label: m.message.backToAccount } }, brand), 403);
  };

  observed.notFound((c) => {
    const { lang, m } = withWords(languageOf(c.req.raw));
    return page(renderMessagePage({ lang, title: m.message.notFoundTitle, message: m.message.notFound, link: { href: root, label: m.message.yourAccount } }, brand), 404);
  });
  observed.onError((error, c) => {
    const lang = languageOf(c.req.raw);
    // hono's csrf(): a form POST from another origin.
    if (error instanceof HTTPException && error.status === 403) return refusedForm(lang);
    const { requestId } = c.env;
    ctx.logger.error({ err: error, requestId }, 'account console: unhandled error');
    const { m } = withWords(lang);
    return page(renderMessagePage({ lang, title: m.message.failedTitle, message: m.message.failed(requestId), link: { href: root, label: m.message.yourAccount } }, brand), 500);
  });
  return { fetch: async (request, info = {}) => observed.fetch(request, { ...info, requestId: randomUUID() }) };
}

/** The notice of a `?notice=` key, in fixed words (never the request's); nothing for a key that is not one of ours. */
function noticeOf(key: string | undefined, m: AccountMessages): { notice?: string } {
  const notices: Readonly<Record<string, string>> = m.notices;
  return key === undefined || !Object.hasOwn(notices, key) ? {} : { notice: notices[key]! };
}

/** The fields of a form POST, or undefined when the body is not a form. */
async function readForm(request: Request): Promise<URLSearchParams | undefined> {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return undefined;
  return new URLSearchParams(await request.text());
}

/** A flat name/value list as pairs. */
function pairs(flat: readonly string[]): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  for (let i = 0; i < flat.length; i += 2) result.push([flat[i]!, flat[i + 1]!]);
  return result;
}
