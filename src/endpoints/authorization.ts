import { mayUseClient, NOT_IN_ALLOWED_GROUPS } from '../accounts/groups.js';
import type { ProviderContext } from '../core/context.js';
import { AccessDenied, ConsentRequired, InvalidRequest, LoginRequired, OAuthError, UnmetAuthenticationRequirements, UNMET_DESCRIPTION } from '../core/errors.js';
import { readForm, readQuery, type Params } from '../http/params.js';
import { redirect, type Answer } from '../http/responses.js';
import { findRequestingClient, resolveClientAndRedirectUri, validateAuthorizationRequest } from '../interaction/authorization-request.js';
import { languageOfRequest } from '../interaction/language.js';
import { renderErrorPage, respondWithError } from '../interaction/authorization-response.js';
import { completeAuthorization } from '../interaction/complete-authorization.js';
import { startInteraction } from '../interaction/interaction.js';
import { isPushedRequestUri, mustPush, takePushedRequest } from '../interaction/pushed-request.js';
import { sessionCanStepUp } from '../interaction/assurance.js';
import { decideNextStep } from '../interaction/prompt-policy.js';
import { checkSignedWhenRequired, openRequestObject } from '../interaction/request-object.js';
import { fetchRequestObject } from '../interaction/request-uri.js';
import { readSession } from '../interaction/session.js';
import type { AuthorizationRequest, ClientRecord } from '../storage/types.js';
import { subjectFor } from '../tokens/subject.js';
import type { Endpoint } from './types.js';
import type { ProtocolRequest } from '../http/protocol-request.js';

/**
 * Authorization endpoint (GET and POST): validates the request, then either answers at once
 * (the user is logged in and has consented: what the response type asks for; `prompt=none` that cannot be satisfied:
 * `login_required` / `consent_required`) or sends the user to the login / consent interaction.
 *
 * A request pushed to `/par` first (RFC 9126 §4) arrives as `client_id` and its `request_uri`:
 * the pushed parameters, consumed, are the request, validated as any other. A request object
 * (RFC 9101) arrives as `client_id` and `request`, or as `client_id` and a `request_uri` the
 * client registered to fetch it from (OIDC Core §6.2): its claims, verified, are the request.
 *
 * Errors before `client_id` and `redirect_uri` are verified are shown on an error page; after,
 * they are sent to the client (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6).
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthorizationEndpoint
 */
export const authorizationEndpoint: Endpoint = async (request, ctx, route) => {
  let source: RequestSource | undefined;
  let resolved: Awaited<ReturnType<typeof resolveClientAndRedirectUri>>;
  try {
    source = await readRequest(request, ctx, route.remoteAddress);
    resolved = await resolveClientAndRedirectUri(source.params, ctx, route.remoteAddress);
  } catch (error) {
    // The request's ui_locales, once its parameters could be read, asks for the error page's language too.
    if (error instanceof OAuthError) return renderErrorPage(error, ctx, languageOfRequest(request, ctx, source?.params.ui_locales));
    throw error;
  }

  const afterPost = request.method === 'POST';
  try {
    if (!source.pushed && mustPush(resolved.client, ctx)) throw new InvalidRequest('this client must push its authorization requests to the pushed authorization request endpoint first (RFC 9126)');
    checkSignedWhenRequired(resolved.client, source.signed, ctx);
    const authorization = await validateAuthorizationRequest(source.params, resolved.client, resolved, ctx);
    return await decide(request, authorization, resolved.client, ctx, afterPost);
  } catch (error) {
    if (error instanceof OAuthError) return respondWithError(resolved.target, error, ctx, afterPost);
    throw error;
  }
};

/** An authorization request's parameters, and how they came. */
interface RequestSource {
  params: Params;
  /** Pushed to `/par` first (RFC 9126). */
  pushed: boolean;
  /** Signed by the client, as a request object (RFC 9101) — here or with the push. */
  signed: boolean;
}

/**
 * The request's parameters: from the query (or form), or those pushed under its `request_uri`,
 * or those of its request object (`request`, or fetched from the client's `request_uri`).
 * @throws OAuthError — to be shown on an error page: nothing has been verified yet.
 */
async function readRequest(request: ProtocolRequest, ctx: ProviderContext, address: string | undefined): Promise<RequestSource> {
  const params = request.method === 'POST' ? await readForm(request) : readQuery(request);
  // RFC 9101 §5: one or the other.
  if (params.request !== undefined && params.request_uri !== undefined) throw new InvalidRequest('request and request_uri must not both be sent');
  if (isPushedRequestUri(params.request_uri)) return { ...(await takePushedRequest(params, ctx)), pushed: true };
  if (params.request === undefined && params.request_uri === undefined) return { params, pushed: false, signed: false };
  const client = await findRequestingClient(params.client_id, ctx, address);
  const jwt = params.request ?? (await fetchRequestObject(params.request_uri!, client, ctx));
  return { ...(await openRequestObject(jwt, client, ctx)), pushed: false };
}

async function decide(request: ProtocolRequest, authorization: AuthorizationRequest, client: ClientRecord, ctx: ProviderContext, afterPost: boolean): Promise<Answer> {
  const session = await readSession(request, ctx);
  const consent = session ? await ctx.storage.consents.find(session.record.sub, authorization.client_id) : undefined;
  const next = decideNextStep({
    request: authorization,
    session: session?.record,
    consent,
    skipConsent: client.skip_consent === true,
    now: ctx.clock.now(),
    subjectOf: (sub) => subjectFor(client, sub, ctx),
    canStepUp: await sessionCanStepUp(session?.record, authorization, ctx),
    mayUseClient: session === undefined || (await mayUseClient(client, session.record.sub, ctx)),
  });

  if (next === 'denied') {
    ctx.events.emit('access.refused', { sub: session!.record.sub, client_id: client.client_id, at: 'authorization' });
    throw new AccessDenied(NOT_IN_ALLOWED_GROUPS);
  }
  if (next === 'done') return completeAuthorization(authorization, client, session!.record, ctx, { afterPost });
  if (next === 'unmet') throw new UnmetAuthenticationRequirements(UNMET_DESCRIPTION);
  // OIDC Core §3.1.2.1: with prompt=none the server MUST NOT show any page.
  if (authorization.prompt.includes('none')) {
    if (next === 'consent') throw new ConsentRequired('the end-user has not consented');
    throw new LoginRequired(next === 'step_up' ? 'the end-user must sign in again with a second factor' : 'the end-user is not logged in');
  }
  // A step up is a login to the interaction's pages (the built-in ones ask only for the code).
  const { uid, setCookie } = await startInteraction(authorization, ctx, request, next === 'consent' && session ? { prompt: next, account_sub: session.record.sub } : { prompt: 'login' });
  return redirect(ctx.interactionUrl(uid), 303, { 'set-cookie': setCookie });
}
