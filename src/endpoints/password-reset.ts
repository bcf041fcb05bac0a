import { messagesFor } from '../i18n/index.js';
import { languageOf, languageOfLink, languageOfRequest, messagesOf } from '../interaction/language.js';
import type { ProviderContext } from '../core/context.js';
import { newPasswordProblem } from '../accounts/password.js';
import { readForm, readQuery } from '../http/params.js';
import { html, type Answer } from '../http/responses.js';
import { isInteractionGoing, verifyCsrfToken, type LoadedInteraction } from '../interaction/interaction.js';
import { displayOf } from '../interaction/interaction-steps.js';
import { findPasswordReset, finishPasswordReset, offersResetByEmail, requestPasswordReset } from '../interaction/password-reset.js';
import type { ClientRecord, PasswordResetRecord } from '../storage/types.js';
import { withInteraction } from './interaction.js';
import type { Endpoint } from './types.js';

/**
 * Password reset by mail (interaction/password-reset.ts): `GET|POST /interaction/:uid/forgot`
 * from a login page ("Forgot your password?"), and `GET|POST /password-reset` where the mailed
 * link leads. Served only with a mailer (`offersPasswordReset`).
 */

/** `GET /interaction/:uid/forgot`: the username (or the email address) to send a link for. */
export const forgotPasswordPageEndpoint: Endpoint = async (request, ctx, route) =>
  withInteraction(request, ctx, route, async (interaction, client) => showForgot(interaction, client, ctx, { username: interaction.record.request.login_hint }));

/**
 * `POST /interaction/:uid/forgot`: sends the link (if the account is one with an address) and
 * answers the same either way; 429 past `passwordResetMaxPerAddress`.
 */
export const forgotPasswordEndpoint: Endpoint = async (request, ctx, route) =>
  withInteraction(request, ctx, route, async (interaction, client) => {
    const form = await readForm(request);
    verifyCsrfToken(interaction, form.csrf_token);
    const name = (form.username ?? '').trim();
    if (!(await requestPasswordReset(name, route.remoteAddress, interaction.uid, ctx, interaction.record.lang))) {
      return showForgot(interaction, client, ctx, { username: name, error: messagesOf(interaction).errors.tooManyResetLinks, status: 429 });
    }
    return showForgot(interaction, client, ctx, { sent: true });
  });

/** `GET /password-reset?token=…`: the new password form, while the link works. */
export const resetPasswordPageEndpoint: Endpoint = async (request, ctx) => {
  const token = readQuery(request).token ?? '';
  const record = await findPasswordReset(token, ctx);
  if (record === undefined) return linkNotWorking(languageOfRequest(request, ctx), ctx);
  return showReset(ctx, token, record, languageOfLink(record, request, ctx), {});
};

/** `POST /password-reset`: sets the password typed twice, once per link; signs the account out everywhere. */
export const resetPasswordEndpoint: Endpoint = async (request, ctx) => {
  const form = await readForm(request);
  const token = form.token ?? '';
  const record = await findPasswordReset(token, ctx);
  if (record === undefined) return linkNotWorking(languageOfRequest(request, ctx), ctx);
  const lang = languageOfLink(record, request, ctx);
  const password = form.password ?? '';
  const problem = newPasswordProblem(password, form.password_confirmation ?? '', messagesFor(lang));
  if (problem !== undefined) return showReset(ctx, token, record, lang, { error: problem, status: 400 });
  const done = await finishPasswordReset(token, record, password, ctx);
  if (done === undefined) return linkNotWorking(lang, ctx);
  return showReset(ctx, token, done, lang, { done: await whereNext(done, lang, ctx) });
};

/** After a reset: back to the sign-in the person started, if it is still going; else the account console. */
async function whereNext(record: PasswordResetRecord, lang: string, ctx: ProviderContext): Promise<{ href: string; label: string }> {
  const uid = record.interaction_uid;
  const { resetPassword } = messagesFor(lang);
  if (uid !== undefined && (await isInteractionGoing(uid, ctx))) {
    return { href: `${ctx.urls.interaction(uid)}/login`, label: resetPassword.signInWithNew };
  }
  return { href: `${ctx.urls.issuer}/account`, label: resetPassword.signInToAccount };
}

function linkNotWorking(lang: string, ctx: ProviderContext): Promise<Answer> {
  const page = ctx.pages.error({ status: 400, error: 'invalid_request', error_description: messagesFor(lang).errors.resetLinkUnusable, lang });
  return html(page, 400);
}

function showReset(ctx: ProviderContext, token: string, record: PasswordResetRecord, lang: string, options: { error?: string; status?: number; done?: { href: string; label: string } }): Promise<Answer> {
  const page = ctx.pages.resetPassword!({
    action: `${ctx.urls.issuer}/password-reset`,
    token,
    username: record.username,
    lang,
    ...(record.first ? { first: true } : {}),
    ...(options.error === undefined ? {} : { error: options.error }),
    ...(options.done === undefined ? {} : { done: options.done }),
  });
  // The token is in the page's URL: every page goes with Referrer-Policy: no-referrer (page-csp.ts).
  return html(page, options.status ?? 200);
}

function showForgot(interaction: LoadedInteraction, client: ClientRecord, ctx: ProviderContext, options: { username?: string | undefined; sent?: boolean; error?: string; status?: number }): Promise<Answer> {
  const page = ctx.pages.forgotPassword!({
    action: `${ctx.urls.interaction(interaction.uid)}/forgot`,
    csrfToken: interaction.record.csrf_token,
    client: displayOf(client),
    loginUrl: `${ctx.urls.interaction(interaction.uid)}/login`,
    linkMinutes: Math.round(ctx.config.passwordResetTtlSeconds / 60),
    ...(offersResetByEmail(ctx) ? { acceptsEmail: true } : {}),
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.sent ? { sent: true } : {}),
    ...(options.error === undefined ? {} : { error: options.error }),
    ...languageOf(interaction),
  });
  return html(page, options.status ?? 200);
}
