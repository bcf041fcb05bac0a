/**
 * Confirming an account's email address: a link mailed to it sets `email_verified` — sent when a
 * person registers with an address, changes it in the account console, or asks again there. A
 * link is good once, for a day, and only for the address it was sent to: an address changed
 * since is not confirmed by an old link. At most one mail a minute per account.
 */
import { messagesFor } from '../i18n/index.js';
import type { ProviderContext } from '../core/context.js';
import { mailInBackground } from '../core/mailer.js';
import type { EmailVerificationRecord } from '../storage/types.js';
import { findMailedLink, newMailedLink, spendMailedLink } from './mailed-links.js';
import { noticeEmailChanged } from '../accounts/security-notices.js';

/** How long a confirmation link works, in seconds. */
export const EMAIL_VERIFICATION_SECONDS = 24 * 3600;

/** Whether this provider confirms addresses: a mailer, accounts that can, a page that asks. */
export function offersEmailVerification(ctx: Pick<ProviderContext, 'mailer' | 'accounts' | 'pages'>): boolean {
  return ctx.mailer !== undefined && ctx.accounts.verifyEmail !== undefined && ctx.pages.verifyEmail !== undefined;
}

/**
 * Mails a confirmation link for `account`'s address, in `lang`, unless one went out within the minute
 * — with `replaces`, for an address the account is to change to from that one once the link is used.
 * The mail is handed on after this returns.
 * @returns false when a link went out within the minute (none sent now).
 */
export async function sendEmailVerification(account: { sub: string; username: string; email: string }, ctx: ProviderContext, lang?: string, replaces?: EmailVerificationRecord['replaces']): Promise<boolean> {
  const record: EmailVerificationRecord = { sub: account.sub, username: account.username, email: account.email, ...(lang === undefined ? {} : { lang }), ...(replaces === undefined ? {} : { replaces }) };
  const token = await newMailedLink('email_verification', record, EMAIL_VERIFICATION_SECONDS, ctx);
  if (token === undefined) return false;
  const host = new URL(ctx.urls.issuer).host;
  const { mail } = messagesFor(lang);
  mailInBackground(ctx, {
    to: account.email,
    subject: mail.confirmSubject(account.username, host),
    text: mail.confirmText(account.email, account.username, host, `${ctx.urls.issuer}/verify-email?${new URLSearchParams({ token })}`),
  }, { sub: account.sub, purpose: 'email verification' });
  return true;
}

/** The confirmation link `token` stands for, while it works. */
export function findEmailVerification(token: string, ctx: ProviderContext): Promise<EmailVerificationRecord | undefined> {
  return findMailedLink('email_verification', token, ctx);
}

/**
 * Confirms the address through the link `token`, once.
 * @returns the link's record, or undefined when it no longer works (used, expired, the address changed since).
 */
export async function finishEmailVerification(token: string, ctx: ProviderContext): Promise<EmailVerificationRecord | undefined> {
  const record = await findEmailVerification(token, ctx);
  if (record === undefined) return undefined;
  await spendMailedLink('email_verification', token, ctx);
  if (record.replaces !== undefined) return (await changeEmail(record, record.replaces.email, ctx)) ? record : undefined;
  if (!(await ctx.accounts.verifyEmail!(record.sub, record.email))) return undefined;
  ctx.events.emit('user.email_verified', { sub: record.sub });
  return record;
}

/** The change of address a link stood for, made now, if the account still has the address it had: told as a change by the person, and to the old address. */
async function changeEmail(record: EmailVerificationRecord, from: string | undefined, ctx: ProviderContext): Promise<boolean> {
  const previous = await ctx.accounts.changeEmail?.(record.sub, from, record.email);
  if (previous === undefined) return false;
  const actor = `user:${record.sub}`;
  ctx.events.emit('user.updated', { sub: record.sub, fields: ['email', 'email_verified'], actor });
  ctx.events.emit('user.email_verified', { sub: record.sub });
  noticeEmailChanged({ sub: record.sub, ...previous }, actor, ctx);
  return true;
}
