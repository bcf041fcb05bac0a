/**
 * Signing in at an upstream OpenID Provider (`upstreams/`) from the built-in login page:
 *
 * 1. `POST /interaction/:uid/upstream/:id` — the person chose "Sign in with …": the browser goes
 *    to the upstream's authorization endpoint (code flow, PKCE S256, a state and a nonce, kept in
 *    the interaction), carrying the interaction's uid in a cookie scoped to the callbacks' path.
 * 2. `GET /upstream/:id/callback` — the upstream's answer, in the browser that asked: the state,
 *    the code and the ID token checked (`upstream-client.ts`), the request's secrets spent. An
 *    identity connected to an account signs it in (`amr` `fed`; with two-step verification on,
 *    its code is asked next), the account first brought in step with what the upstream said
 *    where it is set to (`sync_profile`, `sync_groups`). One connected to none waits in the
 *    interaction: the login page (the browser is sent back to it) says so, and signing in there
 *    connects it (`applyInteractionResult`) — or, where the upstream allows, the person makes a
 *    new account of it:
 * 3. `POST /interaction/:uid/upstream-account`.
 *
 * The callback also ends a connection a signed-in person starts from the account console
 * (`upstream-connect.ts`), told apart by its cookie.
 *
 * Nothing here trusts an address the upstream gives to find an account: an identity reaches an
 * existing account only through a sign-in to that account.
 */
import { messagesOf } from '../interaction/language.js';
import type { ProviderContext } from '../core/context.js';
import { AccountInputError } from '../accounts/create-account.js';
import { readCookie, serializeCookie } from '../http/cookies.js';
import { readForm } from '../http/params.js';
import { redirect, type Answer } from '../http/responses.js';
import type { ProtocolRequest } from '../http/protocol-request.js';
import { saveInteraction, verifyCsrfToken, type LoadedInteraction } from '../interaction/interaction.js';
import { applyInteractionResult } from '../interaction/interaction-steps.js';
import { countAgainstAddressQuota, isWithinAddressQuota } from '../interaction/login-throttle.js';
import { cookieOptions } from '../interaction/session.js';
import type { ClientRecord } from '../storage/types.js';
import { UpstreamError } from '../upstreams/upstream-client.js';
import { offeredUpstream, pendingIdentity, redeemUpstreamCallback, UPSTREAM_COOKIE, UPSTREAM_WAIT_SECONDS } from '../upstreams/upstream-providers.js';
import { showLogin, signInAs, startUpstreamOrExplain, withInteraction } from './interaction.js';
import { finishUpstreamConnect, isConnectCallback } from './upstream-connect.js';
import type { Endpoint, RouteInfo } from './types.js';

const UNAVAILABLE = 'That way of signing in is not offered any more. Sign in another way.';

/** `POST /interaction/:uid/upstream/:id`: sends the browser to sign in at the upstream. */
export const upstreamStartEndpoint: Endpoint = async (request, ctx, route) =>
  withInteraction(request, ctx, route, async (interaction, client) => {
    const form = await readForm(request);
    verifyCsrfToken(interaction, form.csrf_token);
    const upstream = await offeredUpstream(route.pathParams.id ?? '', client, ctx);
    if (upstream === undefined) return showLogin(interaction, client, ctx, { error: UNAVAILABLE, status: 400 });
    return startUpstreamOrExplain(interaction, client, upstream, ctx);
  });

/** `GET /upstream/:id/callback`: the upstream's answer (`code`, `state`, `iss`; or `error`). */
export const upstreamCallbackEndpoint: Endpoint = async (request, ctx, route) => {
  const uid = readCookie(request, UPSTREAM_COOKIE) ?? '';
  const connected = isConnectCallback(request) ? await finishUpstreamConnect(request, route.pathParams.id ?? '', ctx) : undefined;
  // A connection's callback without its request waiting: as a sign-in's would be, the error page.
  const answer = connected ?? (await withInteraction(request, ctx, route, (interaction, client) => completeUpstreamSignIn(interaction, client, request, ctx, route), { uid, cookieName: UPSTREAM_COOKIE }));
  return { ...answer, headers: [...answer.headers, 'set-cookie', serializeCookie(UPSTREAM_COOKIE, '', cookieOptions(ctx, 0, '/upstream/'))] };
};

async function completeUpstreamSignIn(interaction: LoadedInteraction, client: ClientRecord, request: ProtocolRequest, ctx: ProviderContext, route: RouteInfo): Promise<Answer> {
  const id = route.pathParams.id ?? '';
  const pending = interaction.record.upstream_request;
  const refused = (reason: string) => ctx.events.emit('login.upstream_refused', { upstream: id, client_id: client.client_id, reason });
  // The request's secrets answer one callback, from the upstream they were sent to, in time.
  if (pending === undefined || pending.upstream_id !== id || ctx.clock.now() - pending.at > UPSTREAM_WAIT_SECONDS) {
    refused('no sign-in of this browser awaits this callback');
    return showLogin(interaction, client, ctx, { error: messagesOf(interaction).errors.upstreamSignInOver, status: 400 });
  }
  delete interaction.record.upstream_request;
  await saveInteraction(interaction, ctx);
  const upstream = await offeredUpstream(id, client, ctx);
  if (upstream === undefined) return showLogin(interaction, client, ctx, { error: UNAVAILABLE, status: 400 });

  let profile;
  try {
    profile = await redeemUpstreamCallback(upstream, request, pending, ctx);
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    const { denied } = error;
    refused(denied ? 'denied' : error.message);
    if (!denied) ctx.logger.warn({ upstream: id, reason: error.message }, 'upstream sign-in failed');
    const message = denied ? `You did not sign in at ${upstream.name}. Sign in another way, or try again.` : `Signing in with ${upstream.name} did not work. Try again, or sign in another way.`;
    return showLogin(interaction, client, ctx, { error: message, status: denied ? 401 : 502 });
  }

  const sub = await ctx.accounts.findUpstreamIdentity!(id, profile.subject);
  if (sub === undefined) {
    // The login page tells what may be done with it: shown at its own address, not the callback's
    // (whose code a reload would send again).
    interaction.record.upstream_identity = { upstream_id: id, at: ctx.clock.now(), profile };
    await saveInteraction(interaction, ctx);
    return redirect(`${ctx.urls.interaction(interaction.uid)}/login`, 303);
  }
  const account = await ctx.accounts.findById(sub);
  if (account === undefined) {
    refused('the account it is connected to may not sign in');
    return showLogin(interaction, client, ctx, { error: messagesOf(interaction).errors.upstreamAccountDisabled, status: 403 });
  }
  delete interaction.record.upstream_identity;
  if ((upstream.sync_profile || upstream.sync_groups) && ctx.accounts.updateFromUpstream !== undefined) {
    const fields = await ctx.accounts.updateFromUpstream(sub, profile, { profile: upstream.sync_profile, groups: upstream.sync_groups });
    if (fields.length > 0) ctx.events.emit('user.updated', { sub, fields, actor: `upstream:${id}` });
  }
  return signInAs(account, ['fed'], interaction, client, request, ctx, route);
}

/**
 * `POST /interaction/:uid/upstream-account`: makes an account of the identity that came back
 * connected to none (where its upstream allows it; `accounts.createFromUpstream`), counted as a
 * registration from the address, and signs it in.
 */
export const upstreamAccountEndpoint: Endpoint = async (request, ctx, route) =>
  withInteraction(request, ctx, route, async (interaction, client) => {
    const form = await readForm(request);
    verifyCsrfToken(interaction, form.csrf_token);
    const pending = pendingIdentity(interaction, ctx);
    const upstream = pending && (await offeredUpstream(pending.upstream_id, client, ctx));
    if (pending === undefined || upstream === undefined || !upstream.create_accounts) {
      delete interaction.record.upstream_identity;
      await saveInteraction(interaction, ctx);
      return showLogin(interaction, client, ctx, { error: messagesOf(interaction).errors.upstreamNoNewAccount, status: 400 });
    }
    if (!(await isWithinAddressQuota('accounts', route.remoteAddress, ctx))) {
      ctx.events.emit('account.registration_throttled', { address: route.remoteAddress });
      return showLogin(interaction, client, ctx, { error: messagesOf(interaction).errors.tooManyAccounts, status: 429 });
    }
    let account;
    try {
      account = await ctx.accounts.createFromUpstream!(upstream.id, pending.profile, { groups: upstream.sync_groups });
    } catch (error) {
      if (!(error instanceof AccountInputError)) throw error;
      delete interaction.record.upstream_identity;
      await saveInteraction(interaction, ctx);
      return showLogin(interaction, client, ctx, { error: `No account could be made of that sign-in: ${error.problems.join('; ')}.`, status: 409 });
    }
    await countAgainstAddressQuota('accounts', route.remoteAddress, ctx);
    ctx.events.emit('account.registered', { sub: account.sub, username: account.username, client_id: client.client_id, upstream: upstream.id });
    delete interaction.record.upstream_identity;
    return applyInteractionResult(interaction, client, request, { login: { accountId: account.sub, amr: ['fed'] } }, ctx, route.remoteAddress);
  });
