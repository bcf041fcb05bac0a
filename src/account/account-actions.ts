/**
 * What a person may do to their own built-in account in the account console. Each action checks
 * its input completely before it changes anything, and is recorded in the audit log with the
 * person as its actor (`user:<sub>`).
 */
import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from '../accounts/create-account.js';
import { hashPassword, MAX_PASSWORD_LENGTH, verifyPassword } from '../accounts/password.js';
import type { ProviderContext } from '../core/context.js';
import { isLoginAllowed, recordLoginFailure, recordLoginSuccess } from '../interaction/login-throttle.js';
import { endSession, endSessionsOf } from '../interaction/logout.js';
import type { AccountRecord } from '../storage/types.js';
import { ACCOUNT_CLIENT_ID } from './account-site.js';

/** The action was refused; `message` says why, for the page; `status` is the page's. */
export class AccountActionRefused extends Error {
  constructor(
    message: string,
    readonly status: 400 | 401 | 429 = 400,
  ) {
    super(message);
    this.name = 'AccountActionRefused';
  }
}

/** How the audit log names the person acting on their own account. */
export function selfActor(account: AccountRecord): string {
  return `user:${account.sub}`;
}

/** The profile fields a person edits: emptied, a field is removed. */
export const PROFILE_FIELDS = ['name', 'given_name', 'family_name', 'email'] as const;
type ProfileField = (typeof PROFILE_FIELDS)[number];

const profileSchema = z.object({
  name: z.string().max(255, 'full name is longer than 255 characters').optional(),
  given_name: z.string().max(255, 'given name is longer than 255 characters').optional(),
  family_name: z.string().max(255, 'family name is longer than 255 characters').optional(),
  email: z.email('email is not a valid address').max(255, 'email is longer than 255 characters').optional(),
});

/**
 * Sets the profile fields to `typed` (trimmed; an empty one removes the field). A changed email
 * is unverified until an administrator verifies it.
 * @returns the fields that changed.
 * @throws AccountActionRefused naming what is wrong; nothing is changed then.
 */
export async function updateProfile(account: AccountRecord, typed: Readonly<Record<ProfileField, string>>, ctx: ProviderContext): Promise<ProfileField[]> {
  const given = Object.fromEntries(PROFILE_FIELDS.flatMap((field) => (typed[field].trim() === '' ? [] : [[field, typed[field].trim()]])));
  const parsed = profileSchema.safeParse(given);
  if (!parsed.success) throw new AccountActionRefused(`${parsed.error.issues.map((issue) => issue.message).join('; ')}.`);
  const updated: AccountRecord = { ...account };
  const changed = PROFILE_FIELDS.filter((field) => parsed.data[field] !== account[field]);
  if (changed.length === 0) return [];
  for (const field of PROFILE_FIELDS) {
    const value = parsed.data[field];
    if (value === undefined) delete updated[field];
    else updated[field] = value;
  }
  if (changed.includes('email')) updated.email_verified = false;
  updated.updated_at = ctx.clock.now();
  await ctx.storage.accounts.update(updated);
  ctx.events.emit('user.updated', { sub: account.sub, fields: changed.includes('email') && account.email_verified ? [...changed, 'email_verified'] : changed, actor: selfActor(account) });
  return changed;
}

/** A password change as the form sends it. */
export interface PasswordChange {
  current: string;
  next: string;
  confirmation: string;
  /** End every other session of the account (this browser's, `keepSid`, stays). */
  endOtherSessions: boolean;
  keepSid: string | undefined;
}

/**
 * Changes the account's password. The current password is checked as a login checks it:
 * throttled per account and per address, a wrong one counted as a failed login.
 * @returns how many other sessions were ended.
 * @throws AccountActionRefused: 429 when throttled, 401 for a wrong current password, 400 for a
 *   new password refused; nothing is changed then.
 */
export async function changePassword(account: AccountRecord, change: PasswordChange, address: string | undefined, ctx: ProviderContext): Promise<number> {
  if (change.next !== change.confirmation) throw new AccountActionRefused('The new passwords do not match.');
  if (change.next.length < MIN_PASSWORD_LENGTH) throw new AccountActionRefused(`The new password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  if (change.next.length > MAX_PASSWORD_LENGTH) throw new AccountActionRefused(`The new password must have at most ${MAX_PASSWORD_LENGTH} characters.`);
  if (!(await isLoginAllowed(account.username, address, ctx))) {
    ctx.events.emit('login.throttled', { username: account.username, address });
    throw new AccountActionRefused('Too many wrong passwords. Wait a while and try again.', 429);
  }
  if (!(await verifyPassword(change.current, account.password_hash))) {
    await recordLoginFailure(account.username, address, ctx);
    ctx.events.emit('login.failed', { username: account.username, client_id: ACCOUNT_CLIENT_ID });
    throw new AccountActionRefused('The current password is wrong.', 401);
  }
  await recordLoginSuccess(account.username, ctx);
  const latest = (await ctx.storage.accounts.findBySub(account.sub)) ?? account;
  await ctx.storage.accounts.update({ ...latest, password_hash: await hashPassword(change.next), updated_at: ctx.clock.now() });
  ctx.events.emit('user.password_set', { sub: account.sub, actor: selfActor(account) });
  return change.endOtherSessions ? endSessionsOf(account.sub, ctx, { actor: selfActor(account), keepSid: change.keepSid }) : 0;
}

/**
 * Ends the account's session `id` (a logout: its grants revoked, relying parties notified).
 * @returns false when there is no such session of this account (nothing changed).
 */
export async function endOwnSession(account: AccountRecord, id: string, ctx: ProviderContext): Promise<boolean> {
  const record = id.length > 128 ? undefined : await ctx.storage.artifacts.find('session', id);
  if (!record || record.sub !== account.sub) return false;
  await endSession({ id, record }, ctx, { actor: selfActor(account) });
  return true;
}
