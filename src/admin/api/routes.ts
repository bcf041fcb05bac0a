/**
 * Every route of the admin API, in one table: method and path (under `<issuer>/admin/api`, in
 * OpenAPI's `{param}` form) → operation. The application and the OpenAPI document are both
 * built from this table.
 */
import { z } from '../../util/zod.js';
import { listAuditEvents } from './audit-events.js';
import { createClient, deleteClient, getClient, listClients, patchClient, replaceClient, rotateSecret } from './clients.js';
import { listConsents, revokeConsent } from './consents.js';
import { issueInitialAccessToken, listInitialAccessTokens, revokeInitialAccessToken } from './initial-access-tokens.js';
import { listKeys, retireKey, rotateKeys } from './keys.js';
import { getDashboard } from './metrics.js';
import { buildOpenApiDocument } from './openapi.js';
import { operation, type AdminOperation } from './operation.js';
import { createUpstream, deleteUpstream, getUpstream, listUpstreams, updateUpstream } from './upstreams.js';
import { createResourceServer, deleteResourceServer, getResourceServer, listResourceServers, replaceResourceServer } from './resource-servers.js';
import { endSessionOperation, listSessions } from './sessions.js';
import { createUser, deleteUser, disconnectUserUpstreamIdentity, exportUser, getUser, listGroups, listUserConsents, listUserSessions, listUsers, listUserUpstreamIdentities, patchUser, removeUserPasskey, setPassword, turnOffTwoStep, unlockUser } from './users.js';

/** Where the admin API is served, under the issuer's path. */
export const ADMIN_API_PATH = '/admin/api';

/** One route of the admin API. */
export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to `/admin/api`, with `{param}` placeholders. */
  path: string;
  // Each operation's input types are checked where it is defined; the table holds them alike.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  operation: AdminOperation<any, any>;
}

const openApiDocument = operation({
  operationId: 'getOpenApiDocument',
  summary: 'This API described as an OpenAPI 3.1 document',
  tag: 'meta',
  response: { status: 200, description: 'the OpenAPI document', schema: z.record(z.string(), z.unknown()) },
  async handle(_input, { ctx }) {
    return buildOpenApiDocument(ADMIN_API_ROUTES, ctx.urls);
  },
});

export const ADMIN_API_ROUTES: readonly AdminRoute[] = [
  { method: 'GET', path: '/openapi.json', operation: openApiDocument },

  { method: 'GET', path: '/clients', operation: listClients },
  { method: 'POST', path: '/clients', operation: createClient },
  { method: 'GET', path: '/clients/{client_id}', operation: getClient },
  { method: 'PUT', path: '/clients/{client_id}', operation: replaceClient },
  { method: 'PATCH', path: '/clients/{client_id}', operation: patchClient },
  { method: 'DELETE', path: '/clients/{client_id}', operation: deleteClient },
  { method: 'POST', path: '/clients/{client_id}/secret', operation: rotateSecret },

  { method: 'GET', path: '/groups', operation: listGroups },
  { method: 'GET', path: '/users', operation: listUsers },
  { method: 'POST', path: '/users', operation: createUser },
  { method: 'GET', path: '/users/{sub}', operation: getUser },
  { method: 'PATCH', path: '/users/{sub}', operation: patchUser },
  { method: 'DELETE', path: '/users/{sub}', operation: deleteUser },
  { method: 'PUT', path: '/users/{sub}/password', operation: setPassword },
  { method: 'POST', path: '/users/{sub}/unlock', operation: unlockUser },
  { method: 'DELETE', path: '/users/{sub}/two-step', operation: turnOffTwoStep },
  { method: 'DELETE', path: '/users/{sub}/passkeys/{id}', operation: removeUserPasskey },
  { method: 'GET', path: '/users/{sub}/export', operation: exportUser },
  { method: 'GET', path: '/users/{sub}/sessions', operation: listUserSessions },
  { method: 'GET', path: '/users/{sub}/consents', operation: listUserConsents },
  { method: 'GET', path: '/users/{sub}/upstream-identities', operation: listUserUpstreamIdentities },
  { method: 'DELETE', path: '/users/{sub}/upstream-identities/{upstream_id}', operation: disconnectUserUpstreamIdentity },

  { method: 'GET', path: '/consents', operation: listConsents },
  { method: 'DELETE', path: '/consents/{sub}/{client_id}', operation: revokeConsent },

  { method: 'GET', path: '/sessions', operation: listSessions },
  { method: 'DELETE', path: '/sessions/{id}', operation: endSessionOperation },

  { method: 'GET', path: '/keys', operation: listKeys },
  { method: 'POST', path: '/keys/rotate', operation: rotateKeys },
  { method: 'POST', path: '/keys/{kid}/retire', operation: retireKey },

  { method: 'GET', path: '/upstreams', operation: listUpstreams },
  { method: 'POST', path: '/upstreams', operation: createUpstream },
  { method: 'GET', path: '/upstreams/{id}', operation: getUpstream },
  { method: 'PATCH', path: '/upstreams/{id}', operation: updateUpstream },
  { method: 'DELETE', path: '/upstreams/{id}', operation: deleteUpstream },

  { method: 'GET', path: '/resource-servers', operation: listResourceServers },
  { method: 'POST', path: '/resource-servers', operation: createResourceServer },
  { method: 'GET', path: '/resource-servers/{resource}', operation: getResourceServer },
  { method: 'PUT', path: '/resource-servers/{resource}', operation: replaceResourceServer },
  { method: 'DELETE', path: '/resource-servers/{resource}', operation: deleteResourceServer },

  { method: 'GET', path: '/initial-access-tokens', operation: listInitialAccessTokens },
  { method: 'POST', path: '/initial-access-tokens', operation: issueInitialAccessToken },
  { method: 'DELETE', path: '/initial-access-tokens/{id}', operation: revokeInitialAccessToken },

  { method: 'GET', path: '/audit-events', operation: listAuditEvents },

  { method: 'GET', path: '/metrics/dashboard', operation: getDashboard },
];
