import { readAuthorizationDetails } from '../core/authorization-details.js';
import { authenticateClient } from '../client-auth/index.js';
import { DEVICE_CODE_GRANT_TYPE } from '../core/grant-types.js';
import { UnauthorizedClient } from '../core/errors.js';
import { resolveResource } from '../core/resource-servers.js';
import { grantableScopes, parseScope } from '../core/scopes.js';
import { readForm } from '../http/params.js';
import { jsonNoStore } from '../http/responses.js';
import { issueDeviceCode } from '../tokens/device-code.js';
import type { Endpoint } from './types.js';

/**
 * Device authorization endpoint, `POST /device_authorization` (RFC 8628 §3.1): a device with no
 * browser (or no keyboard) asks for a device code and a user code; the user enters the user code
 * at `/device` on another device while this one polls the token endpoint.
 *
 * - the client authenticates as it registered (public clients by `client_id`: RFC 8628 §3.1);
 * - it must be registered for the device_code grant (`unauthorized_client` otherwise);
 * - `scope` is narrowed to what the client may be granted, as at `/authorize`;
 * - `resource` (RFC 8707) names the registered resource server the access token will be for;
 * - `authorization_details` (RFC 9396) as at `/authorize`: shown to the user who approves.
 * @throws InvalidRequest | InvalidClient | UnauthorizedClient | InvalidScope | InvalidTarget | InvalidAuthorizationDetails
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.1
 */
export const deviceAuthorizationEndpoint: Endpoint = async (request, ctx, route) => {
  const params = await readForm(request);
  const client = await authenticateClient(request, params, ctx, route.remoteAddress);
  if (!client.grant_types.includes(DEVICE_CODE_GRANT_TYPE)) throw new UnauthorizedClient(`client is not allowed to use grant_type ${DEVICE_CODE_GRANT_TYPE}`);
  const server = await resolveResource(params.resource, ctx);
  const scopes = grantableScopes(parseScope(params.scope), client, server);
  const details = readAuthorizationDetails(params.authorization_details, client, ctx.config);
  return jsonNoStore(await issueDeviceCode(client, { scopes, resource: server?.resource, authorization_details: details }, ctx));
};
