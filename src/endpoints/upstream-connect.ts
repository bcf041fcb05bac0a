/**
 * Connecting an identity at an upstream provider to the account a person is signed in to, from
 * the account console: `startUpstreamConnect` sends the browser to sign in there (the request's
 * secrets kept as an artifact for ten minutes, named by a random value in the callback's cookie),
 * and the upstream's callback (`GET /upstream/:id/callback`, which tells the two kinds of request
 * apart by that cookie) connects what comes back, then sends the browser back to the console with
 * a notice. An identity connected to another account stays where it is.
 */
import type { ProviderContext } from '../core/context.js';
import { readCookie, serializeCookie } from '../http/cookies.js';
import { redirect, type Answer } from '../http/responses.js';
import type { ProtocolRequest } from '../http/protocol-request.js';
import { cookieOptions } from '../interaction/session.js';
import { digestSecret } from '../util/digest.js';
import { randomToken } from '../util/random.js';
import { authorizationUrl, newRequestSecrets, UpstreamError } from '../upstreams/upstream-client.js';
import { enabledUpstream, redeemUpstreamCallback, UPSTREAM_COOKIE, UPSTREAM_WAIT_SECONDS, upstreamCallbackUrl } from '../upstreams/upstream-providers.js';

/** What the upstream cookie holds for a connection from the console: this, then the artifact's name. */
const CONNECT_PREFIX = 'connect.';

/** How a connection ended, as the console's notice names it. */
export type UpstreamConnectOutcome = 'upstream-connected' | 'upstream-taken' | 'upstream-not-connected' | 'upstream-failed';

/**
 * Starts connecting `sub`'s identity at upstream `id`: where to send the browser and the cookie to
 * set, or undefined when that upstream is not offered. `returnTo`: the console's page, where the
 * browser comes back with `?notice=` and an `UpstreamConnectOutcome`.
 * @throws UpstreamError when the upstream cannot be reached.
 */
export async function startUpstreamConnect(sub: string, id: string, returnTo: string, ctx: ProviderContext): Promise<{ location: string; setCookie: string } | undefined> {
  const upstream = await enabledUpstream(id, ctx);
  if (upstream === undefined) return undefined;
  const secrets = newRequestSecrets();
  const location = await authorizationUrl(upstream, upstreamCallbackUrl(ctx.urls.issuer, id), secrets, ctx.clock.now());
  const name = randomToken();
  await ctx.storage.artifacts.put('upstream_connect', digestSecret(name), { sub, upstream_id: id, ...secrets, return_to: returnTo }, UPSTREAM_WAIT_SECONDS);
  return { location, setCookie: serializeCookie(UPSTREAM_COOKIE, `${CONNECT_PREFIX}${name}`, cookieOptions(ctx, UPSTREAM_WAIT_SECONDS, '/upstream/')) };
}

/** Whether the callback's cookie names a connection from the console (rather than a sign-in's interaction). */
export function isConnectCallback(request: ProtocolRequest): boolean {
  return readCookie(request, UPSTREAM_COOKIE)?.startsWith(CONNECT_PREFIX) === true;
}

/**
 * The callback of a connection from the console: its request spent whatever comes back; the
 * identity connected when the callback holds and it is connected to no other account; the browser
 * sent back to the console. Without a request waiting (spent, expired, another browser's): the
 * error page's words, as for a sign-in.
 */
export async function finishUpstreamConnect(request: ProtocolRequest, id: string, ctx: ProviderContext): Promise<Answer | undefined> {
  const name = readCookie(request, UPSTREAM_COOKIE)!.slice(CONNECT_PREFIX.length);
  const pending = name.length > 128 ? undefined : await ctx.storage.artifacts.consume('upstream_connect', digestSecret(name));
  if (pending === undefined || pending.replayed || pending.value.upstream_id !== id) return undefined;
  const { sub, return_to, ...secrets } = pending.value;
  const back = (outcome: UpstreamConnectOutcome) => redirect(`${return_to}?notice=${outcome}`, 303);
  const upstream = await enabledUpstream(id, ctx);
  if (upstream === undefined || (await ctx.accounts.findById(sub)) === undefined) return back('upstream-failed');
  let profile;
  try {
    profile = await redeemUpstreamCallback(upstream, request, secrets, ctx);
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    const { denied } = error;
    if (!denied) ctx.logger.warn({ upstream: id, reason: error.message }, 'upstream connection failed');
    return back(denied ? 'upstream-not-connected' : 'upstream-failed');
  }
  if (await ctx.accounts.connectUpstreamIdentity!(sub, id, profile)) {
    ctx.events.emit('user.upstream_connected', { sub, upstream: id, actor: `user:${sub}` });
    return back('upstream-connected');
  }
  // Connected already — to this account (nothing to do) or to another (it stays there).
  return back((await ctx.accounts.findUpstreamIdentity!(id, profile.subject)) === sub ? 'upstream-connected' : 'upstream-taken');
}
