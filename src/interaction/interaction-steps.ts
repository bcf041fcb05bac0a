/**
 * The one mechanism behind every login and consent page: an interaction result (the user logged
 * in, consented, or refused) is applied to the interaction, and the authorization goes on to the
 * next step — another page, or the answer to the client. The built-in pages and a host
 * application's own pages (`provider.interactions`) both end here.
 */
import { connectPendingIdentity } from '../upstreams/upstream-providers.js';
import { mayUseClient, NOT_IN_ALLOWED_GROUPS } from '../accounts/groups.js';
import { rememberBrowser } from '../accounts/known-browsers.js';
import { claimsBeyondScopes } from '../core/claims-request.js';
import type { ProviderContext } from '../core/context.js';
import {
  AccessDenied,
  AccountSelectionRequired,
  ConsentRequired,
  InteractionRequired,
  InvalidRequest,
  LoginRequired,
  type OAuthError,
  UnmetAuthenticationRequirements,
  UNMET_DESCRIPTION,
} from '../core/errors.js';
import { html, redirect, type Answer } from '../http/responses.js';
import type { AuthorizationRequest, ClientRecord, InteractionResult, RequestedClaims, SessionRecord } from '../storage/types.js';
import { decideDeviceCode } from '../tokens/device-code.js';
import { subjectFor } from '../tokens/subject.js';
import { respondWithError } from './authorization-response.js';
import { responseTargetOf } from './authorization-request.js';
import { completeAuthorization } from './complete-authorization.js';
import { finishInteraction, saveInteraction, type LoadedInteraction } from './interaction.js';
import type { ClientDisplay } from './pages.js';
import { languageOf } from './language.js';
import { acrOfLogin, sessionCanStepUp } from './assurance.js';
import { decideNextStep, type NextStep } from './prompt-policy.js';
import { sendEmailVerification } from './email-verification.js';
import { readSession, startSession } from './session.js';
import type { ProtocolRequest } from '../http/protocol-request.js';

/** What the user must do next in `interaction`, given the browser's session. */
export async function nextStepOf(
  interaction: LoadedInteraction,
  client: ClientRecord,
  session: SessionRecord | undefined,
  ctx: ProviderContext,
): Promise<NextStep> {
  const { request } = interaction.record;
  const consent = session ? await ctx.storage.consents.find(session.sub, request.client_id) : undefined;
  return decideNextStep({
    request,
    session,
    interaction: interaction.record,
    consent,
    skipConsent: client.skip_consent === true,
    now: ctx.clock.now(),
    subjectOf: (sub) => subjectFor(client, sub, ctx),
    canStepUp: await sessionCanStepUp(session, request, ctx),
    mayUseClient: session === undefined || (await mayUseClient(client, session.sub, ctx)),
  });
}

/**
 * Applies `result` to the interaction for the browser of `request`, then continues: to the
 * client when nothing more is needed, else back to the interaction's page for the next step.
 * A login starts a new session (a new cookie); a consent is remembered for the account and
 * narrows this authorization to what was granted; an error goes to the client.
 */
export async function applyInteractionResult(
  interaction: LoadedInteraction,
  client: ClientRecord,
  request: ProtocolRequest,
  result: InteractionResult,
  ctx: ProviderContext,
  /** The browser's address (the session remembers where its login came from). */
  address?: string,
): Promise<Answer> {
  if ('error' in result) return refuse(interaction, client, result, ctx);

  const headers = new Headers();
  const current = await readSession(request, ctx);
  let session = current?.record;
  if (result.login) {
    const account = await ctx.accounts.findById(result.login.accountId);
    if (!account) throw new InvalidRequest('the account may not sign in');
    if (ctx.config.requireVerifiedEmail && account.unconfirmedEmail !== undefined) return holdBackUnconfirmed(interaction, client, { ...account, unconfirmedEmail: account.unconfirmedEmail }, ctx);
    delete interaction.record.unconfirmed_email;
    const amr = result.login.amr ?? [];
    const acr = acrOfLogin(amr, result.login.acr);
    const started = await startSession({ sub: account.sub, amr, ...(acr === undefined ? {} : { acr }), userAgent: request.headers.get('user-agent'), address }, current, ctx);
    headers.append('set-cookie', started.setCookie);
    session = started.record;
    interaction.record.login = { sub: session.sub, auth_time: session.auth_time };
    ctx.events.emit('login.succeeded', { sub: session.sub, client_id: client.client_id, amr });
    // Came back from an upstream with an identity connected to no account, then signed in here: connected.
    if (interaction.record.upstream_identity !== undefined) await connectPendingIdentity(interaction, session.sub, ctx);
    // With a mailer: a sign-in from a browser the account had not used is told to the person.
    const browserCookie = await rememberBrowser(request, session, ctx);
    if (browserCookie !== undefined) headers.append('set-cookie', browserCookie);
  }
  if (result.consent && session && (await nextStepOf(interaction, client, session, ctx)) === 'consent' && consentIsFor(interaction, session, result)) {
    await recordConsent(interaction, session.sub, result.consent, ctx);
  }
  return continueInteraction(interaction, client, session, ctx, headers);
}

/**
 * A login held back for an address not confirmed yet (`requireVerifiedEmail`): nobody is signed
 * in; a link to confirm the address goes to it (unless one did within the minute), and the
 * browser goes back to the login page, which names the address until someone signs in — the
 * built-in one at its own path (not the registration page `prompt=create` starts on), a host's at
 * its interaction URL (`details(uid).unconfirmedEmail`).
 */
async function holdBackUnconfirmed(interaction: LoadedInteraction, client: ClientRecord, account: { sub: string; username: string; unconfirmedEmail: string }, ctx: ProviderContext): Promise<Answer> {
  await sendEmailVerification({ sub: account.sub, username: account.username, email: account.unconfirmedEmail }, ctx, interaction.record.lang);
  ctx.events.emit('login.email_unconfirmed', { sub: account.sub, client_id: client.client_id });
  interaction.record.unconfirmed_email = account.unconfirmedEmail;
  delete interaction.record.pending_login;
  delete interaction.record.result;
  interaction.record.prompt = 'login';
  await saveInteraction(interaction, ctx);
  const builtin = ctx.interactionUrl === ctx.urls.interaction;
  return redirect(builtin ? `${ctx.urls.interaction(interaction.uid)}/login` : ctx.interactionUrl(interaction.uid), 303);
}

/**
 * Goes on from where the interaction stands: answers the client (or the device page) when
 * nothing more is needed, else sends the browser to the page of the next step.
 */
export async function continueInteraction(
  interaction: LoadedInteraction,
  client: ClientRecord,
  session: SessionRecord | undefined,
  ctx: ProviderContext,
  headers: Headers = new Headers(),
): Promise<Answer> {
  const next = await nextStepOf(interaction, client, session, ctx);
  if (next === 'done' && session) {
    headers.append('set-cookie', await finishInteraction(interaction, ctx));
    if (interaction.record.device_code_id !== undefined) {
      await decideDeviceCode(interaction.record.device_code_id, { approved: true, session }, ctx);
      return html(ctx.pages.deviceDone({ approved: true, client: displayOf(client), ...languageOf(interaction) }), 200, headers);
    }
    return completeAuthorization(interaction.record.request, client, session, ctx, { afterPost: true, headers });
  }
  // The login stands (its session cookie goes along); this request fails.
  if (next === 'denied' && session) {
    ctx.events.emit('access.refused', { sub: session.sub, client_id: client.client_id, at: interaction.record.device_code_id === undefined ? 'authorization' : 'device' });
    return refuse(interaction, client, { error: 'access_denied', error_description: NOT_IN_ALLOWED_GROUPS }, ctx, headers, { byUser: false });
  }
  if (next === 'unmet') return refuse(interaction, client, { error: 'unmet_authentication_requirements', error_description: UNMET_DESCRIPTION }, ctx, headers);
  interaction.record.prompt = next === 'consent' ? 'consent' : 'login';
  if (next === 'consent' && session) interaction.record.account_sub = session.sub;
  else delete interaction.record.account_sub;
  delete interaction.record.result;
  await saveInteraction(interaction, ctx);
  return redirect(ctx.interactionUrl(interaction.uid), 303, headers);
}

/**
 * A consent given without a login in the same result is for the account it was asked of: if the
 * browser's session has changed account since, the consent does not carry over.
 */
function consentIsFor(interaction: LoadedInteraction, session: SessionRecord, result: { login?: unknown }): boolean {
  return result.login !== undefined || interaction.record.account_sub === undefined || interaction.record.account_sub === session.sub;
}

/** Remembers the consent (added to earlier ones) and narrows the authorization to what was granted. */
async function recordConsent(interaction: LoadedInteraction, sub: string, granted: { scopes?: string[]; claims?: string[] }, ctx: ProviderContext): Promise<void> {
  const request = interaction.record.request;
  const scopes = granted.scopes === undefined ? request.scopes : request.scopes.filter((scope) => granted.scopes!.includes(scope));
  const asked = claimsBeyondScopes(request.claims, request.scopes);
  const claims = granted.claims === undefined ? asked : asked.filter((name) => granted.claims!.includes(name));
  const narrowed: AuthorizationRequest = { ...request, scopes };
  const kept = narrowClaims(request.claims, claims, scopes);
  if (kept === undefined) delete narrowed.claims;
  else narrowed.claims = kept;
  interaction.record.request = narrowed;
  interaction.record.consented = true;

  const previous = await ctx.storage.consents.find(sub, request.client_id);
  const allScopes = new Set([...(previous?.scope.split(' ').filter((s) => s !== '') ?? []), ...scopes]);
  const allClaims = new Set([...(previous?.claims.split(' ').filter((name) => name !== '') ?? []), ...claims]);
  await ctx.storage.consents.put({ sub, client_id: request.client_id, scope: [...allScopes].join(' '), claims: [...allClaims].join(' '), granted_at: ctx.clock.now() });
  ctx.events.emit('consent.granted', { sub, client_id: request.client_id, scope: scopes.join(' ') });
}

/** The requested claims without the individually requested ones that were not granted. */
function narrowClaims(requested: RequestedClaims | undefined, granted: readonly string[], scopes: readonly string[]): RequestedClaims | undefined {
  if (requested === undefined) return undefined;
  const beyond = new Set(claimsBeyondScopes(requested, scopes));
  const keep = (names: string[] | undefined) => names?.filter((name) => !beyond.has(name) || granted.includes(name));
  const result: RequestedClaims = {};
  const userinfo = keep(requested.userinfo);
  const idToken = keep(requested.id_token);
  if (userinfo !== undefined && userinfo.length > 0) result.userinfo = userinfo;
  if (idToken !== undefined && idToken.length > 0) result.id_token = idToken;
  if (requested.sub !== undefined) result.sub = requested.sub;
  return result;
}

const REFUSALS: Record<Extract<InteractionResult, { error: string }>['error'], new (description: string) => OAuthError> = {
  access_denied: AccessDenied,
  login_required: LoginRequired,
  consent_required: ConsentRequired,
  interaction_required: InteractionRequired,
  account_selection_required: AccountSelectionRequired,
  unmet_authentication_requirements: UnmetAuthenticationRequirements,
};

/** Ends the interaction with an error for the client (or a "denied" device page). */
async function refuse(
  interaction: LoadedInteraction,
  client: ClientRecord,
  result: Extract<InteractionResult, { error: string }>,
  ctx: ProviderContext,
  headers: Headers = new Headers(),
  /** The refusal is the user's own (a "Deny" at the consent or device page), told as `consent.denied`. */
  { byUser = true }: { byUser?: boolean } = {},
): Promise<Answer> {
  headers.append('set-cookie', await finishInteraction(interaction, ctx));
  if (result.error === 'access_denied' && byUser) {
    const sub = interaction.record.login?.sub ?? interaction.record.account_sub;
    ctx.events.emit('consent.denied', { client_id: client.client_id, ...(sub === undefined ? {} : { sub }) });
  }
  if (interaction.record.device_code_id !== undefined) {
    await decideDeviceCode(interaction.record.device_code_id, { approved: false }, ctx);
    return html(ctx.pages.deviceDone({ approved: false, client: displayOf(client), ...languageOf(interaction) }), 200, headers);
  }
  const error = new REFUSALS[result.error](result.error_description ?? defaultDescription(result.error));
  const { request } = interaction.record;
  return respondWithError(responseTargetOf(request, client), error, ctx, true, headers);
}

function defaultDescription(error: string): string {
  return error === 'access_denied' ? 'the end-user denied the request' : `the end-user could not finish: ${error.replace(/_/g, ' ')}`;
}

/** What a page may show of a client (RFC 7591 display metadata). */
export function displayOf(client: ClientRecord): ClientDisplay {
  const { client_id, client_uri, logo_uri, policy_uri, tos_uri } = client;
  // A client known by its metadata document names itself: its host is what the user can trust.
  const host = client.client_id_metadata_document ? new URL(client_id).host : undefined;
  const client_name = host === undefined ? client.client_name : `${client.client_name ?? host} (${host})`;
  return Object.fromEntries(
    Object.entries({ client_id, client_name, client_uri, logo_uri, policy_uri, tos_uri }).filter(([, value]) => value !== undefined),
  ) as unknown as ClientDisplay;
}
