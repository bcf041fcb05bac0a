/**
 * What a person may do to their own built-in account in the account console. Each action checks
 * its input completely before it changes anything, and is recorded in the audit log with the
 * person as its actor (`user:<sub>`).
 */
import { z } from '../util/zod.js';
import { MIN_PASSWORD_LENGTH } from '../accounts/create-account.js';
import { deleteAccount } from '../accounts/delete-account.js';
import { offersUpstreams } from '../upstreams/upstream-providers.js';
import { noticeEmailChanged } from '../accounts/security-notices.js';
import { languageOfAccount } from '../interaction/language.js';
import { hashPassword, newPasswordProblem, verifyPassword } from '../accounts/password.js';
import type { ProviderContext } from '../core/context.js';
import { isLoginAllowed, recordLoginFailure, recordLoginSuccess } from '../interaction/login-throttle.js';
import { offersEmailVerification, sendEmailVerification } from '../interaction/email-verification.js';
import { endSession, endSessionsOf } from '../interaction/logout.js';
import { newRecoveryCodes, recoveryCodeDigests, useRecoveryCode } from '../accounts/recovery-codes.js';
import { newTotpSecret, removeTotp, sealTotpSecret, totpUri, verifyTotp } from '../accounts/totp.js';
import type { AccountRecord, AccountTotp } from '../storage/types.js';
import { seal, unseal } from '../util/seal.js';
import { ACCOUNT_CLIENT_ID } from './account-site.js';
import { messagesFor, type Messages } from '../i18n/index.js';
import { en } from '../i18n/en.js';
import { accountMessagesFor, type AccountMessages } from './messages/index.js';
import { accountEn } from './messages/en.js';

/** Why an action was refused, in the words of a language: the console's (`m`) or the sign-in's it shares (`pages`). */
export type Refusal = (m: AccountMessages, pages: Messages) => string;

/**
 * The action was refused; `in(lang)` says why, for the page (`message` is the English, for logs);
 * `status` is the page's.
 */
export class AccountActionRefused extends Error {
  constructor(
    private readonly words: Refusal,
    readonly status: 400 | 401 | 429 = 400,
  ) {
    super(words(accountEn, en));
    this.name = 'AccountActionRefused';
  }

  /** Why, in `lang`. */
  in(lang: string): string {
    return this.words(accountMessagesFor(lang), messagesFor(lang));
  }
}

/** How the audit log names the person acting on their own account. */
export function selfActor(account: AccountRecord): string {
  return `user:${account.sub}`;
}

/** The profile fields a person edits: emptied, a field is removed. */
export const PROFILE_FIELDS = ['name', 'given_name', 'family_name', 'email'] as const;
type ProfileField = (typeof PROFILE_FIELDS)[number];

/** The longest a profile field may be. */
const MOST_PROFILE_CHARACTERS = 255;
const emailSchema = z.email();

/** What is wrong with the profile's fields as given (trimmed, empty ones left out), in the order of the form. */
function profileProblems(given: Partial<Record<ProfileField, string>>): Array<(m: AccountMessages) => string> {
  const problems: Array<(m: AccountMessages) => string> = [];
  const most = MOST_PROFILE_CHARACTERS;
  if ((given.name?.length ?? 0) > most) problems.push((m) => m.refused.nameTooLong(most));
  if ((given.given_name?.length ?? 0) > most) problems.push((m) => m.refused.givenNameTooLong(most));
  if ((given.family_name?.length ?? 0) > most) problems.push((m) => m.refused.familyNameTooLong(most));
  if (given.email !== undefined && !emailSchema.safeParse(given.email).success) problems.push((m) => m.refused.emailNotValid);
  if ((given.email?.length ?? 0) > most) problems.push((m) => m.refused.emailTooLong(most));
  return problems;
}

/** What saving the profile did. */
export interface ProfileSaved {
  /** The fields that changed. */
  changed: ProfileField[];
  /**
   * A new address the account changes to once a link mailed there is used (`requireVerifiedEmail`:
   * an address not confirmed would keep the person from signing in); false when no link could go
   * (one went out within the minute).
   */
  emailPending?: boolean;
}

/**
 * Sets the profile fields to `typed` (trimmed; an empty one removes the field). A changed email
 * is unverified until confirmed (a mailed link) or an administrator verifies it — or, with
 * `requireVerifiedEmail`, is not made at all until its link is used: the account keeps the address
 * it has meanwhile.
 * @throws AccountActionRefused naming what is wrong; nothing is changed then.
 */
export async function updateProfile(account: AccountRecord, typed: Readonly<Record<ProfileField, string>>, ctx: ProviderContext): Promise<ProfileSaved> {
  const given: Partial<Record<ProfileField, string>> = Object.fromEntries(PROFILE_FIELDS.flatMap((field) => (typed[field].trim() === '' ? [] : [[field, typed[field].trim()]])));
  const problems = profileProblems(given);
  if (problems.length > 0) throw new AccountActionRefused((m) => m.refused.profileProblems(problems.map((problem) => problem(m))));
  let emailPending: boolean | undefined;
  if (ctx.config.requireVerifiedEmail && given.email !== undefined && given.email !== account.email) {
    emailPending = await sendEmailVerification({ sub: account.sub, username: account.username, email: given.email }, ctx, languageOfAccount(account, ctx), account.email === undefined ? {} : { email: account.email });
    given.email = account.email;
    if (given.email === undefined) delete given.email;
  }
  const saved = await saveProfile(account, given, ctx);
  return emailPending === undefined ? { changed: saved } : { changed: saved, emailPending };
}

/** Sets the profile fields to `given` (absent: removed). @returns the fields that changed. */
async function saveProfile(account: AccountRecord, given: Partial<Record<ProfileField, string>>, ctx: ProviderContext): Promise<ProfileField[]> {
  const updated: AccountRecord = { ...account };
  const changed = PROFILE_FIELDS.filter((field) => given[field] !== account[field]);
  if (changed.length === 0) return [];
  for (const field of PROFILE_FIELDS) {
    const value = given[field];
    if (value === undefined) delete updated[field];
    else updated[field] = value;
  }
  if (changed.includes('email')) updated.email_verified = false;
  updated.updated_at = ctx.clock.now();
  await ctx.storage.accounts.update(updated);
  ctx.events.emit('user.updated', { sub: account.sub, fields: changed.includes('email') && account.email_verified ? [...changed, 'email_verified'] : changed, actor: selfActor(account) });
  if (changed.includes('email')) noticeEmailChanged(account, selfActor(account), ctx);
  if (changed.includes('email') && updated.email !== undefined && offersEmailVerification(ctx)) {
    await sendEmailVerification({ sub: updated.sub, username: updated.username, email: updated.email }, ctx, languageOfAccount(updated, ctx));
  }
  return changed;
}

/**
 * Sets the language of the account's mails outside a sign-in (security notices, confirmation
 * links asked for here): its `locale` claim, one of the offered languages (`uiLocales`), or none
 * (`''`: the default language).
 * @returns whether it changed.
 * @throws AccountActionRefused for a language not offered; nothing is changed then.
 */
export async function setLanguage(account: AccountRecord, lang: string, ctx: ProviderContext): Promise<boolean> {
  if (lang !== '' && !ctx.config.uiLocales.includes(lang)) throw new AccountActionRefused((m) => m.refused.languageNotOffered);
  if ((account.claims.locale ?? '') === lang) return false;
  const { locale: _previous, ...claims } = account.claims;
  await ctx.storage.accounts.update({ ...account, claims: lang === '' ? claims : { ...claims, locale: lang }, updated_at: ctx.clock.now() });
  ctx.events.emit('user.updated', { sub: account.sub, fields: ['locale'], actor: selfActor(account) });
  return true;
}

/**
 * Mails a link confirming the account's address, when it has an unverified one.
 * @returns false when there is nothing to confirm, or a link went out within the minute.
 */
export async function sendEmailConfirmation(account: AccountRecord, ctx: ProviderContext): Promise<boolean> {
  if (account.email === undefined || account.email_verified === true || !offersEmailVerification(ctx)) return false;
  return sendEmailVerification({ sub: account.sub, username: account.username, email: account.email }, ctx, languageOfAccount(account, ctx));
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
 * throttled per account and per address, a wrong one counted as a failed login. An account
 * without a password (made from an upstream provider's sign-in) sets its first one with none to
 * check, as it adds a passkey.
 * @throws AccountActionRefused: 429 when throttled, 401 for a wrong current password, 400 for a
 *   new password refused; nothing is changed then.
 */
export async function changePassword(account: AccountRecord, change: PasswordChange, address: string | undefined, ctx: ProviderContext): Promise<void> {
  if (newPasswordProblem(change.next, change.confirmation) !== undefined) throw new AccountActionRefused((_m, pages) => newPasswordProblem(change.next, change.confirmation, pages)!);
  if (account.password_hash !== undefined) {
    await checkAsALogin(account, address, ctx, () => verifyPassword(change.current, account.password_hash), { wrong: (m) => m.refused.currentPasswordWrong, throttled: (m) => m.refused.tooManyPasswords });
    await recordLoginSuccess(account.username, ctx);
  }
  const latest = (await ctx.storage.accounts.findBySub(account.sub)) ?? account;
  await ctx.storage.accounts.update({ ...latest, password_hash: await hashPassword(change.next), updated_at: ctx.clock.now() });
  ctx.events.emit('user.password_set', { sub: account.sub, actor: selfActor(account), ...(account.password_hash === undefined ? { first: true as const } : {}) });
  if (change.endOtherSessions) await endSessionsOf(account.sub, ctx, { actor: selfActor(account), keepSid: change.keepSid });
}

/**
 * Deletes the account, on its password checked as a login checks it — an account without one
 * needs none — (`deleteAccount`: sessions ended, every grant revoked, consents gone).
 * @throws AccountActionRefused: 400 without the confirmation ticked, 429 when throttled, 401 for a wrong password.
 */
export async function deleteOwnAccount(account: AccountRecord, password: string, confirmed: boolean, address: string | undefined, ctx: ProviderContext): Promise<void> {
  if (!confirmed) throw new AccountActionRefused((m) => m.refused.confirmDeletion);
  // An account without a password (made from an upstream provider's sign-in) has none to ask, as for a new passkey.
  if (account.password_hash !== undefined) {
    await checkAsALogin(account, address, ctx, () => verifyPassword(password, account.password_hash), WRONG_PASSWORD);
  }
  await deleteAccount(account, selfActor(account), ctx);
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

/**
 * Ends every session of the account but `keepSid` (this browser's): each a logout, its grants
 * revoked and relying parties notified.
 * @returns how many ended.
 */
export function endOtherSessions(account: AccountRecord, keepSid: string | undefined, ctx: ProviderContext): Promise<number> {
  return endSessionsOf(account.sub, ctx, { actor: selfActor(account), keepSid });
}

/** One of the person's identities at an upstream provider, as the account console shows it. */
export interface ConnectedSignIn {
  upstream_id: string;
  /** The upstream's name ("Corp SSO"), or its id if it has none any more. */
  name: string;
  /** The address the upstream gave when it was connected. */
  email?: string;
  created_at: number;
  last_used_at?: number;
}

/**
 * The account's identities at upstream providers, in order of upstream (each named as its
 * upstream is, or by its id when that is gone), and the upstreams offered that it has none at:
 * what it may connect. One read of each.
 */
export async function upstreamSignInsOf(account: AccountRecord, ctx: ProviderContext): Promise<{ connected: ConnectedSignIn[]; connectable: { id: string; name: string }[] }> {
  const [identities, upstreams] = await Promise.all([ctx.storage.accounts.upstreamIdentities(account.sub), ctx.storage.upstreams.list()]);
  const names = new Map(upstreams.map((upstream) => [upstream.id, upstream.name]));
  const connected = identities.map((identity) => ({
    upstream_id: identity.upstream_id,
    name: names.get(identity.upstream_id) ?? identity.upstream_id,
    created_at: identity.created_at,
    ...(identity.email === undefined ? {} : { email: identity.email }),
    ...(identity.last_used_at === undefined ? {} : { last_used_at: identity.last_used_at }),
  }));
  const have = new Set(identities.map((identity) => identity.upstream_id));
  const connectable = offersUpstreams(ctx) ? upstreams.filter((upstream) => !upstream.disabled && !have.has(upstream.id)).map((upstream) => ({ id: upstream.id, name: upstream.name })) : [];
  return { connected, connectable };
}

/**
 * Disconnects the account's identity at upstream `upstreamId`: signing in there no longer signs
 * the person in here. Refused when it is the account's only way in — no password, no passkey, no
 * identity at another upstream that is offered — which would lock the person out of their own account.
 * @returns false when the account has no identity there (nothing changed).
 * @throws AccountActionRefused when it is the only way in.
 */
export async function disconnectOwnUpstreamIdentity(account: AccountRecord, upstreamId: string, ctx: ProviderContext): Promise<boolean> {
  const identities = await ctx.storage.accounts.upstreamIdentities(account.sub);
  if (!identities.some((identity) => identity.upstream_id === upstreamId)) return false;
  const enabled = new Set((await ctx.storage.upstreams.list()).filter((upstream) => !upstream.disabled).map((upstream) => upstream.id));
  const otherIdentity = identities.some((identity) => identity.upstream_id !== upstreamId && enabled.has(identity.upstream_id));
  const hasAnotherWayIn = account.password_hash !== undefined || (account.passkeys?.length ?? 0) > 0 || otherIdentity;
  if (!hasAnotherWayIn) throw new AccountActionRefused((m) => m.refused.onlyWayIn);
  if (!(await ctx.storage.accounts.disconnectUpstreamIdentity(account.sub, upstreamId))) return false;
  ctx.events.emit('user.upstream_disconnected', { sub: account.sub, upstream: upstreamId, actor: selfActor(account) });
  return true;
}

const ENROLLMENT_PURPOSE = 'latchkey account totp enrollment';
/** How long a person has to scan the code and type the first code. */
const ENROLLMENT_SECONDS = 600;

/** An authenticator being set up: the new secret, carried sealed in the setup form. */
export interface TotpEnrollment {
  secret: string;
  /** The `otpauth://` URI the app scans. */
  uri: string;
  /** The secret and whose it is, sealed under the master secret: the form's hidden field. */
  sealed: string;
}

/** A new authenticator secret for `account`, to show as a QR code and confirm with a first code. */
export async function startTotpEnrollment(account: AccountRecord, ctx: ProviderContext): Promise<TotpEnrollment> {
  const secret = newTotpSecret();
  const sealed = await seal({ sub: account.sub, secret, exp: ctx.clock.now() + ENROLLMENT_SECONDS }, ctx.config.secret!, ENROLLMENT_PURPOSE);
  return { secret, uri: totpUri(secret, account.username, new URL(ctx.config.issuer).host), sealed };
}

/**
 * The authenticator being set up, from the setup form's sealed field.
 * @throws AccountActionRefused when it expired, was altered, or is another account's.
 */
export async function readTotpEnrollment(account: AccountRecord, sealed: string, ctx: ProviderContext): Promise<TotpEnrollment> {
  const expired = () => new AccountActionRefused((m) => m.refused.setupExpired);
  let enrollment: { sub: string; secret: string; exp: number };
  try {
    enrollment = await unseal(sealed, ctx.config.secret!, ENROLLMENT_PURPOSE);
  } catch {
    throw expired();
  }
  if (enrollment.sub !== account.sub || !(enrollment.exp >= ctx.clock.now())) throw expired();
  return { secret: enrollment.secret, uri: totpUri(enrollment.secret, account.username, new URL(ctx.config.issuer).host), sealed };
}

/**
 * Turns two-step verification on with `enrollment`'s authenticator once `code` shows the app
 * has it; the code is used up.
 * @returns the account's recovery codes, to show once.
 * @throws AccountActionRefused when the code is not a current one.
 */
export async function finishTotpEnrollment(account: AccountRecord, enrollment: TotpEnrollment, code: string, ctx: ProviderContext): Promise<string[]> {
  const codes = newRecoveryCodes();
  const totp = { ...(await sealTotpSecret(enrollment.secret, ctx.config.secret!, ctx.clock.now())), recovery_codes: recoveryCodeDigests(account.sub, codes, ctx.config.secret!) };
  const updated: AccountRecord = { ...account, totp, updated_at: ctx.clock.now() };
  if (!(await verifyTotp(updated, code, totpDeps(ctx)))) {
    throw new AccountActionRefused(WRONG_CODE.wrong);
  }
  await ctx.storage.accounts.update(updated);
  ctx.events.emit('user.two_step_enabled', { sub: account.sub, actor: selfActor(account) });
  ctx.events.emit('user.recovery_codes_created', { sub: account.sub, actor: selfActor(account) });
  return codes;
}

/**
 * New recovery codes in place of the account's earlier ones, on a current code of its
 * authenticator (checked as a login checks it).
 * @returns the new codes, to show once.
 * @throws AccountActionRefused: 429 when throttled, 401 when the code is not right.
 */
export async function replaceRecoveryCodes(account: AccountRecord & { totp: AccountTotp }, code: string, address: string | undefined, ctx: ProviderContext): Promise<string[]> {
  await checkAsALogin(account, address, ctx, () => verifyTotp(account, code, totpDeps(ctx)), WRONG_CODE);
  const codes = newRecoveryCodes();
  await ctx.storage.accounts.update({ ...account, totp: { ...account.totp, recovery_codes: recoveryCodeDigests(account.sub, codes, ctx.config.secret!) }, updated_at: ctx.clock.now() });
  ctx.events.emit('user.recovery_codes_created', { sub: account.sub, actor: selfActor(account) });
  return codes;
}

/** What a wrong or throttled code of the account's authenticator is told. */
const WRONG_CODE: LoginCheckWords = { wrong: (m) => m.refused.codeWrong, throttled: (m) => m.refused.tooManyCodes };

/** What a wrong password, or too many, is refused with. */
export const WRONG_PASSWORD: LoginCheckWords = { wrong: (m) => m.refused.passwordWrong, throttled: (m) => m.refused.tooManyPasswords };

/** The refusals of a secret checked as a login: a wrong one, and too many wrong ones. */
export interface LoginCheckWords {
  wrong: Refusal;
  throttled: Refusal;
}

/**
 * Turns two-step verification off, on a current code of the account's authenticator or one of
 * its recovery codes (whoever found the console open cannot turn it off without either). Wrong
 * codes count as failed logins, as at the login's second step.
 * @throws AccountActionRefused: 429 when throttled, 401 when the code is not right.
 */
export async function turnOffTotp(account: AccountRecord, code: string, address: string | undefined, ctx: ProviderContext): Promise<void> {
  // A recovery code will do: the person who lost the phone turns it off to set up the new one.
  const isRight = async () => (await verifyTotp(account, code, totpDeps(ctx))) || (await useRecoveryCode(account, code, totpDeps(ctx)));
  await checkAsALogin(account, address, ctx, isRight, WRONG_CODE);
  await removeTotp(account, selfActor(account), ctx);
}

/**
 * A secret of the account (its password, a code of its authenticator) checked as a login checks
 * it: refused without a check past the limits per account and per address (429), a wrong one counted
 * as a failed login (401).
 * @throws AccountActionRefused with `messages`' words
 */
export async function checkAsALogin(account: AccountRecord, address: string | undefined, ctx: ProviderContext, isRight: () => Promise<boolean>, messages: LoginCheckWords): Promise<void> {
  if (!(await isLoginAllowed(account.username, address, ctx))) {
    ctx.events.emit('login.throttled', { username: account.username, address });
    throw new AccountActionRefused(messages.throttled, 429);
  }
  if (!(await isRight())) {
    await recordLoginFailure(account.username, address, ctx);
    ctx.events.emit('login.failed', { username: account.username, client_id: ACCOUNT_CLIENT_ID });
    throw new AccountActionRefused(messages.wrong, 401);
  }
}

function totpDeps(ctx: ProviderContext) {
  return { storage: ctx.storage, clock: ctx.clock, secret: ctx.config.secret! };
}
