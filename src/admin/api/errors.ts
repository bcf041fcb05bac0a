/**
 * Errors of the admin API beyond the OAuth ones it shares with the protocol endpoints
 * (`invalid_request`, `invalid_token`, `insufficient_scope`, `invalid_client_metadata` …).
 */
import { OAuthError } from '../../core/errors.js';

/** The resource the path names does not exist. */
export class NotFound extends OAuthError {
  readonly error = 'not_found';
  readonly status = 404;
}

/** The request conflicts with the resource's current state (a taken username, retiring the current key). */
export class Conflict extends OAuthError {
  readonly error = 'conflict';
  readonly status = 409;
}

/** One field of a request that failed validation. */
export interface FieldError {
  /** Dotted path of the field: `redirect_uris.0`, `email`; `body` for the body as a whole. */
  field: string;
  message: string;
}

/**
 * The request's input failed validation; `errors` names every bad field. The code is
 * `invalid_request`, or the more precise one of the resource (`invalid_client_metadata` for
 * client metadata, as RFC 7591 §3.2.2 names it).
 */
export class InvalidInput extends OAuthError {
  readonly error: string;
  readonly status = 400;

  constructor(readonly errors: readonly FieldError[], error = 'invalid_request') {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors[0] === undefined ? {} : { field: errors[0].field });
    this.error = error;
  }
}
