/**
 * "Forgot your password?": a link by mail to the account's address sets a new password.
 *
 * - The person names the account by its username or, where the accounts can find them by one
 *   (`Accounts.findForPasswordResetByEmail`), by its email address: every account with that
 *   address is sent a link of its own, naming its username — which tells a person who forgot
 *   that too.
 * - Asking tells nothing: the answer is the same for an unknown username or address, an account
 *   without an address, one sent a link within the minute — and it comes before the account is
 *   even looked up, so that its time does not tell either. Asking is limited per address
 *   (`password_resets` quota).
 * - The link carries a 256-bit token, stored by its digest, good once for
 *   `passwordResetTtlSeconds`, and only while the password is still the one it was made for
 *   (`PasswordResetTarget.version`): a password set otherwise meanwhile, or a second reset,
 *   ends it.
 * - A reset signs every session of the account out (whoever knew the old password is out), and
 *   clears the failed logins counted against the account; two-step verification stays on. The
 *   address the link came to is confirmed (`email_verified`).
 */
import { messagesFor } from '../i18n/index.js';
import type { PasswordResetTarget } from '../accounts/types.js';
import type { ProviderContext } from '../core/context.js';
import { mailInBackground } from '../core/mailer.js';
import type { PasswordResetRecord } from '../storage/types.js';
import { countAgainstAddressQuota, isWithinAddressQuota, recordLoginSuccess } from './login-throttle.js';
import { endSessionsOf } from './logout.js';
import { findMailedLink, newMailedLink, spendMailedLink } from './mailed-links.js';

/** Whether this provider offers password resets: a mailer, accounts that can, pages that ask. */
export function offersPasswordReset(ctx: Pick<ProviderContext, 'mailer' | 'accounts' | 'pages'>): boolean {
  return ctx.mailer !== undefined && ctx.accounts.findForPasswordReset !== undefined && ctx.accounts.resetPassword !== undefined && ctx.pages.forgotPassword !== undefined && ctx.pages.resetPassword !== undefined;
}

/** At most this many accounts with one email address are sent links for one request. */
const MOST_ACCOUNTS_PER_EMAIL = 10;

/** Whether the accounts can be found by their email address for a reset: the page asks for a username or an address. */
export function offersResetByEmail(ctx: Pick<ProviderContext, 'accounts'>): boolean {
  return ctx.accounts.findForPasswordResetByEmail !== undefined;
}

/**
 * Mails a reset link to each account `name` names — by its username or (`offersResetByEmail`)
 * its email address — that has an address and was sent none within the minute, after this
 * returns: the accounts are looked up, the links stored and the mails handed on once the answer
 * is on its way, so that its time tells nothing.
 * The mail speaks `lang` (the sign-in's language), and so does the page its link opens.
 * @returns false when `address` asked too many times this window (nothing sent).
 */
export async function requestPasswordReset(name: string, address: string | undefined, interactionUid: string | undefined, ctx: ProviderContext, lang?: string): Promise<boolean> {
  if (!(await isWithinAddressQuota('password_resets', address, ctx))) return false;
  await countAgainstAddressQuota('password_resets', address, ctx);
  if (name !== '') {
    setImmediate(() => void sendResetLinks(name, address, interactionUid, lang, ctx).catch((error: unknown) => ctx.logger.warn({ err: error }, 'password reset: the link could not be made')));
  }
  return true;
}

/**
 * The accounts `name` stands for: the one it is the username of and, when it could be an email
 * address (it has an `@`), those it is the address of.
 */
async function resetTargetsOf(name: string, ctx: ProviderContext): Promise<PasswordResetTarget[]> {
  const byUsername = await ctx.accounts.findForPasswordReset!(name);
  const byEmail = name.includes('@') && ctx.accounts.findForPasswordResetByEmail !== undefined ? await ctx.accounts.findForPasswordResetByEmail(name, MOST_ACCOUNTS_PER_EMAIL) : [];
  return byUsername === undefined ? byEmail : [byUsername, ...byEmail.filter((target) => target.sub !== byUsername.sub)];
}

async function sendResetLinks(name: string, address: string | undefined, interactionUid: string | undefined, lang: string | undefined, ctx: ProviderContext): Promise<void> {
  for (const target of await resetTargetsOf(name, ctx)) await sendResetLink(target, address, interactionUid, lang, ctx);
}

async function sendResetLink(target: PasswordResetTarget, address: string | undefined, interactionUid: string | undefined, lang: string | undefined, ctx: ProviderContext): Promise<void> {
  const record: PasswordResetRecord = {
    sub: target.sub,
    username: target.username,
    version: target.version,
    email: target.email,
    ...(interactionUid === undefined ? {} : { interaction_uid: interactionUid }),
    ...(target.first ? { first: true as const } : {}),
    ...(lang === undefined ? {} : { lang }),
  };
  const token = await newMailedLink('password_reset', record, ctx.config.passwordResetTtlSeconds, ctx);
  if (token === undefined) return;
  ctx.events.emit('user.password_reset_requested', { sub: target.sub, address });
  const link = `${ctx.urls.issuer}/password-reset?${new URLSearchParams({ token })}`;
  const host = new URL(ctx.urls.issuer).host;
  const minutes = Math.round(ctx.config.passwordResetTtlSeconds / 60);
  // An account without a password (made from an upstream provider's sign-in) is set its first one.
  const first = target.first === true;
  const { mail } = messagesFor(lang);
  mailInBackground(ctx, {
    to: target.email,
    subject: mail.resetSubject(target.username, host, first),
    text: mail.resetText(target.username, host, first, minutes, link),
  }, { sub: target.sub, purpose: 'password reset' });
}

/** The reset link `token` stands for, while it works. */
export function findPasswordReset(token: string, ctx: ProviderContext): Promise<PasswordResetRecord | undefined> {
  return findMailedLink('password_reset', token, ctx);
}

/**
 * Sets `password` (checked against the password rules already) through the link `token`, which
 * holds `record` (`findPasswordReset`), once; every session of the account ends.
 * @returns the link's record, or undefined when it no longer works (used meanwhile, the password changed meanwhile).
 */
export async function finishPasswordReset(token: string, record: PasswordResetRecord, password: string, ctx: ProviderContext): Promise<PasswordResetRecord | undefined> {
  const changed = await ctx.accounts.resetPassword!(record.sub, password, record.version);
  await spendMailedLink('password_reset', token, ctx);
  if (!changed) return undefined;
  const actor = `user:${record.sub}`;
  // A link works only while the password is the one it was sent for: none, for a first password.
  ctx.events.emit('user.password_set', { sub: record.sub, actor, ...(record.first ? { first: true as const } : {}) });
  // The link came to that address: it is the person's.
  if (record.email !== undefined && (await ctx.accounts.verifyEmail?.(record.sub, record.email))) ctx.events.emit('user.email_verified', { sub: record.sub });
  await recordLoginSuccess(record.username, ctx);
  await endSessionsOf(record.sub, ctx, { actor });
  return record;
}
