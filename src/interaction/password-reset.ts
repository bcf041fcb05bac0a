/**
 * "Forgot your password?": a link by mail to the account's address sets a new password.
 *
 * - Asking tells nothing: the answer is the same for an unknown username, an account without an
 *   address, one sent a link within the minute — and it comes before the mail is handed on, so
 *   that its time does not tell either. Asking is limited per address (`password_resets` quota).
 * - The link carries a 256-bit token, stored by its digest, good once for
 *   `passwordResetTtlSeconds`, and only while the password is still the one it was made for
 *   (`PasswordResetTarget.version`): a password set otherwise meanwhile, or a second reset,
 *   ends it.
 * - A reset signs every session of the account out (whoever knew the old password is out), and
 *   clears the failed logins counted against the account; two-step verification stays on. The
 *   address the link came to is confirmed (`email_verified`).
 */
import type { ProviderContext } from '../core/context.js';
import type { PasswordResetRecord } from '../storage/types.js';
import { digestSecret } from '../util/digest.js';
import { randomToken } from '../util/random.js';
import { countAgainstAddressQuota, isWithinAddressQuota, recordLoginSuccess } from './login-throttle.js';
import { endSessionsOf } from './logout.js';

/** How long after a link an account gets no second one, in seconds. */
const RESEND_SECONDS = 60;

/** Whether this provider offers password resets: a mailer, accounts that can, pages that ask. */
export function offersPasswordReset(ctx: Pick<ProviderContext, 'mailer' | 'accounts' | 'pages'>): boolean {
  return ctx.mailer !== undefined && ctx.accounts.findForPasswordReset !== undefined && ctx.accounts.resetPassword !== undefined && ctx.pages.forgotPassword !== undefined && ctx.pages.resetPassword !== undefined;
}

/**
 * Mails a reset link to the account `username` names, if there is one with an address and it
 * was sent none within the minute. The mail is handed on after this returns.
 * @returns false when `address` asked too many times this window (nothing sent).
 */
export async function requestPasswordReset(username: string, address: string | undefined, interactionUid: string | undefined, ctx: ProviderContext): Promise<boolean> {
  if (!(await isWithinAddressQuota('password_resets', address, ctx))) return false;
  await countAgainstAddressQuota('password_resets', address, ctx);
  const target = username === '' ? undefined : await ctx.accounts.findForPasswordReset!(username);
  if (target === undefined) return true;
  if (!(await ctx.storage.artifacts.add('password_reset_sent', digestSecret(target.sub), { sub: target.sub }, RESEND_SECONDS))) return true;
  const token = randomToken();
  const record: PasswordResetRecord = { sub: target.sub, username: target.username, version: target.version, email: target.email, ...(interactionUid === undefined ? {} : { interaction_uid: interactionUid }) };
  await ctx.storage.artifacts.put('password_reset', digestSecret(token), record, ctx.config.passwordResetTtlSeconds);
  ctx.events.emit('user.password_reset_requested', { sub: target.sub, address });
  const link = `${ctx.urls.issuer}/password-reset?${new URLSearchParams({ token })}`;
  const host = new URL(ctx.urls.issuer).host;
  const minutes = Math.round(ctx.config.passwordResetTtlSeconds / 60);
  // Not awaited: the answer must not take longer for a real account than for none.
  ctx.mailer!.send({
    to: target.email,
    subject: `Set a new password for ${target.username} at ${host}`,
    text: [
      `Someone asked to set a new password for the account ${target.username} at ${host}.`,
      '',
      `To set one, open this link in the next ${minutes} minutes (it works once):`,
      link,
      '',
      'If it was not you, ignore this mail: your password stays as it is.',
    ].join('\n'),
  }).catch((error: unknown) => ctx.logger.warn({ err: error, sub: target.sub }, 'password reset: the mail could not be sent'));
  return true;
}

/** The reset link `token` stands for, while it works. */
export async function findPasswordReset(token: string, ctx: ProviderContext): Promise<PasswordResetRecord | undefined> {
  if (token === '' || token.length > 128) return undefined;
  return ctx.storage.artifacts.find('password_reset', digestSecret(token));
}

/**
 * Sets `password` (checked against the password rules already) through the link `token`, once;
 * every session of the account ends.
 * @returns the link's record, or undefined when it no longer works (used, expired, the password changed meanwhile).
 */
export async function finishPasswordReset(token: string, password: string, ctx: ProviderContext): Promise<PasswordResetRecord | undefined> {
  const record = await findPasswordReset(token, ctx);
  if (record === undefined) return undefined;
  const changed = await ctx.accounts.resetPassword!(record.sub, password, record.version);
  await ctx.storage.artifacts.delete('password_reset', digestSecret(token));
  if (!changed) return undefined;
  const actor = `user:${record.sub}`;
  ctx.events.emit('user.password_set', { sub: record.sub, actor });
  // The link came to that address: it is the person's.
  if (record.email !== undefined && (await ctx.accounts.verifyEmail?.(record.sub, record.email))) ctx.events.emit('user.email_verified', { sub: record.sub });
  await recordLoginSuccess(record.username, ctx);
  await endSessionsOf(record.sub, ctx, { actor });
  return record;
}
