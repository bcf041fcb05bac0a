import { messagesFor } from '../i18n/index.js';
import { languageOfLink, languageOfRequest } from '../interaction/language.js';
import type { ProviderContext } from '../core/context.js';
import { readForm, readQuery } from '../http/params.js';
import { html, type Answer } from '../http/responses.js';
import { findEmailVerification, finishEmailVerification } from '../interaction/email-verification.js';
import type { EmailVerificationRecord } from '../storage/types.js';
import type { Endpoint } from './types.js';

/**
 * Where a confirmation link leads (interaction/email-verification.ts): `GET /verify-email?token=…`
 * asks, `POST /verify-email` confirms — a POST, so that a mail scanner opening the link
 * confirms nothing. Served only with a mailer (`offersEmailVerification`).
 */
export const verifyEmailPageEndpoint: Endpoint = async (request, ctx) => {
  const token = readQuery(request).token ?? '';
  const record = await findEmailVerification(token, ctx);
  return record === undefined ? linkNotWorking(languageOfRequest(request, ctx), ctx) : show(ctx, token, record, languageOfLink(record, request, ctx), false);
};

export const verifyEmailEndpoint: Endpoint = async (request, ctx) => {
  const token = (await readForm(request)).token ?? '';
  const record = await finishEmailVerification(token, ctx);
  return record === undefined ? linkNotWorking(languageOfRequest(request, ctx), ctx) : show(ctx, '', record, languageOfLink(record, request, ctx), true);
};

function show(ctx: ProviderContext, token: string, record: EmailVerificationRecord, lang: string, done: boolean): Promise<Answer> {
  return html(ctx.pages.verifyEmail!({ action: `${ctx.urls.issuer}/verify-email`, token, email: record.email, username: record.username, lang, ...(done ? { done: true } : {}) }));
}

function linkNotWorking(lang: string, ctx: ProviderContext): Promise<Answer> {
  // Where addresses are confirmed before signing in, the person cannot reach their account to ask: signing in sends the next link.
  const { errors } = messagesFor(lang);
  const page = ctx.pages.error({ status: 400, error: 'invalid_request', error_description: ctx.config.requireVerifiedEmail ? errors.confirmationLinkUnusableSignIn : errors.confirmationLinkUnusable, lang });
  return html(page, 400);
}
