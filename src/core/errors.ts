/**
 * OAuth 2.0 and OpenID Connect errors, one class per registered error code.
 *
 * `description` becomes `error_description`: short, lowercase, safe for the client. The internal
 * reason goes in `cause`, which is logged and never sent.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError
 */
export abstract class OAuthError extends Error {
  /** Registered error code, sent as `error`. */
  abstract readonly error: string;
  /** HTTP status when the error is answered directly (not by redirect). */
  abstract readonly status: number;
  /** `WWW-Authenticate` challenge to send with the error response, when the spec asks for one. */
  wwwAuthenticate?: string;
  /** Further response headers the spec asks for with this error (RFC 9449 §8: `DPoP-Nonce`). */
  headers?: Record<string, string>;
  /**
   * The input field the error is about (`redirect_uris.0`, `scope`), when it is about one. The
   * admin API names it; OAuth responses carry only `error` and `error_description`.
   */
  readonly field?: string;

  constructor(description: string, options?: ErrorOptions & { field?: string }) {
    super(description, options);
    this.name = new.target.name;
    if (options?.field !== undefined) this.field = options.field;
  }

  /** The `error_description` sent to the client. */
  get description(): string {
    return this.message;
  }
}

/** RFC 6749 §5.2, §4.1.2.1: missing, repeated, malformed or unsupported parameter. */
export class InvalidRequest extends OAuthError {
  readonly error = 'invalid_request';
  readonly status = 400;
}

/**
 * RFC 6749 §5.2: client authentication failed. Status 401; the token endpoint adds a
 * `WWW-Authenticate` challenge when the client used the Authorization header.
 */
export class InvalidClient extends OAuthError {
  readonly error = 'invalid_client';
  readonly status = 401;
}

/** RFC 6749 §5.2. Also used for expired, revoked or replayed codes and refresh tokens. */
export class InvalidGrant extends OAuthError {
  readonly error = 'invalid_grant';
  readonly status = 400;
}

/** RFC 6749 §5.2, §4.1.2.1: the client is not allowed this grant or response type. */
export class UnauthorizedClient extends OAuthError {
  readonly error = 'unauthorized_client';
  readonly status = 400;
}

/** RFC 6749 §5.2: the grant_type is not supported by this server. */
export class UnsupportedGrantType extends OAuthError {
  readonly error = 'unsupported_grant_type';
  readonly status = 400;
}

/** RFC 6749 §4.1.2.1: the response_type is not supported by this server. */
export class UnsupportedResponseType extends OAuthError {
  readonly error = 'unsupported_response_type';
  readonly status = 400;
}

/** RFC 6749 §5.2, §4.1.2.1: the requested scope is invalid, unknown or exceeds what was granted. */
export class InvalidScope extends OAuthError {
  readonly error = 'invalid_scope';
  readonly status = 400;
}

/**
 * RFC 9396 §5: `authorization_details` is malformed, names a type this server does not offer or
 * the client is not registered for, or does not match its type's definition.
 */
export class InvalidAuthorizationDetails extends OAuthError {
  readonly error = 'invalid_authorization_details';
  readonly status = 400;
}

/** RFC 6749 §4.1.2.1, RFC 8628 §3.5: the resource owner or the server denied the request. */
export class AccessDenied extends OAuthError {
  readonly error = 'access_denied';
  readonly status = 400;
}

/** RFC 8628 §3.5: the user has not finished the device authorization yet; poll again. */
export class AuthorizationPending extends OAuthError {
  readonly error = 'authorization_pending';
  readonly status = 400;
}

/** RFC 8628 §3.5: polling faster than `interval`; the interval grows by 5 seconds. */
export class SlowDown extends OAuthError {
  readonly error = 'slow_down';
  readonly status = 400;
}

/** RFC 8628 §3.5: the device code has expired; start a new device authorization. */
export class ExpiredToken extends OAuthError {
  readonly error = 'expired_token';
  readonly status = 400;
}

/** RFC 6749 §4.1.2.1: an unexpected condition; the response to the client says nothing more. */
export class ServerError extends OAuthError {
  readonly error = 'server_error';
  readonly status = 500;
}

/**
 * Too many requests of one kind from one address (RFC 6585 §4: 429, with `Retry-After`); the
 * error code is RFC 6749 §4.1.2.1's for "try again later".
 */
export class TooManyRequests extends OAuthError {
  readonly error = 'temporarily_unavailable';
  readonly status = 429;

  constructor(description: string, retryAfterSeconds: number) {
    super(description);
    this.headers = { 'retry-after': String(retryAfterSeconds) };
  }
}

/** RFC 6749 §4.1.2.1: the server is overloaded or under maintenance. */
export class TemporarilyUnavailable extends OAuthError {
  readonly error = 'temporarily_unavailable';
  readonly status = 503;
}

/** OIDC Core §3.1.2.6: prompt=none, but some user interaction is needed. */
export class InteractionRequired extends OAuthError {
  readonly error = 'interaction_required';
  readonly status = 400;
}

/** OIDC Core §3.1.2.6: prompt=none, but the end-user must log in. */
export class LoginRequired extends OAuthError {
  readonly error = 'login_required';
  readonly status = 400;
}

/** OIDC Core §3.1.2.6: prompt=none, but the end-user must consent. */
export class ConsentRequired extends OAuthError {
  readonly error = 'consent_required';
  readonly status = 400;
}

/**
 * OpenID Connect Core Error Code unmet_authentication_requirements: the request requires an
 * assurance level (an essential `acr`, OIDC Core §5.5.1.1) that the end-user's login did not reach.
 */
export class UnmetAuthenticationRequirements extends OAuthError {
  readonly error = 'unmet_authentication_requirements';
  readonly status = 400;
}

/** What latchkey tells a client whose required assurance level the login did not reach. */
export const UNMET_DESCRIPTION = 'the end-user did not sign in at the assurance level (acr) the request requires';

/** OIDC Core §3.1.2.6: the end-user must choose an account, and may not here. */
export class AccountSelectionRequired extends OAuthError {
  readonly error = 'account_selection_required';
  readonly status = 400;
}

/**
 * OIDC Core §3.1.2.6, RFC 9101 §6.3: the `request` parameter holds no valid request object — not
 * a JWT, a signature that does not verify with the client's keys, an algorithm the client may not
 * use, expired, meant for another server or client.
 */
export class InvalidRequestObject extends OAuthError {
  readonly error = 'invalid_request_object';
  readonly status = 400;
}

/**
 * OIDC Core §3.1.2.6: the `request_uri` names nothing usable — for a pushed authorization request
 * (RFC 9126 §4): unknown, expired, used already, or pushed by another client; for a request object
 * by reference (OIDC Core §6.2): a URL the client did not register, or one that did not answer
 * with an object.
 */
export class InvalidRequestUri extends OAuthError {
  readonly error = 'invalid_request_uri';
  readonly status = 400;
}

/**
 * RFC 9449 §5, §7.1: a DPoP proof that is malformed, does not match the request, was used
 * before — or is missing where one is required. 400 at the token endpoint; 401 at a protected
 * resource (`status: 401`), with a `DPoP` challenge.
 */
export class InvalidDpopProof extends OAuthError {
  readonly error = 'invalid_dpop_proof';
  readonly status: 400 | 401;

  constructor(description: string, options?: ErrorOptions & { status?: 400 | 401 }) {
    super(description, options);
    this.status = options?.status ?? 400;
  }
}

/**
 * RFC 9449 §8, §9: the DPoP proof lacks a nonce this server issued, or its nonce is stale; the
 * answer carries a fresh one in `DPoP-Nonce`. 400 at the token and PAR endpoints, 401 at a
 * protected resource.
 */
export class UseDpopNonce extends OAuthError {
  readonly error = 'use_dpop_nonce';
  readonly status: 400 | 401;

  constructor(description: string, nonce: string, options?: ErrorOptions & { status?: 400 | 401 }) {
    super(description, options);
    this.status = options?.status ?? 400;
    this.headers = { 'dpop-nonce': nonce };
  }
}

/** OIDC Core §3.1.2.6: the `registration` parameter is not supported. */
export class RegistrationNotSupported extends OAuthError {
  readonly error = 'registration_not_supported';
  readonly status = 400;
}

/**
 * RFC 9470 §3: the token's login is below what the resource requires — the challenge names the
 * level (`acr_values`), for the client to ask `/authorize` for it and come back.
 */
export class InsufficientUserAuthentication extends OAuthError {
  readonly error = 'insufficient_user_authentication';
  readonly status = 401;
  readonly acrValues: readonly string[];

  constructor(description: string, acrValues: readonly string[], options?: ErrorOptions) {
    super(description, options);
    this.acrValues = acrValues;
  }
}

/** RFC 6750 §3.1: the access token is missing the scope the resource needs. */
export class InsufficientScope extends OAuthError {
  readonly error = 'insufficient_scope';
  readonly status = 403;
}

/** RFC 6750 §3.1: the access token is expired, revoked, malformed or unknown. */
export class InvalidToken extends OAuthError {
  readonly error = 'invalid_token';
  readonly status = 401;
}

/** RFC 7591 §3.2.2: a redirect URI in the client metadata is not acceptable. */
export class InvalidRedirectUri extends OAuthError {
  readonly error = 'invalid_redirect_uri';
  readonly status = 400;
}

/** RFC 8707 §2: the requested resource is invalid, unknown, or not allowed to this request. */
export class InvalidTarget extends OAuthError {
  readonly error = 'invalid_target';
  readonly status = 400;
}

/** RFC 7591 §3.2.2: the software statement is not a JWT latchkey can verify, or it does not verify. */
export class InvalidSoftwareStatement extends OAuthError {
  readonly error = 'invalid_software_statement';
  readonly status = 400;
}

/** RFC 7591 §3.2.2: the software statement is not approved here — its publisher is not one latchkey trusts. */
export class UnapprovedSoftwareStatement extends OAuthError {
  readonly error = 'unapproved_software_statement';
  readonly status = 400;
}

/** RFC 7591 §3.2.2: a client metadata field is invalid. */
export class InvalidClientMetadata extends OAuthError {
  readonly error = 'invalid_client_metadata';
  readonly status = 400;
}
