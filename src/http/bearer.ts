import { InvalidRequest } from '../core/errors.js';
import type { ProtocolRequest } from './protocol-request.js';

/** An access token from the `Authorization` header, and the scheme it came with. */
export interface PresentedAccessToken {
  token: string;
  /** RFC 6750 §2.1 `Bearer`, or RFC 9449 §7.1 `DPoP` (sent with a proof). */
  scheme: 'Bearer' | 'DPoP';
}

/** RFC 6750 §2.1 `b64token`, after the scheme and one or more spaces. */
const AUTHORIZATION = /^(Bearer|DPoP)[ ]+([A-Za-z0-9\-._~+/]+=*)[ ]*$/i;

/**
 * The access token of `Authorization: Bearer …` or `Authorization: DPoP …`, undefined when the
 * header is absent or uses another scheme.
 * @throws InvalidRequest when a Bearer or DPoP header is malformed.
 */
export function readAuthorizationToken(request: ProtocolRequest): PresentedAccessToken | undefined {
  const header = request.headers.get('authorization');
  if (!header) return undefined;
  const match = AUTHORIZATION.exec(header);
  if (!match) {
    const scheme = /^(Bearer|DPoP)\b/i.exec(header)?.[1];
    if (scheme !== undefined) throw new InvalidRequest(scheme.toLowerCase() === 'dpop' ? 'malformed DPoP token' : 'malformed bearer token');
    return undefined;
  }
  return { scheme: match[1]!.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer', token: match[2]! };
}

/**
 * The access token from `Authorization: Bearer …` (RFC 6750 §2.1), for the endpoints that take
 * bearer tokens only; undefined when the header is absent or uses another scheme.
 * @throws InvalidRequest when the header is malformed.
 */
export function readBearerToken(request: ProtocolRequest): string | undefined {
  const presented = readAuthorizationToken(request);
  return presented?.scheme === 'Bearer' ? presented.token : undefined;
}
