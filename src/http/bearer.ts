import { InvalidRequest } from '../core/errors.js';
import type { ProtocolRequest } from './protocol-request.js';

/**
 * The access token from `Authorization: Bearer …` (RFC 6750 §2.1), undefined when the header is
 * absent or uses another scheme.
 * @throws InvalidRequest when the Bearer header is malformed.
 */
export function readBearerToken(request: ProtocolRequest): string | undefined {
  const header = request.headers.get('authorization');
  if (!header) return undefined;
  const match = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)[ ]*$/i.exec(header);
  if (!match) {
    if (/^Bearer\b/i.test(header)) throw new InvalidRequest('malformed bearer token');
    return undefined;
  }
  return match[1];
}
