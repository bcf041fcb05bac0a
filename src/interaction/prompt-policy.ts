import { claimsBeyondScopes } from '../core/claims-request.js';
import { meetsRequest } from './assurance.js';
import type { AuthorizationRequest, ConsentRecord, InteractionRecord, SessionRecord } from '../storage/types.js';

/**
 * What an authorization request still needs from the user: a login; a step up (the signed-in
 * user's second factor, for the assurance level asked); consent; nothing; or nothing the user can
 * do here — `unmet`: the request requires a level the login did not reach; `denied`: the
 * signed-in account may not use the client (not in its `allowed_groups`).
 */
export type NextStep = 'login' | 'step_up' | 'consent' | 'done' | 'unmet' | 'denied';

/**
 * Decides whether the user must log in, consent, or neither.
 *
 * Login is needed (OIDC Core §3.1.2.1) when there is no session; when `prompt` has `login` or
 * `select_account` and the user has not logged in during this interaction; when the session is
 * older than `max_age`; when `id_token_hint` (or a `claims` request for `sub`) names another
 * subject — compared as the client knows the session's user (`subjectOf`, pairwise or public).
 * A signed-in account the client does not allow (`mayUseClient` false) is denied, before any
 * step up or consent: a person outside its groups never sees its consent page.
 * A session below the requested assurance level (`acr_values`, assurance.ts) is stepped up when
 * its account can be (`canStepUp`), and otherwise fails a request that requires the level — also
 * right after a login here, which is not asked again.
 * Consent is needed when `prompt` has `consent` and the user has not consented during this
 * interaction, or — unless the client skips consent — when the remembered consent of this user for
 * this client does not cover every requested scope, and every claim requested one by one. A
 * request with authorization details (RFC 9396) is consented to in its own interaction, always.
 */
export function decideNextStep(input: {
  request: AuthorizationRequest;
  session: SessionRecord | undefined;
  interaction?: InteractionRecord;
  consent: ConsentRecord | undefined;
  /**
   * The client was registered by an administrator with `skip_consent` (a first-party
   * application, such as latchkey's own admin console): no consent page unless `prompt=consent`.
   */
  skipConsent?: boolean;
  now: number;
  /** The client's identifier for an account (`subjectFor`). */
  subjectOf: (sub: string) => string;
  /** The session's account has a second factor that would reach the requested level (`assurance.canStepUp`). */
  canStepUp?: boolean;
  /** The session's account may use the client (`groups.mayUseClient`); false denies it. */
  mayUseClient?: boolean;
}): NextStep {
  const { request, session, interaction, consent, now } = input;
  const loggedInHere = interaction?.login !== undefined && interaction.login.sub === session?.sub;
  if (!session) return 'login';
  if (!loggedInHere) {
    // `create` (OIDC Prompt Create §4.1): the person makes an account, which signs them in here.
    if (request.prompt.includes('login') || request.prompt.includes('select_account') || request.prompt.includes('create')) return 'login';
    if (request.max_age !== undefined && now - session.auth_time > request.max_age) return 'login';
    if (request.required_sub !== undefined && request.required_sub !== input.subjectOf(session.sub)) return 'login';
  }
  if (input.mayUseClient === false) return 'denied';
  if (!meetsRequest(session.acr, request)) {
    if (!loggedInHere && input.canStepUp === true) return 'step_up';
    if (request.acr_essential) return 'unmet';
  }
  if (request.prompt.includes('consent') && !interaction?.consented) return 'consent';
  // RFC 9396 §12: what a request's authorization details allow (this payment, these documents) is
  // the user's to approve each time: never from a remembered consent, never skipped.
  if (request.authorization_details !== undefined && !interaction?.consented) return 'consent';
  if (input.skipConsent) return 'done';
  if (!coversScopes(consent, request.scopes)) return 'consent';
  if (!coversClaims(consent, claimsBeyondScopes(request.claims, request.scopes))) return 'consent';
  return 'done';
}

/** True when the remembered consent includes every claim of `names` granted one by one. */
function coversClaims(consent: ConsentRecord | undefined, names: readonly string[]): boolean {
  if (names.length === 0) return true;
  const granted = new Set(consent?.claims.split(' ') ?? []);
  return names.every((name) => granted.has(name));
}

/** True when the remembered consent includes every one of `scopes`. */
export function coversScopes(consent: ConsentRecord | undefined, scopes: readonly string[]): boolean {
  if (!consent) return false;
  const granted = new Set(consent.scope.split(' '));
  return scopes.every((scope) => granted.has(scope));
}
