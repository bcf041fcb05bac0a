import { claimsBeyondScopes } from '../core/claims-request.js';
import type { ProviderContext } from '../core/context.js';
import { AccessDenied, InvalidRequest, OAuthError } from '../core/errors.js';
import { readForm } from '../http/params.js';
import { html, redirect } from '../http/responses.js';
import { renderErrorPage, respondWithError } from '../interaction/authorization-response.js';
import { completeAuthorization } from '../interaction/complete-authorization.js';
import { finishInteraction, loadInteraction, saveInteraction, verifyCsrfToken, type LoadedInteraction } from '../interaction/interaction.js';
import { isLoginAllowed, recordLoginFailure, recordLoginSuccess } from '../interaction/login-throttle.js';
import type { ClientDisplay } from '../interaction/pages.js';
import { decideNextStep } from '../interaction/prompt-policy.js';
import { describeClaims, describeScopes } from '../interaction/scope-descriptions.js';
import { readSession, startSession, type ActiveSession } from '../interaction/session.js';
import type { ClientRecord } from '../storage/types.js';
import { decideDeviceCode } from '../tokens/device-code.js';
import { subjectFor } from '../tokens/subject.js';
import type { Endpoint, RouteInfo } from './types.js';

/**
 * The login and consent pages of an authorization request in progress:
 * `GET /interaction/:uid` shows whichever the request needs next; `POST …/login` and
 * `POST …/consent` take the forms. Every POST carries the interaction's CSRF token; the
 * interaction is bound to the browser that started it.
 */

/** `GET /interaction/:uid`: the login page or the consent page. */
export const interactionEndpoint: Endpoint = async (request, ctx, route) =>
  withInteraction(request, ctx, route, async (interaction, client) => {
    const session = await readSession(request, ctx);
    const next = await nextStep(interaction, client, session, ctx);
    if (next === 'consent' && session) return showConsent(interaction, client, session, ctx);
    return showLogin(interaction, client, ctx, { username: interaction.record.request.login_hint });
  });

/**
 * `POST /interaction/:uid/login`: checks the username and password (throttled per account and
 * per address), starts a new session and continues to consent or back to the client.
 */
export const loginEndpoint: Endpoint = async (request, ctx, route) =>
  withInteraction(request, ctx, route, async (interaction, client) => {
    const form = await readForm(request);
    verifyCsrfToken(interaction, form.csrf_token);
    const username = form.username ?? '';
    const password = form.password ?? '';

    if (!(await isLoginAllowed(username, route.remoteAddress, ctx))) {
      ctx.events.emit('login.throttled', { username, address: route.remoteAddress });
      return showLogin(interaction, client, ctx, { username, error: 'Too many failed sign-in attempts. Wait a few minutes and try again.', status: 429 });
    }
    const account = username && password ? await ctx.accounts.authenticate(username, password) : undefined;
    if (!account) {
      await recordLoginFailure(username, route.remoteAddress, ctx);
      ctx.events.emit('login.failed', { username, client_id: client.client_id });
      return showLogin(interaction, client, ctx, { username, error: 'The username or password is incorrect.', status: 401 });
    }
    await recordLoginSuccess(username, ctx);
    ctx.events.emit('login.succeeded', { sub: account.sub, client_id: client.client_id });

    const { record: session, setCookie } = await startSession(account.sub, ['pwd'], await readSession(request, ctx), ctx);
    interaction.record.login = { sub: account.sub, auth_time: session.auth_time };
    const next = await nextStep(interaction, client, { id: '', record: session }, ctx);
    if (next === 'done') return finish(interaction, client, session, ctx, [setCookie]);
    await saveInteraction(interaction, ctx);
    return redirect(ctx.urls.interaction(interaction.uid), 303, { 'set-cookie': setCookie });
  });

/** `POST /interaction/:uid/consent`: Allow remembers the consent and issues the code; Deny answers access_denied. */
export const consentEndpoint: Endpoint = async (request, ctx, route) =>
  withInteraction(request, ctx, route, async (interaction, client) => {
    const form = await readForm(request);
    verifyCsrfToken(interaction, form.csrf_token);
    const session = await readSession(request, ctx);
    if (!session || (await nextStep(interaction, client, session, ctx)) === 'login') {
      return redirect(ctx.urls.interaction(interaction.uid), 303);
    }
    const { request: authorization } = interaction.record;
    if (form.decision === 'deny') {
      const cleared = await finishInteraction(interaction, ctx);
      ctx.events.emit('consent.denied', { sub: session.record.sub, client_id: client.client_id });
      if (interaction.record.device_code_id !== undefined) {
        await decideDeviceCode(interaction.record.device_code_id, { approved: false }, ctx);
        return html(ctx.pages.deviceDone({ approved: false, client: displayOf(client) }), 200, { 'set-cookie': cleared });
      }
      const response = await respondWithError(targetOf(interaction), new AccessDenied('the end-user denied the request'), ctx, true);
      response.headers.append('set-cookie', cleared);
      return response;
    }
    if (form.decision !== 'allow') throw new InvalidRequest('decision must be allow or deny');

    const previous = await ctx.storage.consents.find(session.record.sub, client.client_id);
    const scopes = new Set([...(previous?.scope.split(' ') ?? []), ...authorization.scopes]);
    const claims = new Set([...(previous?.claims.split(' ').filter((name) => name !== '') ?? []), ...claimsBeyondScopes(authorization.claims, authorization.scopes)]);
    await ctx.storage.consents.put({ sub: session.record.sub, client_id: client.client_id, scope: [...scopes].join(' '), claims: [...claims].join(' '), granted_at: ctx.clock.now() });
    ctx.events.emit('consent.granted', { sub: session.record.sub, client_id: client.client_id, scope: authorization.scopes.join(' ') });
    return finish(interaction, client, session.record, ctx, []);
  });

/**
 * Loads the interaction and its client, runs `handle`, and turns errors into the right answer:
 * an error page while nothing can be sent to the client, never a stack trace.
 */
async function withInteraction(
  request: Request,
  ctx: ProviderContext,
  route: RouteInfo,
  handle: (interaction: LoadedInteraction, client: ClientRecord) => Promise<Response>,
): Promise<Response> {
  try {
    const interaction = await loadInteraction(request, route.pathParams.uid ?? '', ctx);
    const client = await ctx.storage.clients.find(interaction.record.request.client_id);
    if (!client) throw new InvalidRequest('the application is no longer registered');
    return await handle(interaction, client);
  } catch (error) {
    if (error instanceof OAuthError) return renderErrorPage(error, ctx);
    throw error;
  }
}

async function nextStep(interaction: LoadedInteraction, client: ClientRecord, session: ActiveSession | undefined, ctx: ProviderContext) {
  const { request } = interaction.record;
  const consent = session ? await ctx.storage.consents.find(session.record.sub, request.client_id) : undefined;
  return decideNextStep({
    request,
    session: session?.record,
    interaction: interaction.record,
    consent,
    now: ctx.clock.now(),
    subjectOf: (sub) => subjectFor(client, sub, ctx),
  });
}

async function finish(
  interaction: LoadedInteraction,
  client: ClientRecord,
  session: ActiveSession['record'],
  ctx: ProviderContext,
  setCookies: string[],
): Promise<Response> {
  const cleared = await finishInteraction(interaction, ctx);
  const headers = new Headers();
  for (const cookie of [...setCookies, cleared]) headers.append('set-cookie', cookie);
  if (interaction.record.device_code_id !== undefined) {
    await decideDeviceCode(interaction.record.device_code_id, { approved: true, session }, ctx);
    return html(ctx.pages.deviceDone({ approved: true, client: displayOf(client) }), 200, headers);
  }
  return completeAuthorization(interaction.record.request, client, session, ctx, { afterPost: true, headers });
}

function targetOf(interaction: LoadedInteraction) {
  const { request } = interaction.record;
  return { redirect_uri: request.redirect_uri, response_mode: request.response_mode, ...(request.state === undefined ? {} : { state: request.state }) };
}

function showLogin(
  interaction: LoadedInteraction,
  client: ClientRecord,
  ctx: ProviderContext,
  options: { username?: string | undefined; error?: string; status?: number },
): Promise<Response> {
  const page = ctx.pages.login({
    action: `${ctx.urls.interaction(interaction.uid)}/login`,
    csrfToken: interaction.record.csrf_token,
    client: displayOf(client),
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.error === undefined ? {} : { error: options.error }),
    ...(interaction.record.request.ui_locales === undefined ? {} : { uiLocales: interaction.record.request.ui_locales }),
  });
  return html(page, options.status ?? 200);
}

async function showConsent(interaction: LoadedInteraction, client: ClientRecord, session: ActiveSession, ctx: ProviderContext): Promise<Response> {
  const account = await ctx.accounts.findById(session.record.sub);
  const { resource } = interaction.record.request;
  const server = resource === undefined ? undefined : await ctx.storage.resourceServers.find(resource);
  const page = ctx.pages.consent({
    action: `${ctx.urls.interaction(interaction.uid)}/consent`,
    csrfToken: interaction.record.csrf_token,
    client: displayOf(client),
    account: { username: account?.username ?? session.record.sub, ...(account?.name === undefined ? {} : { name: account.name }) },
    scopes: [...describeScopes(interaction.record.request.scopes, server), ...describeClaims(claimsBeyondScopes(interaction.record.request.claims, interaction.record.request.scopes))],
    ...(interaction.record.request.ui_locales === undefined ? {} : { uiLocales: interaction.record.request.ui_locales }),
  });
  return html(page);
}

function displayOf(client: ClientRecord): ClientDisplay {
  const { client_id, client_name, client_uri, logo_uri, policy_uri, tos_uri } = client;
  return Object.fromEntries(
    Object.entries({ client_id, client_name, client_uri, logo_uri, policy_uri, tos_uri }).filter(([, value]) => value !== undefined),
  ) as unknown as ClientDisplay;
}
