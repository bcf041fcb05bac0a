/**
 * Admin API: clients. Every RFC 7591 metadata field, registration with fixed or generated
 * identifiers, partial and full updates, secret rotation that shows the new secret once, and
 * enabling / disabling (a disabled client can neither authenticate nor start an authorization,
 * and its tokens stop working).
 */
import { z } from '../../util/zod.js';
import { clientInformation, registerClient, rotateClientSecret, updateClient } from '../../core/client-registration.js';
import type { ProviderContext } from '../../core/context.js';
import { registrationDeps } from '../../endpoints/registration.js';
import type { ClientRecord } from '../../storage/types.js';
import { consoleOwning } from '../admin-client.js';
import { Conflict, InvalidInput, NotFound } from './errors.js';
import { listOptions, pageView } from './paging.js';
import { operation, type AdminContext } from './operation.js';
import { clientCreateBody, clientPatchBody, clientView, clientWithSecretView, pageOf, pageQuery } from './schemas.js';

/** A client as the admin API shows it. */
export function showClient(client: ClientRecord): z.infer<typeof clientView> {
  return { ...clientInformation(client), updated_at: client.updated_at, disabled: client.disabled === true, has_secret: client.client_secret_digest !== undefined } as z.infer<typeof clientView>;
}

/** @throws NotFound */
export async function findClient(client_id: string, ctx: ProviderContext): Promise<ClientRecord> {
  const client = await ctx.storage.clients.find(client_id);
  if (!client) throw new NotFound(`no client ${client_id}`);
  return client;
}

/**
 * A client the admin may change: not a console's own (latchkey keeps those as they must be, and
 * would only recreate them).
 * @throws NotFound | Conflict
 */
async function findChangeableClient(client_id: string, ctx: ProviderContext): Promise<ClientRecord> {
  const site = consoleOwning(client_id);
  if (site !== undefined) throw new Conflict(`${client_id} is the ${site.name} console's own client; latchkey manages it`);
  return findClient(client_id, ctx);
}

export const listClients = operation({
  operationId: 'listClients',
  summary: 'List clients in client_id order; `search` matches the client_id or any metadata (name, redirect URIs …)',
  tag: 'clients',
  query: pageQuery.extend({ search: z.string().min(1).max(255).optional() }),
  response: { status: 200, description: 'a page of clients', schema: pageOf(clientView) },
  async handle({ query }, { ctx }) {
    const page = await ctx.storage.clients.list({ ...listOptions(query), ...(query.search === undefined ? {} : { search: query.search }) });
    return pageView(page, showClient);
  },
});

export const createClient = operation({
  operationId: 'createClient',
  summary: 'Register a client from RFC 7591 metadata; the answer is the only time its secret is shown',
  tag: 'clients',
  body: clientCreateBody,
  bodyError: 'invalid_client_metadata',
  response: { status: 201, description: 'the registered client, with its secret', schema: clientWithSecretView },
  async handle({ body, actor }, admin) {
    const { disabled, ...metadata } = body as Record<string, unknown> & { disabled?: boolean };
    const { client, response } = await registerClient(metadata, registrationDeps(admin.ctx), 'admin');
    let stored = client;
    if (disabled === true) {
      stored = { ...client, disabled: true };
      await admin.ctx.storage.clients.update(stored);
    }
    admin.ctx.events.emit('client.registered', { client_id: client.client_id, origin: 'admin', actor: actor.id });
    if (disabled === true) admin.ctx.events.emit('client.disabled', { client_id: client.client_id, actor: actor.id });
    await admin.flushAudit();
    return { ...showClient(stored), ...(response.client_secret === undefined ? {} : { client_secret: response.client_secret }) };
  },
});

export const getClient = operation({
  operationId: 'getClient',
  summary: 'Show one client',
  tag: 'clients',
  response: { status: 200, description: 'the client', schema: clientView },
  async handle({ params }, { ctx }) {
    return showClient(await findClient(params.client_id!, ctx));
  },
});

export const replaceClient = operation({
  operationId: 'replaceClient',
  summary: "Replace a client's metadata (omitted fields return to their defaults); the secret stays unless the new method needs one",
  tag: 'clients',
  body: clientCreateBody,
  bodyError: 'invalid_client_metadata',
  response: { status: 200, description: 'the client; with `client_secret` only when a new one had to be generated', schema: clientWithSecretView },
  async handle({ params, body, actor }, admin) {
    const existing = await findChangeableClient(params.client_id!, admin.ctx);
    const { disabled, ...metadata } = body as Record<string, unknown> & { disabled?: boolean };
    return applyUpdate(existing, metadata, disabled, actor.id, admin);
  },
});

export const patchClient = operation({
  operationId: 'patchClient',
  summary: "Change some of a client's metadata, or enable / disable it (`disabled`)",
  tag: 'clients',
  body: clientPatchBody,
  bodyError: 'invalid_client_metadata',
  response: { status: 200, description: 'the client; with `client_secret` only when a new one had to be generated', schema: clientWithSecretView },
  async handle({ params, body, actor }, admin) {
    const existing = await findChangeableClient(params.client_id!, admin.ctx);
    const { disabled, ...changes } = body as Record<string, unknown>;
    if (disabled !== undefined && typeof disabled !== 'boolean') throw new InvalidInput([{ field: 'disabled', message: 'expected boolean' }], 'invalid_client_metadata');
    if (Object.keys(changes).length === 0) return applyDisabled(existing, disabled as boolean | undefined, actor.id, admin);
    const current = metadataOf(existing);
    const merged = Object.fromEntries(Object.entries({ ...current, ...changes }).filter(([, value]) => value !== null));
    return applyUpdate(existing, merged, disabled as boolean | undefined, actor.id, admin);
  },
});

export const deleteClient = operation({
  operationId: 'deleteClient',
  summary: 'Delete a client; its tokens stop working at once',
  tag: 'clients',
  response: { status: 204, description: 'deleted' },
  async handle({ params, actor }, admin) {
    await findChangeableClient(params.client_id!, admin.ctx);
    if (!(await admin.ctx.storage.clients.delete(params.client_id!))) throw new NotFound(`no client ${params.client_id}`);
    admin.ctx.events.emit('client.deleted', { client_id: params.client_id!, origin: 'admin', actor: actor.id });
    await admin.flushAudit();
  },
});

export const rotateSecret = operation({
  operationId: 'rotateClientSecret',
  summary: 'Give the client a new generated secret; the old one stops working at once. The answer is the only time the new secret is shown',
  tag: 'clients',
  response: {
    status: 200,
    description: 'the new secret',
    schema: z.object({ client_id: z.string(), client_secret: z.string(), client_secret_expires_at: z.number().int() }),
  },
  async handle({ params, actor }, admin) {
    const existing = await findChangeableClient(params.client_id!, admin.ctx);
    const { client, client_secret } = await rotateClientSecret(existing, registrationDeps(admin.ctx));
    admin.ctx.events.emit('client.secret_rotated', { client_id: client.client_id, actor: actor.id });
    await admin.flushAudit();
    return { client_id: client.client_id, client_secret, client_secret_expires_at: client.client_secret_expires_at };
  },
});

/** The metadata of a stored client (what an update starts from). */
function metadataOf(client: ClientRecord): Record<string, unknown> {
  const { client_id: _id, client_id_issued_at: _issued, client_secret_expires_at: _expires, registration_access_token: _token, ...metadata } = clientInformation(client);
  return metadata;
}

async function applyUpdate(existing: ClientRecord, metadata: Record<string, unknown>, disabled: boolean | undefined, actor: string, admin: AdminContext) {
  const { client, response } = await updateClient(existing, metadata, registrationDeps(admin.ctx), 'admin');
  admin.ctx.events.emit('client.updated', { client_id: client.client_id, origin: 'admin', actor });
  const result = await applyDisabled(client, disabled, actor, admin);
  return { ...result, ...(response.client_secret === undefined ? {} : { client_secret: response.client_secret }) };
}

/** Enables or disables the client when `disabled` says so and it is not so already. */
async function applyDisabled(client: ClientRecord, disabled: boolean | undefined, actor: string, admin: AdminContext) {
  let current = client;
  if (disabled !== undefined && disabled !== (client.disabled === true)) {
    current = { ...client, updated_at: admin.ctx.clock.now() };
    if (disabled) current.disabled = true;
    else delete current.disabled;
    await admin.ctx.storage.clients.update(current);
    admin.ctx.events.emit(disabled ? 'client.disabled' : 'client.enabled', { client_id: client.client_id, actor });
  }
  await admin.flushAudit();
  return showClient(current);
}

