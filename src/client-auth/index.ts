import type { ProviderContext } from '../core/context.js';
import { InvalidClient, InvalidRequest, type OAuthError } from '../core/errors.js';
import { requireParam, type Params } from '../http/params.js';
import type { ClientRecord } from '../storage/types.js';
import { claimedClientId, JWT_BEARER_ASSERTION_TYPE } from './client-assertion.js';
import { findClient } from './client-id-metadata-document.js';
import { clientSecretBasic } from './client-secret-basic.js';
import { clientSecretPost } from './client-secret-post.js';
import { clientSecretJwt, privateKeyJwt } from './jwt-methods.js';
import { none } from './none.js';
import type { ClientAuthMethod, PresentedCredentials } from './types.js';
import type { ProtocolRequest } from '../http/protocol-request.js';

/** The client authentication methods latchkey implements, by token_endpoint_auth_method. */
export function createClientAuthMethods(): ReadonlyMap<string, ClientAuthMethod> {
  return new Map<string, ClientAuthMethod>([clientSecretBasic, clientSecretPost, clientSecretJwt, privateKeyJwt, none].map((m) => [m.method, m]));
}

/** The parameters client authentication reads from a form body. */
export const CLIENT_AUTH_PARAMETERS = ['client_id', 'client_secret', 'client_assertion', 'client_assertion_type'] as const;

/**
 * Authenticates the client of a token-endpoint-style request, with the method it registered.
 *
 * - RFC 6749 §2.3: a client MUST NOT use more than one authentication method in a request;
 * - the method used must be the client's registered `token_endpoint_auth_method` (a client
 *   registered for a secret cannot fall back to `none`);
 * - RFC 6749 §5.2: a failure is `invalid_client`, 401, with a Basic challenge when the client
 *   tried the Authorization header.
 * `address`, the request's client address: a client ID metadata document fetched for the first
 * time counts against its quota of new clients (`findClient`).
 * @throws InvalidClient | InvalidRequest | TooManyRequests
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3
 */
export async function authenticateClient(request: ProtocolRequest, params: Params, ctx: ProviderContext, address?: string): Promise<ClientRecord> {
  const usedHeader = request.headers.has('authorization');
  try {
    const credentials = readPresentedCredentials(request, params);
    const client = await findClient(credentials.client_id, ctx, address);
    if (!client || client.disabled) throw new InvalidClient('client authentication failed', { cause: new Error(client ? 'client is disabled' : 'unknown client') });
    const method = ctx.clientAuth.get(client.token_endpoint_auth_method);
    if (!method) throw new InvalidClient(`client authentication method ${client.token_endpoint_auth_method} is not supported`);
    if (method.presents !== credentials.method) {
      throw new InvalidClient(`client is registered for ${client.token_endpoint_auth_method} authentication`);
    }
    await method.verify(client, credentials, ctx);
    return client;
  } catch (error) {
    if (error instanceof InvalidClient) {
      ctx.events.emit('client_authentication.failed', { client_id: params.client_id, reason: String((error.cause as Error | undefined)?.message ?? error.message) });
      if (usedHeader) withBasicChallenge(error, ctx);
    }
    throw error;
  }
}

function withBasicChallenge(error: OAuthError, ctx: ProviderContext): void {
  error.wwwAuthenticate = `Basic realm="${ctx.config.issuer}", charset="UTF-8"`;
}

/**
 * Which method the client used, and its credentials.
 * @throws InvalidRequest when several methods are used, or none with no client_id.
 * @throws InvalidClient when the Basic header is malformed.
 */
export function readPresentedCredentials(request: ProtocolRequest, params: Params): PresentedCredentials {
  const header = request.headers.get('authorization');
  if (params.client_assertion !== undefined || params.client_assertion_type !== undefined) {
    if (header || params.client_secret !== undefined) throw new InvalidRequest('client authentication must use only one method');
    return readAssertion(params);
  }
  if (header) {
    if (params.client_secret !== undefined) throw new InvalidRequest('client authentication must use only one method');
    const basic = parseBasicCredentials(header);
    if (params.client_id !== undefined && params.client_id !== basic.client_id) {
      throw new InvalidRequest('client_id does not match the authenticated client');
    }
    return { method: 'client_secret_basic', ...basic };
  }
  const clientId = params.client_id;
  if (clientId === undefined) throw new InvalidClient('client authentication is required');
  if (params.client_secret !== undefined) {
    return { method: 'client_secret_post', client_id: clientId, client_secret: params.client_secret };
  }
  return { method: 'none', client_id: clientId };
}

/**
 * RFC 7521 §4.2: `client_assertion_type` names the JWT profile, `client_assertion` is the JWT;
 * `client_id`, when sent, must be the client the assertion speaks for.
 * @throws InvalidRequest | InvalidClient
 */
function readAssertion(params: Params): PresentedCredentials {
  const type = requireParam(params, 'client_assertion_type');
  const assertion = requireParam(params, 'client_assertion');
  if (type !== JWT_BEARER_ASSERTION_TYPE) throw new InvalidClient(`client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}`);
  const client_id = claimedClientId(assertion);
  if (params.client_id !== undefined && params.client_id !== client_id) throw new InvalidClient('client_id does not match the client_assertion');
  return { method: 'client_assertion', client_id, assertion };
}

/**
 * Decodes `Authorization: Basic …`. RFC 6749 §2.3.1: client_id and secret are
 * form-urlencoded before being joined with ':' and base64-encoded.
 * @throws InvalidClient when the header is not well-formed Basic credentials.
 */
function parseBasicCredentials(header: string): { client_id: string; client_secret: string } {
  const match = /^Basic[ ]+([A-Za-z0-9+/]+=*)[ ]*$/i.exec(header);
  if (!match) throw new InvalidClient('authorization header must use the Basic scheme');
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new InvalidClient('malformed basic credentials');
  try {
    const client_id = formDecode(decoded.slice(0, colon));
    const client_secret = formDecode(decoded.slice(colon + 1));
    if (client_id === '') throw new Error('empty client_id');
    return { client_id, client_secret };
  } catch (error) {
    throw new InvalidClient('malformed basic credentials', { cause: error });
  }
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}
