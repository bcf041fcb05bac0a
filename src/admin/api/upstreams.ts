/**
 * Admin API: upstream OpenID Providers people may sign in with (`upstreams/`). The path names one
 * by its id: `/upstreams/corp`. A client secret is written, never read back (`has_client_secret`).
 */
import type { ProviderContext } from '../../core/context.js';
import { StorageConflict } from '../../storage/types.js';
import { changedUpstream, newUpstream, showUpstream, upstreamCreateBody, upstreamPatchBody, upstreamView } from '../../upstreams/upstream-input.js';
import { Conflict, NotFound } from './errors.js';
import { operation } from './operation.js';
import { z } from '../../util/zod.js';

function masterSecret(ctx: ProviderContext): string {
  // The server always has one (LATCHKEY_SECRET); a library host without one offers no upstreams.
  if (ctx.config.secret === undefined) throw new Conflict('upstream providers need the master secret (LATCHKEY_SECRET) to seal their client secrets');
  return ctx.config.secret;
}

export const listUpstreams = operation({
  operationId: 'listUpstreams',
  summary: 'List upstream providers in id order',
  tag: 'upstream providers',
  response: { status: 200, description: 'every upstream provider', schema: z.object({ items: z.array(upstreamView) }) },
  async handle(_input, { ctx }) {
    return { items: (await ctx.storage.upstreams.list()).map((upstream) => showUpstream(upstream, ctx.urls.issuer)) };
  },
});

export const createUpstream = operation({
  operationId: 'createUpstream',
  summary: 'Add an upstream provider; register its redirect_uri there',
  tag: 'upstream providers',
  body: upstreamCreateBody,
  response: { status: 201, description: 'the upstream provider', schema: upstreamView },
  async handle({ body, actor }, admin) {
    const upstream = await newUpstream(body, masterSecret(admin.ctx), admin.ctx.clock.now());
    try {
      await admin.ctx.storage.upstreams.create(upstream);
    } catch (error) {
      if (error instanceof StorageConflict) throw new Conflict(`upstream provider ${upstream.id} exists`, { field: 'id' });
      throw error;
    }
    admin.ctx.events.emit('upstream.created', { id: upstream.id, actor: actor.id });
    await admin.flushAudit();
    return showUpstream(upstream, admin.ctx.urls.issuer);
  },
});

export const getUpstream = operation({
  operationId: 'getUpstream',
  summary: 'Show one upstream provider',
  tag: 'upstream providers',
  response: { status: 200, description: 'the upstream provider', schema: upstreamView },
  async handle({ params }, { ctx }) {
    const upstream = await ctx.storage.upstreams.find(params.id!);
    if (!upstream) throw new NotFound(`no upstream provider ${params.id}`);
    return showUpstream(upstream, ctx.urls.issuer);
  },
});

export const updateUpstream = operation({
  operationId: 'updateUpstream',
  summary: 'Change an upstream provider (its id stays; client_secret null removes the secret)',
  tag: 'upstream providers',
  body: upstreamPatchBody,
  response: { status: 200, description: 'the upstream provider', schema: upstreamView },
  async handle({ params, body, actor }, admin) {
    const existing = await admin.ctx.storage.upstreams.find(params.id!);
    if (!existing) throw new NotFound(`no upstream provider ${params.id}`);
    const upstream = await changedUpstream(existing, body, masterSecret(admin.ctx), admin.ctx.clock.now());
    await admin.ctx.storage.upstreams.update(upstream);
    admin.ctx.events.emit('upstream.updated', { id: upstream.id, actor: actor.id });
    await admin.flushAudit();
    return showUpstream(upstream, admin.ctx.urls.issuer);
  },
});

export const deleteUpstream = operation({
  operationId: 'deleteUpstream',
  summary: 'Delete an upstream provider and every account’s connection to it (the accounts stay)',
  tag: 'upstream providers',
  response: { status: 204, description: 'deleted' },
  async handle({ params, actor }, admin) {
    if (!(await admin.ctx.storage.upstreams.delete(params.id!))) throw new NotFound(`no upstream provider ${params.id}`);
    admin.ctx.events.emit('upstream.deleted', { id: params.id!, actor: actor.id });
    await admin.flushAudit();
  },
});
