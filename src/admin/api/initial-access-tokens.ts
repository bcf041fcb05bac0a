/**
 * Admin API: initial access tokens (RFC 7591 §3), each letting its holder register one client at
 * `/register`. The token itself is shown once, when issued; the list shows storage ids (digests).
 */
import { z } from '../../util/zod.js';
import { digestSecret } from '../../util/digest.js';
import { randomToken } from '../../util/random.js';
import { NotFound } from './errors.js';
import { listOptions, pageView } from './paging.js';
import { operation } from './operation.js';
import { initialAccessTokenView, pageOf, pageQuery } from './schemas.js';

export const listInitialAccessTokens = operation({
  operationId: 'listInitialAccessTokens',
  summary: 'List unexpired, unused initial access tokens, soonest to expire first',
  tag: 'initial access tokens',
  query: pageQuery,
  response: { status: 200, description: 'a page of initial access tokens', schema: pageOf(initialAccessTokenView) },
  async handle({ query }, { ctx }) {
    const page = await ctx.storage.artifacts.list('initial_access_token', { ...listOptions(query) });
    // A spent token stays stored until it expires (so that a replay is recognized); it is no longer usable.
    const unused = { ...page, items: page.items.filter((item) => !item.consumed) };
    return pageView(unused, (item) => ({ id: item.id, issued_at: item.value.issued_at, expires_at: item.expires_at, ...(item.value.issued_by === undefined ? {} : { issued_by: item.value.issued_by }) }));
  },
});

export const issueInitialAccessToken = operation({
  operationId: 'issueInitialAccessToken',
  summary: 'Issue an initial access token; the answer is the only time it is shown',
  tag: 'initial access tokens',
  body: z.object({ ttl_seconds: z.number().int().min(60).max(2_592_000).default(86_400).describe('60 to 2592000; default 86400') }).strict(),
  response: {
    status: 201,
    description: 'the token',
    schema: z.object({ id: z.string(), initial_access_token: z.string().describe('shown once'), expires_at: z.number().int() }),
  },
  async handle({ body, actor }, admin) {
    const { ctx } = admin;
    const initial_access_token = randomToken();
    const id = digestSecret(initial_access_token);
    const now = ctx.clock.now();
    await ctx.storage.artifacts.put('initial_access_token', id, { issued_at: now, issued_by: actor.id }, body.ttl_seconds);
    ctx.events.emit('initial_access_token.issued', { id, expires_at: now + body.ttl_seconds, actor: actor.id });
    await admin.flushAudit();
    return { id, initial_access_token, expires_at: now + body.ttl_seconds };
  },
});

export const revokeInitialAccessToken = operation({
  operationId: 'revokeInitialAccessToken',
  summary: 'Revoke an initial access token before it is used',
  tag: 'initial access tokens',
  response: { status: 204, description: 'revoked' },
  async handle({ params, actor }, admin) {
    const { ctx } = admin;
    if (!(await ctx.storage.artifacts.find('initial_access_token', params.id!))) throw new NotFound(`no initial access token ${params.id}`);
    await ctx.storage.artifacts.delete('initial_access_token', params.id!);
    ctx.events.emit('initial_access_token.revoked', { id: params.id!, actor: actor.id });
    await admin.flushAudit();
  },
});
