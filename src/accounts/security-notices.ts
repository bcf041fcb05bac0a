/**
 * Security notices: with a mailer, a person hears by mail of every change to how their account
 * signs in — the password set, two-step verification turned on or off, recovery codes made or
 * used, a passkey added or removed, the email address changed (told at the address it had) — by
 * whom (the person, or an administrator) and when, and what to do if it was not them. A notice
 * goes only to a verified address (an unconfirmed one may be anybody's), never makes an answer
 * wait, and never says what the new secret or address is.
 */
import type { ProviderContext } from '../core/context.js';
import type { ProviderEventEmitter, ProviderEventName, ProviderEvents } from '../core/events.js';
import { mailInBackground } from '../core/mailer.js';
import { messagesFor, type Messages } from '../i18n/index.js';
import { languageOfAccount } from '../interaction/language.js';

type NoticeWords = Messages['notice'];

/** The events a person is told of, and what the notice says happened. */
const NOTICES = {
  'user.password_set': (words: NoticeWords, data: ProviderEvents['user.password_set']) => (data.first ? words.passwordSetFirst : words.passwordChanged),
  'user.two_step_enabled': (words: NoticeWords) => words.twoStepEnabled,
  'user.two_step_disabled': (words: NoticeWords) => words.twoStepDisabled,
  'user.recovery_codes_created': (words: NoticeWords) => words.recoveryCodesCreated,
  'user.recovery_code_used': (words: NoticeWords) => words.recoveryCodeUsed,
  'user.passkey_added': (words: NoticeWords, data: ProviderEvents['user.passkey_added']) => words.passkeyAdded(data.name),
  'user.passkey_removed': (words: NoticeWords, data: ProviderEvents['user.passkey_removed']) => words.passkeyRemoved(data.name),
} satisfies { [K in ProviderEventName]?: (words: NoticeWords, data: ProviderEvents[K]) => string };

type NoticeEvent = keyof typeof NOTICES;
type Deps = Pick<ProviderContext, 'storage' | 'mailer' | 'logger' | 'urls' | 'clock' | 'config'>;

/** An account as a notice needs it: who, and its `locale` claim (the notice's language, where offered). */
interface NoticedAccount {
  sub: string;
  username: string;
  claims?: Record<string, unknown> | undefined;
}

/** Mails a notice for each of `NOTICES`' events `hub` emits from now on; returns the unsubscribe. */
export function watchSecurityChanges(ctx: Deps, hub: Pick<ProviderEventEmitter, 'on'>): () => void {
  const stops = (Object.keys(NOTICES) as NoticeEvent[]).map((name) =>
    hub.on(name, (data: ProviderEvents[NoticeEvent]) => {
      const happened = (words: NoticeWords) => (NOTICES[name] as (words: NoticeWords, data: unknown) => string)(words, data);
      const actor = 'actor' in data ? data.actor : undefined;
      void noticeTo(data.sub, happened, actor, ctx).catch((error: unknown) => ctx.logger.warn({ err: error, sub: data.sub }, 'security notice: the account could not be read'));
    }),
  );
  return () => stops.forEach((stop) => stop());
}

/**
 * Tells the address an account had (`previous`: the account before the change, its address
 * verified) that it is no longer the account's — the one notice that cannot go to the account's
 * address: whoever changed it has that one.
 */
export function noticeEmailChanged(previous: NoticedAccount & { email?: string | undefined; email_verified?: boolean }, actor: string, ctx: Deps): void {
  if (previous.email === undefined || previous.email_verified !== true) return;
  const email = previous.email;
  mailInBackground(ctx, notice(previous, email, (words) => words.emailChanged(email), actor, ctx), { sub: previous.sub, purpose: 'security notice' });
}

/**
 * Tells a verified address that `account` signed in from a browser it had not used before
 * (accounts/known-browsers.ts), and where from (`origin`: "Firefox on Linux, from 198.51.100.4").
 */
export function noticeNewBrowser(account: NoticedAccount & { email: string }, origin: string | undefined, ctx: Deps): void {
  mailInBackground(ctx, notice(account, account.email, (words) => words.newBrowser(origin), undefined, ctx, { by: () => '' }), { sub: account.sub, purpose: 'security notice' });
}

/**
 * Tells a verified address that its account (`deleted`, as it was) is gone, by whom — the one
 * notice whose advice cannot be to sign in and change the password.
 */
export function noticeAccountDeleted(deleted: NoticedAccount & { email?: string | undefined; email_verified?: boolean }, actor: string, ctx: Deps): void {
  if (deleted.email === undefined || deleted.email_verified !== true) return;
  mailInBackground(ctx, notice(deleted, deleted.email, (words) => words.accountDeleted, actor, ctx, { advice: (words) => words.deletedAdvice }), { sub: deleted.sub, purpose: 'security notice' });
}

async function noticeTo(sub: string, happened: (words: NoticeWords) => string, actor: string | undefined, ctx: Deps): Promise<void> {
  const account = await ctx.storage.accounts.findBySub(sub);
  if (account?.email === undefined || account.email_verified !== true) return;
  mailInBackground(ctx, notice(account, account.email, happened, actor, ctx), { sub, purpose: 'security notice' });
}

/**
 * The notice's mail, in the account's language (its `locale` claim, where offered; else the
 * default); `by` says who did it ("from the account itself", "by an administrator"; empty: not
 * said); `advice`, what to do if it was not the person.
 */
function notice(
  account: NoticedAccount,
  to: string,
  happened: (words: NoticeWords) => string,
  actor: string | undefined,
  ctx: Deps,
  options: { by?: (words: NoticeWords) => string; advice?: (words: NoticeWords) => string } = {},
) {
  const words = messagesFor(languageOfAccount(account, ctx)).notice;
  const host = new URL(ctx.urls.issuer).host;
  const at = `${new Date(ctx.clock.now() * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const by = options.by?.(words) ?? (actor === undefined || actor === `user:${account.sub}` ? words.byAccount : words.byAdministrator);
  const advice = options.advice?.(words) ?? words.advice(`${ctx.urls.issuer}/account`);
  return { to, subject: words.subject(account.username, host), text: words.text(account.username, host, happened(words), at, by, advice) };
}
