import type { ProviderContext } from '../core/context.js';
import { sendOutbound } from '../http/outbound.js';
import { serializeCookie } from '../http/cookies.js';
import type { ClientRecord, SessionRecord } from '../storage/types.js';
import { issueLogoutToken } from '../tokens/logout-token.js';
import { cookieOptions, SESSION_COOKIE, type ActiveSession } from './session.js';

/** Back-channel delivery: attempts and the wait before each retry (ms). */
const BACKCHANNEL_RETRY_DELAYS_MS = [1000, 4000];

/** What ending a session leaves to the logged-out page. */
export interface EndedSession {
  /** Front-channel logout URIs (with `iss` and `sid`) to load in iframes. */
  frontchannelUris: string[];
  /** `Set-Cookie` clearing the session cookie. */
  clearCookie: string;
}

/**
 * Ends a login session (the user's logout, or an administrator's: `actor`): the session is deleted, the grants made in it are revoked
 * with every token of theirs unless given `offline_access` (OIDC Core §11), each client with a `backchannel_logout_uri`
 * gets a logout token POSTed in the background (OIDC Back-Channel Logout §2.5), and the
 * front-channel URIs of the others are returned for the logged-out page (Front-Channel Logout §3).
 */
export async function endSession(session: ActiveSession, ctx: ProviderContext, options: { actor?: string } = {}): Promise<EndedSession> {
  const { sid, sub } = session.record;
  const clientIds = await ctx.storage.tokens.clientsOfSession(sid);
  await ctx.storage.artifacts.delete('session', session.id);
  await ctx.storage.tokens.revokeSession(sid, ctx.clock.now());
  ctx.events.emit('session.ended', { sid, sub, clients: clientIds, ...(options.actor === undefined ? {} : { actor: options.actor }) });

  const frontchannelUris: string[] = [];
  for (const client_id of clientIds) {
    const client = await ctx.storage.clients.find(client_id);
    if (!client) continue;
    if (client.backchannel_logout_uri !== undefined) void deliverBackchannelLogout(client, session.record, ctx);
    if (client.frontchannel_logout_uri !== undefined) frontchannelUris.push(frontchannelUri(client.frontchannel_logout_uri, sid, ctx));
  }
  return { frontchannelUris, clearCookie: serializeCookie(SESSION_COOKIE, '', cookieOptions(ctx, 0, '')) };
}

/**
 * Ends every login session of `sub` as `endSession` ends one, but the one whose `sid` is
 * `options.keepSid` (the browser asking, when a person signs out their other sessions).
 * @returns how many were ended.
 */
export async function endSessionsOf(sub: string, ctx: ProviderContext, options: { actor: string; keepSid?: string | undefined }): Promise<number> {
  let ended = 0;
  for (;;) {
    const page = await ctx.storage.artifacts.list('session', { owner: sub, limit: 100 });
    const others = page.items.filter((session) => session.value.sid !== options.keepSid);
    for (const session of others) await endSession({ id: session.id, record: session.value }, ctx, { actor: options.actor });
    ended += others.length;
    if (page.next === undefined || others.length === 0) return ended;
  }
}

/** Front-Channel Logout §2: the client's URI with `iss` and `sid` added. */
function frontchannelUri(uri: string, sid: string, ctx: ProviderContext): string {
  const url = new URL(uri);
  url.searchParams.set('iss', ctx.config.issuer);
  url.searchParams.set('sid', sid);
  return url.href;
}

/**
 * POSTs a logout token to the client's `backchannel_logout_uri` under the outbound policy
 * (timeout, no redirects to where it should not go). A 2xx is delivered; a 4xx is the RP saying
 * it failed (not retried); a 5xx or no answer is retried twice, after 1 s and 4 s. Never throws:
 * the user's logout does not wait on, or fail with, a relying party.
 */
export async function deliverBackchannelLogout(client: ClientRecord, session: SessionRecord, ctx: ProviderContext): Promise<void> {
  const uri = client.backchannel_logout_uri!;
  for (let attempt = 0; ; attempt++) {
    let outcome: string;
    try {
      const logout_token = await issueLogoutToken(client, { sub: session.sub, sid: session.sid }, ctx);
      const response = await sendOutbound(ctx.outbound.transport, uri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ logout_token }).toString(),
      }, ctx.outbound.limits);
      if (response.status >= 200 && response.status < 300) {
        ctx.events.emit('backchannel_logout.delivered', { client_id: client.client_id, sid: session.sid, attempts: attempt + 1 });
        return;
      }
      outcome = `answered ${response.status}`;
      if (response.status < 500) attempt = BACKCHANNEL_RETRY_DELAYS_MS.length;
    } catch (error) {
      outcome = error instanceof Error ? error.message : 'failed';
    }
    if (attempt >= BACKCHANNEL_RETRY_DELAYS_MS.length) {
      ctx.logger.warn({ client_id: client.client_id, uri, outcome }, 'back-channel logout not delivered');
      ctx.events.emit('backchannel_logout.failed', { client_id: client.client_id, sid: session.sid, outcome });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, BACKCHANNEL_RETRY_DELAYS_MS[attempt]));
  }
}
