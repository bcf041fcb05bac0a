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

/** The events a person is told of, and what the notice says happened. */
const NOTICES = {
  'user.password_set': (data: ProviderEvents['user.password_set']) => (data.first ? 'a password was set where the account had none: it now signs in with a password too' : 'the password was changed'),
  'user.two_step_enabled': () => 'two-step verification was turned on',
  'user.two_step_disabled': () => 'two-step verification was turned off: the password alone signs in now',
  'user.recovery_codes_created': () => 'new recovery codes were made (the earlier ones no longer work)',
  'user.recovery_code_used': () => 'a recovery code was used to sign in, in place of a code from the authenticator app',
  'user.passkey_added': (data: ProviderEvents['user.passkey_added']) => `a passkey named "${data.name}" was added`,
  'user.passkey_removed': (data: ProviderEvents['user.passkey_removed']) => `the passkey named "${data.name}" was removed`,
} satisfies { [K in ProviderEventName]?: (data: ProviderEvents[K]) => string };

type NoticeEvent = keyof typeof NOTICES;
type Deps = Pick<ProviderContext, 'storage' | 'mailer' | 'logger' | 'urls' | 'clock'>;

/** Mails a notice for each of `NOTICES`' events `hub` emits from now on; returns the unsubscribe. */
export function watchSecurityChanges(ctx: Deps, hub: Pick<ProviderEventEmitter, 'on'>): () => void {
  const stops = (Object.keys(NOTICES) as NoticeEvent[]).map((name) =>
    hub.on(name, (data: ProviderEvents[NoticeEvent]) => {
      const happened = (NOTICES[name] as (data: unknown) => string)(data);
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
export function noticeEmailChanged(previous: { sub: string; username: string; email?: string | undefined; email_verified?: boolean }, actor: string, ctx: Deps): void {
  if (previous.email === undefined || previous.email_verified !== true) return;
  mailInBackground(ctx, notice(previous, previous.email, `the email address was changed from ${previous.email} (mail no longer comes here)`, actor, ctx), { sub: previous.sub, purpose: 'security notice' });
}

/**
 * Tells a verified address that `account` signed in from a browser it had not used before
 * (accounts/known-browsers.ts), and where from (`origin`: "Firefox on Linux, from 198.51.100.4").
 */
export function noticeNewBrowser(account: { sub: string; username: string; email: string }, origin: string | undefined, ctx: Deps): void {
  const happened = `someone signed in from a browser this account had not used before${origin === undefined ? '' : ` (${origin})`}`;
  mailInBackground(ctx, notice(account, account.email, happened, undefined, ctx, ''), { sub: account.sub, purpose: 'security notice' });
}

/**
 * Tells a verified address that its account (`deleted`, as it was) is gone, by whom — the one
 * notice whose advice cannot be to sign in and change the password.
 */
export function noticeAccountDeleted(deleted: { sub: string; username: string; email?: string | undefined; email_verified?: boolean }, actor: string, ctx: Deps): void {
  if (deleted.email === undefined || deleted.email_verified !== true) return;
  const advice = 'If it was not, tell your administrator at once: the account, its sign-ins and what it had allowed applications are gone, and its username is free for anyone to take.';
  mailInBackground(ctx, notice(deleted, deleted.email, 'the account was deleted', actor, ctx, byWhom(actor, deleted.sub), advice), { sub: deleted.sub, purpose: 'security notice' });
}

async function noticeTo(sub: string, happened: string, actor: string | undefined, ctx: Deps): Promise<void> {
  const account = await ctx.storage.accounts.findBySub(sub);
  if (account?.email === undefined || account.email_verified !== true) return;
  mailInBackground(ctx, notice(account, account.email, happened, actor, ctx), { sub, purpose: 'security notice' });
}

/**
 * The notice's mail; `by` says who did it ("from the account itself", "by an administrator";
 * empty: not said); `advice`, what to do if it was not the person.
 */
function notice(
  account: { sub: string; username: string },
  to: string,
  happened: string,
  actor: string | undefined,
  ctx: Deps,
  by = byWhom(actor, account.sub),
  advice = `If it was not, sign in at ${ctx.urls.issuer}/account and change your password (or use "Forgot your password?" on the sign-in page), check your passkeys and two-step verification, and tell your administrator.`,
) {
  const host = new URL(ctx.urls.issuer).host;
  const at = `${new Date(ctx.clock.now() * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return {
    to,
    subject: `Security notice for ${account.username} at ${host}`,
    text: [
      `On the account ${account.username} at ${host}, ${happened} — on ${at}${by === '' ? '' : `, ${by}`}.`,
      '',
      'If this was you, there is nothing to do.',
      advice,
    ].join('\n'),
  };
}

/** Who made a change, from its audit actor: the person, or an administrator (a user or an admin client). */
function byWhom(actor: string | undefined, sub: string): string {
  return actor === undefined || actor === `user:${sub}` ? 'from the account itself' : 'by an administrator';
}
