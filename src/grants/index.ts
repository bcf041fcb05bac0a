import { authorizationCode } from './authorization-code.js';
import { clientCredentials } from './client-credentials.js';
import { deviceCode } from './device-code.js';
import { refreshToken } from './refresh-token.js';
import { tokenExchange } from './token-exchange.js';
import type { GrantHandler } from './types.js';

/** The grant types latchkey implements, by grant_type. */
export function createGrantHandlers(): ReadonlyMap<string, GrantHandler> {
  return new Map<string, GrantHandler>([authorizationCode, refreshToken, clientCredentials, deviceCode, tokenExchange].map((grant) => [grant.grantType, grant]));
}
