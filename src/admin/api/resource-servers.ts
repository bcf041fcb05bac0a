/**
 * Admin API: resource servers (RFC 8707): the APIs access tokens can be issued for, with their
 * scopes, token format (opaque or RFC 9068 JWT) and lifetime. The path names one by its
 * identifier, percent-encoded: `/resource-servers/https%3A%2F%2Fapi.example.com`.
 */
import type { z } from 'zod';
import type { ProviderContext } from '../../core/context.js';
import { parseResourceServer } from '../../core/resource-servers.js';
import { type ResourceServerRecord, StorageConflict } from '../../storage/types.js';
import { Conflict, InvalidInput, NotFound } from './errors.js';
import { listOptions, pageView } from './paging.js';
import { operation } from './operation.js';
import { pageOf, pageQuery, resourceServerBody, resourceServerView } from './schemas.js';

/**
 * The client a resource server introspects as must exist.
 * @throws InvalidInput
 */
async function checkIntrospectingClient(server: ResourceServerRecord, ctx: ProviderContext): Promise<void> {
  if (server.client_id !== undefined && !(await ctx.storage.clients.find(server.client_id))) {
    throw new InvalidInput([{ field: 'client_id', message: `${server.client_id} is not a registered client` }]);
  }
}

function showResourceServer(server: ResourceServerRecord): z.infer<typeof resourceServerView> {
  return { ...server };
}

export const listResourceServers = operation({
  operationId: 'listResourceServers',
  summary: 'List resource servers in identifier order',
  tag: 'resource servers',
  query: pageQuery,
  response: { status: 200, description: 'a page of resource servers', schema: pageOf(resourceServerView) },
  async handle({ query }, { ctx }) {
    const page = await ctx.storage.resourceServers.list({ ...listOptions(query) });
    return pageView(page, showResourceServer);
  },
});

export const createResourceServer = operation({
  operationId: 'createResourceServer',
  summary: 'Register a resource server',
  tag: 'resource servers',
  body: resourceServerBody,
  response: { status: 201, description: 'the resource server', schema: resourceServerView },
  async handle({ body, actor }, admin) {
    const server = parseResourceServer(body, admin.ctx.clock);
    await checkIntrospectingClient(server, admin.ctx);
    try {
      await admin.ctx.storage.resourceServers.create(server);
    } catch (error) {
      if (error instanceof StorageConflict) throw new Conflict(`resource server ${server.resource} is already registered`, { field: 'resource' });
      throw error;
    }
    admin.ctx.events.emit('resource_server.registered', { resource: server.resource, actor: actor.id });
    await admin.flushAudit();
    return showResourceServer(server);
  },
});

export const getResourceServer = operation({
  operationId: 'getResourceServer',
  summary: 'Show one resource server',
  tag: 'resource servers',
  response: { status: 200, description: 'the resource server', schema: resourceServerView },
  async handle({ params }, { ctx }) {
    const server = await ctx.storage.resourceServers.find(params.resource!);
    if (!server) throw new NotFound(`no resource server ${params.resource}`);
    return showResourceServer(server);
  },
});

export const replaceResourceServer = operation({
  operationId: 'replaceResourceServer',
  summary: 'Replace a resource server’s definition (its identifier stays)',
  tag: 'resource servers',
  body: resourceServerBody,
  response: { status: 200, description: 'the resource server', schema: resourceServerView },
  async handle({ params, body, actor }, admin) {
    const existing = await admin.ctx.storage.resourceServers.find(params.resource!);
    if (!existing) throw new NotFound(`no resource server ${params.resource}`);
    if (body.resource !== existing.resource) throw new InvalidInput([{ field: 'resource', message: 'must be the resource server’s own identifier' }]);
    const parsed = parseResourceServer(body, admin.ctx.clock);
    await checkIntrospectingClient(parsed, admin.ctx);
    const server: ResourceServerRecord = { ...parsed, created_at: existing.created_at };
    await admin.ctx.storage.resourceServers.update(server);
    admin.ctx.events.emit('resource_server.updated', { resource: server.resource, actor: actor.id });
    await admin.flushAudit();
    return showResourceServer(server);
  },
});

export const deleteResourceServer = operation({
  operationId: 'deleteResourceServer',
  summary: 'Delete a resource server; tokens already issued for it stay valid until they expire',
  tag: 'resource servers',
  response: { status: 204, description: 'deleted' },
  async handle({ params, actor }, admin) {
    if (!(await admin.ctx.storage.resourceServers.delete(params.resource!))) throw new NotFound(`no resource server ${params.resource}`);
    admin.ctx.events.emit('resource_server.deleted', { resource: params.resource!, actor: actor.id });
    await admin.flushAudit();
  },
});
