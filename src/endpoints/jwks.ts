import { jsonPrebuilt } from '../http/responses.js';
import type { Endpoint } from './types.js';

/**
 * JWKS endpoint: the public signing keys (next, current, previous), serialized by the keyring
 * whenever the key set changes. A short max-age lets relying parties notice rotations soon.
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export const jwksEndpoint: Endpoint = async (_request, ctx) => {
  return jsonPrebuilt(await ctx.keys.jwks(), JWKS_MAX_AGE_SECONDS, JWKS_CONTENT_TYPE);
};

/** A short max-age: relying parties notice rotations soon. */
export const JWKS_MAX_AGE_SECONDS = 300;

/** RFC 7517 §8.5.1. */
export const JWKS_CONTENT_TYPE = 'application/jwk-set+json; charset=utf-8';
