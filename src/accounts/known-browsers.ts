/**
 * Sign-ins from a browser an account had not used before, told by mail (a security notice). With
 * a mailer, a browser that signs in gets a cookie of its own (`latchkey_browser`: 256 random bits,
 * a year and a month, HttpOnly), and the account remembers it — as the digest of that value, an
 * artifact kept as long as the cookie — so that its next sign-in there is a known one. A sign-in
 * from any other browser (another device, a private window, cookies cleared, someone else) is
 * told at the account's verified address, with where it came from. The first browser an account
 * signs in with is remembered without a notice: that sign-in is the person's first, not news.
 *
 * Nothing is kept, and no cookie set, without a mailer or for an account without a verified
 * address: there is no one to tell.
 */
import type { ProviderContext } from '../core/context.js';
import { readCookie, serializeCookie } from '../http/cookies.js';
import type { ProtocolRequest } from '../http/protocol-request.js';
import { cookieOptions } from '../interaction/session.js';
import { sessionOrigin } from '../interaction/session-origin.js';
import type { SessionRecord } from '../storage/types.js';
import { digestSecret } from '../util/digest.js';
import { randomToken } from '../util/random.js';
import { noticeNewBrowser } from './security-notices.js';

/** The cookie that names a browser to the accounts that signed in with it. */
export const BROWSER_COOKIE = 'latchkey_browser';

/** How long a browser is remembered, and its cookie kept: 400 days, the longest browsers allow. */
const REMEMBERED_SECONDS = 400 * 86_400;

/** A remembered browser is remembered anew (its time extended) at a sign-in this long after the last. */
const REFRESH_AFTER_SECONDS = 30 * 86_400;

/** What a browser cookie looks like (`randomToken()`: 43 base64url characters). */
const BROWSER_VALUE = /^[A-Za-z0-9_-]{43}$/;

/**
 * After a login in `session`: remembers the browser of `request` for the account and, when the
 * account had signed in before and never from it, tells the person. Answers the `Set-Cookie` for
 * a browser that had no cookie yet (or a malformed one).
 */
export async function rememberBrowser(request: ProtocolRequest, session: SessionRecord, ctx: ProviderContext): Promise<string | undefined> {
  if (ctx.mailer === undefined) return undefined;
  const account = await ctx.storage.accounts.findBySub(session.sub);
  if (account?.email === undefined || !account.email_verified) return undefined;

  const sent = readCookie(request, BROWSER_COOKIE);
  const value = sent !== undefined && BROWSER_VALUE.test(sent) ? sent : randomToken();
  const setCookie = value === sent ? undefined : serializeCookie(BROWSER_COOKIE, value, cookieOptions(ctx, REMEMBERED_SECONDS, ''));
  const id = `${account.sub} ${digestSecret(value)}`;
  const now = ctx.clock.now();
  const known = await ctx.storage.artifacts.find('known_browser', id);
  if (known !== undefined) {
    if (now - known.seen_at >= REFRESH_AFTER_SECONDS) {
      // The account's marker too: it must outlive every browser the account keeps.
      await ctx.storage.artifacts.put('known_browser', account.sub, { seen_at: now }, REMEMBERED_SECONDS);
      await ctx.storage.artifacts.put('known_browser', id, { seen_at: now }, REMEMBERED_SECONDS);
    }
    return setCookie;
  }
  // The account's marker: it has signed in with some browser before.
  const signedInBefore = (await ctx.storage.artifacts.find('known_browser', account.sub)) !== undefined;
  await ctx.storage.artifacts.put('known_browser', account.sub, { seen_at: now }, REMEMBERED_SECONDS);
  await ctx.storage.artifacts.put('known_browser', id, { seen_at: now }, REMEMBERED_SECONDS);
  if (signedInBefore) {
    noticeNewBrowser({ sub: account.sub, username: account.username, email: account.email, claims: account.claims }, sessionOrigin(session), ctx);
    ctx.events.emit('login.new_browser', { sub: account.sub, ...(session.address === undefined ? {} : { address: session.address }) });
  }
  return setCookie;
}
