/** Admin API: the audit log, newest first, filtered by type, actor, client, user and time. */
import { z } from '../../util/zod.js';
import { operation } from './operation.js';
import { listOptions, pageView } from './paging.js';
import { auditEventView, pageOf, pageQuery } from './schemas.js';

const epochSeconds = z.coerce.number().int().min(0);

export const listAuditEvents = operation({
  operationId: 'listAuditEvents',
  summary: 'List audit events, newest first',
  tag: 'audit events',
  query: pageQuery.extend({
    type: z.string().min(1).max(100).optional().describe('e.g. client.registered, login.failed'),
    actor: z.string().min(1).max(300).optional().describe('user:<sub>, client:<client_id>, cli, system, anonymous'),
    client_id: z.string().min(1).max(255).optional(),
    sub: z.string().min(1).max(255).optional(),
    since: epochSeconds.optional().describe('from this time on (epoch seconds, inclusive)'),
    until: epochSeconds.optional().describe('before this time (epoch seconds, exclusive)'),
  }),
  response: { status: 200, description: 'a page of audit events', schema: pageOf(auditEventView) },
  async handle({ query }, { ctx, flushAudit }) {
    // What this process saw a moment ago is on record before it is read.
    await flushAudit();
    const { limit: _limit, cursor: _cursor, ...filter } = query;
    const defined = Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));
    const page = await ctx.storage.audit.list(defined, listOptions(query));
    return pageView(page, (event) => event);
  },
});
