/**
 * Upstream OpenID Providers people may sign in with (`Storage.upstreams`): where their callback
 * is, their client secret sealed and opened, and what the login page offers of them.
 */
import type { ProviderContext } from '../core/context.js';
import { serializeCookie } from '../http/cookies.js';
import { redirect, type Answer } from '../http/responses.js';
import { saveInteraction, type LoadedInteraction } from '../interaction/interaction.js';
import type { LoginPageInput } from '../interaction/pages.js';
import { cookieOptions } from '../interaction/session.js';
import type { ClientRecord, UpstreamProviderRecord } from '../storage/types.js';
import { seal, unseal } from '../util/seal.js';
import type { ProtocolRequest } from '../http/protocol-request.js';
import { authorizationUrl, newRequestSecrets, redeemCallback, type UpstreamProfile, type UpstreamRequestSecrets } from './upstream-client.js';

/** How long a person has to come back from an upstream, and to decide what to do with an identity connected to no account. */
export const UPSTREAM_WAIT_SECONDS = 600;

/** The cookie that carries an interaction's uid to the upstream callback (the interaction's own is scoped to its path). */
export const UPSTREAM_COOKIE = 'latchkey_upstream';

const SECRET_PURPOSE = 'upstream client secret';

/** The redirect URI to register at the upstream: one per upstream, so that a callback names who answers it (RFC 9700 §4.4.2). */
export function upstreamCallbackUrl(issuer: string, id: string): string {
  return `${issuer}/upstream/${id}/callback`;
}

export function sealUpstreamSecret(secret: string, masterSecret: string): Promise<string> {
  return seal(secret, masterSecret, SECRET_PURPOSE);
}

export function openUpstreamSecret(upstream: UpstreamProviderRecord, masterSecret: string): Promise<string | undefined> {
  return upstream.sealed_client_secret === undefined ? Promise.resolve(undefined) : unseal<string>(upstream.sealed_client_secret, masterSecret, SECRET_PURPOSE);
}

/**
 * Redeems the upstream's callback `request` for the request `secrets` stood for: its client
 * secret opened, the code redeemed at its token endpoint, the person's profile checked.
 * @throws UpstreamError
 */
export async function redeemUpstreamCallback(upstream: UpstreamProviderRecord, request: ProtocolRequest, secrets: UpstreamRequestSecrets, ctx: ProviderContext): Promise<UpstreamProfile> {
  const clientSecret = await openUpstreamSecret(upstream, ctx.config.secret!);
  return redeemCallback(upstream, clientSecret, new URL(request.url), upstreamCallbackUrl(ctx.urls.issuer, upstream.id), secrets, ctx.clock.now());
}

/** Whether the accounts can sign people in through upstreams (latchkey's built-in accounts can). */
export function offersUpstreams(ctx: ProviderContext): boolean {
  const { accounts } = ctx;
  return accounts.findUpstreamIdentity !== undefined && accounts.connectUpstreamIdentity !== undefined && accounts.createFromUpstream !== undefined && ctx.config.secret !== undefined;
}

/**
 * Whether `client` offers its users the upstream `id`: every upstream unless an administrator
 * set its `allowed_upstreams` (none, with an empty list).
 */
export function clientAllowsUpstream(client: ClientRecord, id: string): boolean {
  return client.allowed_upstreams === undefined || client.allowed_upstreams.includes(id);
}

/** The enabled upstream `id`, when upstream sign-in is offered at all (the account console's connections). */
export async function enabledUpstream(id: string, ctx: ProviderContext): Promise<UpstreamProviderRecord | undefined> {
  if (!offersUpstreams(ctx)) return undefined;
  const upstream = await ctx.storage.upstreams.find(id);
  return upstream !== undefined && !upstream.disabled ? upstream : undefined;
}

/** `enabledUpstream`, when `client` offers it too (a sign-in for that client). */
export async function offeredUpstream(id: string, client: ClientRecord, ctx: ProviderContext): Promise<UpstreamProviderRecord | undefined> {
  return clientAllowsUpstream(client, id) ? enabledUpstream(id, ctx) : undefined;
}

/**
 * Sends the browser of `interaction` to sign in at `upstream`: the code flow with PKCE, a state
 * and a nonce (kept in the interaction until the callback), the interaction's uid in the
 * callbacks' cookie.
 * @throws UpstreamError when the upstream cannot be reached (its metadata).
 */
export async function startUpstreamSignIn(interaction: LoadedInteraction, upstream: UpstreamProviderRecord, ctx: ProviderContext): Promise<Answer> {
  const secrets = newRequestSecrets();
  const location = await authorizationUrl(upstream, upstreamCallbackUrl(ctx.urls.issuer, upstream.id), secrets, ctx.clock.now());
  interaction.record.upstream_request = { upstream_id: upstream.id, ...secrets, at: ctx.clock.now() };
  await saveInteraction(interaction, ctx);
  return redirect(location, 303, { 'set-cookie': serializeCookie(UPSTREAM_COOKIE, interaction.uid, cookieOptions(ctx, UPSTREAM_WAIT_SECONDS, '/upstream/')) });
}

/**
 * The upstream the authorization request's `idp_hint` names, when the login step should go
 * straight there instead of drawing the login page: an upstream offered to the client, and only
 * the first time — coming back from it (a refusal, an identity connected to no account) shows the
 * login page.
 */
export async function hintedUpstream(interaction: LoadedInteraction, client: ClientRecord, ctx: ProviderContext): Promise<UpstreamProviderRecord | undefined> {
  const hint = interaction.record.request.idp_hint;
  if (hint === undefined || interaction.record.upstream_hint_followed) return undefined;
  return offeredUpstream(hint, client, ctx);
}

/**
 * What the login page shows of upstreams in `interaction` of `client`: a button for each enabled
 * one the client offers, and — when the person came back from one with an identity connected to
 * no account — what they may do.
 */
export async function upstreamSignInOf(interaction: LoadedInteraction, client: ClientRecord, ctx: ProviderContext): Promise<Pick<LoginPageInput, 'upstreams' | 'upstreamIdentity'>> {
  if (!offersUpstreams(ctx)) return {};
  const enabled = (await ctx.storage.upstreams.list()).filter((upstream) => !upstream.disabled && clientAllowsUpstream(client, upstream.id));
  const base = ctx.urls.interaction(interaction.uid);
  const pending = pendingIdentity(interaction, ctx);
  const pendingUpstream = pending && enabled.find((upstream) => upstream.id === pending.upstream_id);
  return {
    ...(enabled.length === 0 ? {} : { upstreams: enabled.map((upstream) => ({ name: upstream.name, action: `${base}/upstream/${upstream.id}` })) }),
    ...(pending === undefined || pendingUpstream === undefined
      ? {}
      : {
          upstreamIdentity: {
            name: pendingUpstream.name,
            ...(pending.profile.email === undefined ? {} : { email: pending.profile.email }),
            ...(pendingUpstream.create_accounts ? { createAction: `${base}/upstream-account` } : {}),
          },
        }),
  };
}

/** The identity awaiting an account in `interaction`, while it may still be used. */
export function pendingIdentity(interaction: LoadedInteraction, ctx: ProviderContext): NonNullable<LoadedInteraction['record']['upstream_identity']> | undefined {
  const pending = interaction.record.upstream_identity;
  return pending !== undefined && ctx.clock.now() - pending.at <= UPSTREAM_WAIT_SECONDS ? pending : undefined;
}

/**
 * After a sign-in here while an identity that came back connected to no account waits in the
 * interaction (a sign-in through an upstream takes it out first): connects it to the account that
 * signed in, and tells the event. A conflict (connected meanwhile, or the account has one there
 * already) connects nothing; the sign-in stands.
 */
export async function connectPendingIdentity(interaction: LoadedInteraction, sub: string, ctx: ProviderContext): Promise<void> {
  const pending = pendingIdentity(interaction, ctx);
  delete interaction.record.upstream_identity;
  if (pending === undefined || !offersUpstreams(ctx)) return;
  if (await ctx.accounts.connectUpstreamIdentity!(sub, pending.upstream_id, pending.profile)) {
    ctx.events.emit('user.upstream_connected', { sub, upstream: pending.upstream_id, actor: `user:${sub}` });
  }
}
