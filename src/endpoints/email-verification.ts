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
  return record === undefined ? linkNotWorking(ctx) : show(ctx, token, record, false);
};

export const verifyEmailEndpoint: Endpoint = async (request, ctx) => {
  const token = (await readForm(request)).token ?? '';
  const record = await finishEmailVerification(token, ctx);
  return record === undefined ? linkNotWorking(ctx) : show(ctx, '', record, true);
};

function show(ctx: ProviderContext, token: string, record: EmailVerificationRecord, done: boolean): Promise<Answer> {
  return html(ctx.pages.verifyEmail!({ action: `${ctx.urls.issuer}/verify-email`, token, email: record.email, username: record.username, ...(done ? { done: true } : {}) }));
}

function linkNotWorking(ctx: ProviderContext): Promise<Answer> {
  const page = ctx.pages.error({ status: 400, error: 'invalid_request', error_description: 'This confirmation link does not work any more: it was used, it expired, or the address was changed since. Ask for a new one in your account.' });
  return html(page, 400);
}
