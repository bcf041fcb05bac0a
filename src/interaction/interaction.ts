import type { ProviderContext } from '../core/context.js';
import { InvalidRequest } from '../core/errors.js';
import { readCookie, serializeCookie } from '../http/cookies.js';
import type { AuthorizationRequest, InteractionRecord } from '../storage/types.js';
import { digestSecret, timingSafeEqualStrings } from '../util/digest.js';
import { randomToken } from '../util/random.js';
import { cookieOptions } from './session.js';
import type { ProtocolRequest } from '../http/protocol-request.js';
import { languageOfRequest } from './language.js';

/**
 * Cookie binding an interaction to the browser that started it, scoped to the interaction's
 * path so that several can run in parallel tabs. A login or consent page URL sent to someone
 * else is useless to them.
 */
export const INTERACTION_COOKIE = 'latchkey_interaction';

/**
 * Starts the login / consent interaction for a validated request, from the `browser`'s request:
 * its pages speak the language the request's `ui_locales` and the browser prefer.
 */
export async function startInteraction(
  request: AuthorizationRequest,
  ctx: ProviderContext,
  browser: ProtocolRequest,
  options: Pick<InteractionRecord, 'device_code_id' | 'prompt' | 'account_sub'> = {},
): Promise<{ uid: string; setCookie: string }> {
  const uid = randomToken();
  const lang = languageOfRequest(browser, ctx, request.ui_locales);
  const record: InteractionRecord = { request, csrf_token: randomToken(), created_at: ctx.clock.now(), lang, ...options };
  const ttl = ctx.config.interactionTtlSeconds;
  await ctx.storage.artifacts.put('interaction', digestSecret(uid), record, ttl);
  const setCookie = serializeCookie(INTERACTION_COOKIE, uid, cookieOptions(ctx, ttl, interactionPath(uid)));
  return { uid, setCookie };
}

/** An interaction loaded for a request of the browser it is bound to. */
export interface LoadedInteraction {
  uid: string;
  id: string;
  record: InteractionRecord;
}

/**
 * Loads the interaction `uid` for this browser.
 * @throws InvalidRequest when it is unknown, expired, finished, or bound to another browser.
 */
export async function loadInteraction(
  request: ProtocolRequest,
  uid: string,
  ctx: ProviderContext,
  /** The cookie that binds the browser: the interaction's, or another holding its uid on a path of its own (`upstreams/`). */
  cookieName: string = INTERACTION_COOKIE,
): Promise<LoadedInteraction> {
  // An error is made only when thrown: making one captures a stack trace.
  const expired = () => new InvalidRequest('this sign-in request has expired or is already complete; start again from the application');
  if (uid.length > 128) throw expired();
  const cookie = readCookie(request, cookieName);
  if (cookie === undefined || !timingSafeEqualStrings(cookie, uid)) {
    throw new InvalidRequest('this sign-in request was started in another browser; start again from the application');
  }
  const id = digestSecret(uid);
  const record = await ctx.storage.artifacts.find('interaction', id);
  if (!record) throw expired();
  return { uid, id, record };
}

/** Whether interaction `uid` is still going (not expired, not finished), whatever browser asks. */
export async function isInteractionGoing(uid: string, ctx: ProviderContext): Promise<boolean> {
  return uid.length <= 128 && (await ctx.storage.artifacts.find('interaction', digestSecret(uid))) !== undefined;
}

/** Saves a changed interaction for the rest of its lifetime. */
export async function saveInteraction(interaction: LoadedInteraction, ctx: ProviderContext): Promise<void> {
  const remaining = interaction.record.created_at + ctx.config.interactionTtlSeconds - ctx.clock.now();
  await ctx.storage.artifacts.put('interaction', interaction.id, interaction.record, Math.max(remaining, 1));
}

/** Ends an interaction: its record is deleted and its cookie cleared. Returns the `Set-Cookie`. */
export async function finishInteraction(interaction: LoadedInteraction, ctx: ProviderContext): Promise<string> {
  await ctx.storage.artifacts.delete('interaction', interaction.id);
  return serializeCookie(INTERACTION_COOKIE, '', cookieOptions(ctx, 0, interactionPath(interaction.uid)));
}

/**
 * Checks the synchronizer CSRF token of a form POST (DESIGN.md: every form POST carries one).
 * @throws InvalidRequest
 */
export function verifyCsrfToken(interaction: LoadedInteraction, presented: string | undefined): void {
  if (presented === undefined || !timingSafeEqualStrings(presented, interaction.record.csrf_token)) {
    throw new InvalidRequest('the form has expired; reload the page and try again');
  }
}

function interactionPath(uid: string): string {
  return `/interaction/${encodeURIComponent(uid)}`;
}
