import type { ProviderContext } from '../core/context.js';
import { readCookie, serializeCookie } from '../http/cookies.js';
import type { SessionRecord } from '../storage/types.js';
import { digestSecret } from '../util/digest.js';
import { randomId, randomToken } from '../util/random.js';
import type { ProtocolRequest } from '../http/protocol-request.js';

/** Name of the login-session cookie. Its value is a 256-bit secret; storage keeps its digest. */
export const SESSION_COOKIE = 'latchkey_session';

/** A login session found from the request's cookie. */
export interface ActiveSession {
  record: SessionRecord;
  /** Digest of the cookie value: the session's storage id. */
  id: string;
}

/**
 * The request's login session, if its cookie names an unexpired session whose account may still
 * sign in.
 */
export async function readSession(request: ProtocolRequest, ctx: ProviderContext): Promise<ActiveSession | undefined> {
  const value = readCookie(request, SESSION_COOKIE);
  if (value === undefined || value.length > 128) return undefined;
  const id = digestSecret(value);
  const record = await ctx.storage.artifacts.find('session', id);
  if (!record) return undefined;
  if (!(await ctx.accounts.findById(record.sub))) return undefined;
  return { id, record };
}

/** How someone logged in: who, by which methods (`amr`), at which assurance level (`acr`), from where. */
export interface Login {
  sub: string;
  amr: string[];
  acr?: string;
  /** The browser's `User-Agent` (kept to 256 characters). */
  userAgent?: string | null;
  address?: string | undefined;
}

const MAX_USER_AGENT_LENGTH = 256;

/**
 * Starts a login session and returns its `Set-Cookie` header. A new cookie on every login: a
 * value planted before login is never promoted (session fixation). A previous session of this
 * browser is replaced — by the same account (a login asked again, a step up), the session goes
 * on under its `sid`, so that the grants made in it before are still the session's when it ends.
 */
export async function startSession(
  login: Login,
  previous: ActiveSession | undefined,
  ctx: ProviderContext,
): Promise<{ record: SessionRecord; setCookie: string }> {
  if (previous) await ctx.storage.artifacts.delete('session', previous.id);
  const value = randomToken();
  const { sub, amr, acr, userAgent, address } = login;
  const record: SessionRecord = {
    sid: previous !== undefined && previous.record.sub === sub ? previous.record.sid : randomId(),
    sub,
    auth_time: ctx.clock.now(),
    amr,
    ...(acr === undefined ? {} : { acr }),
    ...(userAgent ? { user_agent: userAgent.slice(0, MAX_USER_AGENT_LENGTH) } : {}),
    ...(address === undefined ? {} : { address }),
  };
  await ctx.storage.artifacts.put('session', digestSecret(value), record, ctx.config.sessionTtlSeconds);
  ctx.events.emit('session.started', { sid: record.sid, sub });
  return { record, setCookie: serializeCookie(SESSION_COOKIE, value, cookieOptions(ctx, ctx.config.sessionTtlSeconds, '')) };
}

/**
 * Cookie attributes under this issuer: Secure when it is https, scoped to its path.
 * SameSite=Lax: the cookie must come along on the top-level navigation from the client's site
 * to /authorize, and must not on cross-site subrequests.
 */
export function cookieOptions(ctx: ProviderContext, maxAge: number, subPath: string) {
  return {
    path: `${ctx.urls.basePath}${subPath}` || '/',
    maxAge,
    secure: ctx.urls.issuer.startsWith('https:'),
    sameSite: 'Lax' as const,
  };
}
