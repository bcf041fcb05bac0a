/**
 * Validation of an authorization request, in the two phases the error rules need.
 *
 * RFC 6749 §4.1.2.1 / RFC 9700 §4.1: until `client_id` and `redirect_uri` are verified, errors
 * are shown to the user and never redirected (an unverified redirect is an open redirector).
 * After that, errors go back to the client at its redirect URI.
 */
import { findClient } from '../client-auth/client-id-metadata-document.js';
import { readAuthorizationDetails } from '../core/authorization-details.js';
import { parseAcrClaimRequest, parseClaimsRequest } from '../core/claims-request.js';
import { isPublicClient } from '../core/client-metadata.js';
import type { ProviderContext } from '../core/context.js';
import {
  InvalidRequest,
  InvalidScope,
  RegistrationNotSupported,
  UnauthorizedClient,
  UnsupportedResponseType,
} from '../core/errors.js';
import { resolveResource } from '../core/resource-servers.js';
import {
  defaultResponseMode,
  jwtResponseMode,
  normalizeResponseType,
  REQUESTABLE_RESPONSE_MODES,
  responseTypeParts,
  RESPONSE_MODES,
  returnsTokens,
  type ResponseMode,
  type ResponseType,
} from '../core/response-types.js';
import { grantableScopes, parseScope } from '../core/scopes.js';
import type { Params } from '../http/params.js';
import { readDpopJkt } from '../tokens/dpop.js';
import { encryptionFor } from '../tokens/encryption.js';
import { verifyIdTokenHint } from '../tokens/id-token-hint.js';
import type { AuthorizationRequest, ClientRecord, RequestedClaims } from '../storage/types.js';

/** Where and how authorization responses (and errors) go back to the client. */
export interface ResponseTarget {
  /** The client: whose JWT responses (JARM) are signed and encrypted as it registered. */
  client: ClientRecord;
  redirect_uri: string;
  response_mode: ResponseMode;
  state?: string;
}

/** The target of `request`'s answers, to `client`. */
export function responseTargetOf(request: Pick<AuthorizationRequest, 'redirect_uri' | 'response_mode' | 'state'>, client: ClientRecord): ResponseTarget {
  return {
    client,
    redirect_uri: request.redirect_uri,
    response_mode: request.response_mode,
    ...(request.state === undefined ? {} : { state: request.state }),
  };
}

const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);
/** RFC 7636 §4.2: S256 challenge = base64url of a SHA-256 digest, 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const MAX_VALUE_LENGTH = 2048;

/**
 * Phase 1: the client and the redirect URI.
 *
 * - `client_id` names a registered client;
 * - RFC 9700 §4.1.3: `redirect_uri` matches a registered one exactly (no prefix or pattern
 *   matching: those enable open redirects and code theft);
 * - OIDC Core §3.1.2.1: `redirect_uri` is required for OpenID requests; a plain OAuth request may
 *   omit it when exactly one is registered (RFC 6749 §3.1.2.3).
 * @throws InvalidRequest — to be shown on an error page, never redirected.
 */
export async function resolveClientAndRedirectUri(
  params: Params,
  ctx: ProviderContext,
  address?: string,
): Promise<{ client: ClientRecord; target: ResponseTarget; redirect_uri_provided: boolean }> {
  const client = await findRequestingClient(params.client_id, ctx, address);
  let redirectUri = params.redirect_uri;
  const provided = redirectUri !== undefined;
  if (redirectUri === undefined) {
    const isOpenId = parseScopeLeniently(params.scope).includes('openid');
    if (isOpenId || client.redirect_uris.length !== 1) throw new InvalidRequest('missing required parameter: redirect_uri');
    redirectUri = client.redirect_uris[0]!;
  } else if (!client.redirect_uris.includes(redirectUri)) {
    throw new InvalidRequest('redirect_uri is not registered for this client');
  }

  const target = responseTargetOf({ redirect_uri: redirectUri, response_mode: responseModeOf(params, client), ...(params.state === undefined ? {} : { state: params.state }) }, client);
  return { client, target, redirect_uri_provided: provided };
}

/**
 * The registered, enabled client `clientId` names — or the client its metadata document describes
 * (`findClient`).
 * @throws InvalidRequest — to be shown on an error page, never redirected.
 */
export async function findRequestingClient(clientId: string | undefined, ctx: ProviderContext, address?: string): Promise<ClientRecord> {
  if (clientId === undefined) throw new InvalidRequest('missing required parameter: client_id');
  const client = await findClient(clientId, ctx, address);
  if (!client) throw new InvalidRequest('client_id is not a registered client');
  if (client.disabled) throw new InvalidRequest('the application has been disabled by the administrator');
  return client;
}

/**
 * The mode responses and errors go back in: the requested one when it is supported and safe, else
 * the response type's default (`fragment` for a type that returns tokens, `query` otherwise).
 * A request for an unsupported or unsafe mode is refused in phase 2, through this mode.
 */
function responseModeOf(params: Params, client: ClientRecord): ResponseMode {
  const type = params.response_type === undefined ? undefined : normalizeResponseType(params.response_type);
  const fallback = type === undefined ? 'query' : defaultResponseMode(type);
  const mode = params.response_mode;
  if (mode === 'jwt') return `${fallback}.jwt`;
  if (mode === undefined || !(RESPONSE_MODES as readonly string[]).includes(mode)) return fallback;
  if (fallback === 'fragment' && jwtResponseMode(mode as ResponseMode).carrier === 'query' && !(mode === 'query.jwt' && encryptsResponses(client))) return mode === 'query.jwt' ? 'fragment.jwt' : 'fragment';
  return mode as ResponseMode;
}

/**
 * Phase 2: everything else, with errors answered at the client's redirect URI.
 *
 * - a request object (`request`, or by reference at a `request_uri`) has been opened already
 *   (`request-object.ts`, `request-uri.ts`); `registration` is not supported (OIDC Core §7.2.1);
 * - RFC 6749 §3.1.1: `response_type` is required; `code`, and the implicit and hybrid types for
 *   a client registered for them (OIDC Core §3.2, §3.3);
 * - `response_mode` is `query`, `fragment` or `form_post`, or their JWT forms (JARM: `query.jwt`,
 *   `fragment.jwt`, `form_post.jwt`, `jwt`), never a query for a type that returns tokens
 *   (Multiple Response Types §5) — but `query.jwt` when the response is encrypted (JARM §2.3.1);
 * - a type with `id_token` needs the `openid` scope and a `nonce` (OIDC Core §3.2.2.1, §3.3.2.11);
 * - `claims` (OIDC Core §5.5), for OpenID requests: a JSON object; a `sub` value it demands works
 *   like an `id_token_hint`, and must agree with one;
 * - scopes: malformed → invalid_scope; unknown or not allowed to the client → dropped;
 * - RFC 7636 / RFC 9700 §2.1.1: `code_challenge_method` is S256 (plain is refused); a public
 *   client (and every client under `pkceRequired: all_clients`) MUST send a challenge;
 * - OIDC Core §3.1.2.1: `prompt=none` stands alone; `max_age` is a non-negative integer;
 *   `id_token_hint` must be an ID token this server signed;
 * - RFC 9449 §10: `dpop_jkt` is a JWK thumbprint (the code will be bound to that key);
 * - RFC 9396 §5: `authorization_details` holds objects of types the client is registered for,
 *   each as its type's schema has it (`readAuthorizationDetails`).
 * @throws OAuthError — redirected to the client.
 */
export async function validateAuthorizationRequest(
  params: Params,
  client: ClientRecord,
  resolved: { target: ResponseTarget; redirect_uri_provided: boolean },
  ctx: ProviderContext,
): Promise<AuthorizationRequest> {
  if (params.registration !== undefined) throw new RegistrationNotSupported('the registration parameter is not supported');
  for (const [name, value] of Object.entries(params)) {
    // authorization_details has a bound of its own: a few objects of JSON are longer than a value.
    if (value.length > MAX_VALUE_LENGTH && name !== 'authorization_details') throw new InvalidRequest(`parameter ${name} is too long`);
  }

  const responseType = readResponseType(params, client);
  const parts = responseTypeParts(responseType);

  const server = await resolveResource(params.resource, ctx);
  const scopes = grantableScopes(parseScope(params.scope), client, server);
  const isOpenId = scopes.includes('openid');
  if (scopes.length === 0) throw new InvalidScope('no requested scope can be granted to this client');
  if (parts.idToken && !isOpenId) throw new InvalidRequest(`response_type ${responseType} needs the openid scope`);
  if (parts.idToken && params.nonce === undefined) throw new InvalidRequest(`nonce is required for response_type ${responseType}`);

  // PKCE protects the code; a type without one has nothing to protect.
  const pkce = parts.code ? readPkce(params, client, ctx) : {};
  const prompt = readPrompt(params.prompt, ctx.config.selfRegistration);
  const maxAge = readMaxAge(params.max_age) ?? client.default_max_age;
  const hintSub = params.id_token_hint === undefined ? undefined : (await verifyIdTokenHint(params.id_token_hint, ctx)).sub;
  const claims = isOpenId ? readClaims(params.claims, parts.token || parts.code) : undefined;
  if (claims?.sub !== undefined && hintSub !== undefined && claims.sub !== hintSub) throw new InvalidRequest('claims.id_token.sub.value and id_token_hint name different end-users');
  const requiredSub = claims?.sub ?? hintSub;
  const acr = readRequestedAcr(params, isOpenId, client);
  const dpopJkt = parts.code ? readDpopJkt(params.dpop_jkt) : undefined;
  const details = readAuthorizationDetails(params.authorization_details, client, ctx.config);
  if (params.nonce !== undefined && !isOpenId) {
    // Harmless, but a nonce means the client expects an ID token it will not get.
    ctx.logger.debug({ client_id: client.client_id }, 'nonce sent without the openid scope');
  }

  return {
    client_id: client.client_id,
    redirect_uri: resolved.target.redirect_uri,
    redirect_uri_provided: resolved.redirect_uri_provided,
    response_type: responseType,
    response_mode: resolved.target.response_mode,
    scopes,
    ...(server === undefined ? {} : { resource: server.resource }),
    prompt,
    ...(params.state === undefined ? {} : { state: params.state }),
    ...(params.nonce === undefined ? {} : { nonce: params.nonce }),
    ...pkce,
    ...(maxAge === undefined ? {} : { max_age: maxAge }),
    ...(params.login_hint === undefined ? {} : { login_hint: params.login_hint }),
    ...(params.idp_hint === undefined ? {} : { idp_hint: params.idp_hint }),
    ...(claims === undefined ? {} : { claims }),
    ...(details === undefined ? {} : { authorization_details: details }),
    ...(requiredSub === undefined ? {} : { required_sub: requiredSub }),
    ...(params.ui_locales === undefined ? {} : { ui_locales: params.ui_locales }),
    ...acr,
    ...(dpopJkt === undefined ? {} : { dpop_jkt: dpopJkt }),
  };
}

/**
 * The `claims` parameter (OIDC Core §5.5). Its `userinfo` member needs a response type that ends
 * in an access token (§5.5: the request MUST use one).
 * @throws InvalidRequest
 */
function readClaims(value: string | undefined, issuesAccessToken: boolean): RequestedClaims | undefined {
  const claims = parseClaimsRequest(value);
  if (claims?.userinfo !== undefined && !issuesAccessToken) throw new InvalidRequest('claims.userinfo needs a response_type that issues an access token');
  return claims;
}

/**
 * The assurance levels the request asks for: an essential `acr` claim with values (OIDC Core
 * §5.5.1.1) is a requirement; else `acr_values`, else the `acr` claim's values, else the client's
 * `default_acr_values` (OIDC Registration §2) are preferences.
 * @throws InvalidRequest when the claim's values are not acr values.
 */
function readRequestedAcr(params: Params, isOpenId: boolean, client: ClientRecord): Pick<AuthorizationRequest, 'acr_values' | 'acr_essential'> {
  const claim = isOpenId ? parseAcrClaimRequest(params.claims) : undefined;
  if (claim?.essential) return { acr_values: claim.values, acr_essential: true };
  const asked = parseScopeLeniently(params.acr_values);
  if (asked.length > 0) return { acr_values: asked };
  if (claim !== undefined) return { acr_values: claim.values };
  return client.default_acr_values === undefined ? {} : { acr_values: [...client.default_acr_values] };
}

/**
 * The request's response type, in canonical spelling.
 * @throws InvalidRequest | UnsupportedResponseType | UnauthorizedClient
 */
function readResponseType(params: Params, client: ClientRecord): ResponseType {
  const value = params.response_type;
  if (value === undefined) throw new InvalidRequest('missing required parameter: response_type');
  const type = normalizeResponseType(value);
  if (type === undefined) throw new UnsupportedResponseType(`response_type ${value} is not supported`);
  if (!client.response_types.includes(type)) throw new UnauthorizedClient(`client is not allowed to use response_type ${type}`);
  const mode = params.response_mode;
  if (mode !== undefined && !REQUESTABLE_RESPONSE_MODES.includes(mode)) throw new InvalidRequest(`response_mode ${mode} is not supported`);
  // Multiple Response Types §5: tokens never travel in a query string — JARM §2.3.1: unless the
  // response JWT carrying them is encrypted to the client.
  if (mode === 'query' && returnsTokens(type)) throw new InvalidRequest(`response_mode ${mode} is not allowed for response_type ${type}: tokens must not travel in a query string`);
  if (mode === 'query.jwt' && returnsTokens(type) && !encryptsResponses(client)) {
    throw new InvalidRequest(`response_mode ${mode} is not allowed for response_type ${type}: tokens must not travel in a query string unless the response is encrypted (authorization_encrypted_response_alg)`);
  }
  return type;
}

function readPkce(params: Params, client: ClientRecord, ctx: ProviderContext): Pick<AuthorizationRequest, 'code_challenge' | 'code_challenge_method'> {
  const challenge = params.code_challenge;
  const method = params.code_challenge_method;
  if (challenge === undefined) {
    if (method !== undefined) throw new InvalidRequest('code_challenge_method was sent without code_challenge');
    if (isPublicClient(client)) throw new InvalidRequest('code_challenge is required for public clients (PKCE, S256)');
    if (ctx.config.pkceRequired === 'all_clients') throw new InvalidRequest('code_challenge is required (PKCE, S256)');
    return {};
  }
  // RFC 7636 §4.3: the method defaults to plain, which latchkey does not accept.
  if (method !== 'S256') throw new InvalidRequest('code_challenge_method must be S256');
  if (!S256_CHALLENGE.test(challenge)) throw new InvalidRequest('code_challenge must be 43 base64url characters');
  return { code_challenge: challenge, code_challenge_method: 'S256' };
}

/**
 * `prompt`: OIDC Core's values, and `create` (OIDC Prompt Create §4.1) where people may create
 * their own account; an unsupported value is refused (`invalid_request`), not ignored.
 */
function readPrompt(value: string | undefined, selfRegistration: boolean): string[] {
  const prompt = parseScopeLeniently(value);
  for (const item of prompt) {
    if (!PROMPTS.has(item) && !(item === 'create' && selfRegistration)) throw new InvalidRequest(`prompt ${item} is not supported`);
  }
  // OIDC Core §3.1.2.1: none with any other value is an error.
  if (prompt.includes('none') && prompt.length > 1) throw new InvalidRequest('prompt none must be the only value');
  return prompt;
}

/** Whether the client's JWT authorization responses (JARM) are encrypted to it. */
function encryptsResponses(client: ClientRecord): boolean {
  return encryptionFor(client, 'authorization') !== undefined;
}

function readMaxAge(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,10}$/.test(value)) throw new InvalidRequest('max_age must be a non-negative integer');
  return Number(value);
}

/** Space-separated values, without validation (for prompt, and for a first look at scope). */
function parseScopeLeniently(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(' ').filter((item) => item !== '');
}
