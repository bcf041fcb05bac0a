/**
 * Admin API: login sessions. Ending one is a logout made by the administrator: the session is
 * gone, the grants made in it are revoked with their tokens (unless given `offline_access`), and
 * relying parties with back-channel logout are notified.
 */
import { z } from '../../util/zod.js';
import { endSession } from '../../interaction/logout.js';
import { NotFound } from './errors.js';
import { listOptions, pageView } from './paging.js';
import { operation } from './operation.js';
import { pageOf, pageQuery, sessionView } from './schemas.js';
import { showSession } from './views.js';

export const listSessions = operation({
  operationId: 'listSessions',
  summary: 'List login sessions (of one user with `sub`), soonest to expire first',
  tag: 'sessions',
  query: pageQuery.extend({ sub: z.string().min(1).optional() }),
  response: { status: 200, description: 'a page of sessions', schema: pageOf(sessionView) },
  async handle({ query }, { ctx }) {
    const page = await ctx.storage.artifacts.list('session', { ...listOptions(query), ...(query.sub === undefined ? {} : { owner: query.sub }) });
    return pageView(page, showSession);
  },
});

export const endSessionOperation = operation({
  operationId: 'endSession',
  summary: 'End a login session: its grants are revoked with their tokens (but those given offline_access) and relying parties are notified by back-channel logout',
  tag: 'sessions',
  response: { status: 204, description: 'ended' },
  async handle({ params, actor }, admin) {
    const id = params.id!;
    const record = await admin.ctx.storage.artifacts.find('session', id);
    if (!record) throw new NotFound(`no session ${id}`);
    await endSession({ id, record }, admin.ctx, { actor: actor.id });
    await admin.flushAudit();
  },
});
