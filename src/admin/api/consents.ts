/**
 * Admin API: remembered consents. Revoking one withdraws the consent (the user is asked again
 * next time) and revokes every authorization the user gave that client, with its tokens.
 */
import { z } from '../../util/zod.js';
import { withdrawConsent } from '../../grants/withdraw-consent.js';
import { NotFound } from './errors.js';
import { listOptions, pageView } from './paging.js';
import { operation } from './operation.js';
import { consentView, pageOf, pageQuery } from './schemas.js';
import { showConsent } from './views.js';

export const listConsents = operation({
  operationId: 'listConsents',
  summary: 'List consents, of one user (`sub`) and/or to one client (`client_id`)',
  tag: 'consents',
  query: pageQuery.extend({ sub: z.string().min(1).optional(), client_id: z.string().min(1).optional() }),
  response: { status: 200, description: 'a page of consents, by (sub, client_id)', schema: pageOf(consentView) },
  async handle({ query }, { ctx }) {
    const filter = { ...(query.sub === undefined ? {} : { sub: query.sub }), ...(query.client_id === undefined ? {} : { client_id: query.client_id }) };
    const page = await ctx.storage.consents.list(filter, { ...listOptions(query) });
    return pageView(page, showConsent);
  },
});

export const revokeConsent = operation({
  operationId: 'revokeConsent',
  summary: "Withdraw a user's consent to a client and revoke the tokens of every authorization behind it",
  tag: 'consents',
  response: { status: 204, description: 'revoked' },
  async handle({ params, actor }, admin) {
    const { ctx } = admin;
    const sub = params.sub!;
    const client_id = params.client_id!;
    if (!(await withdrawConsent(sub, client_id, actor.id, ctx))) throw new NotFound(`no consent of ${sub} to ${client_id}`);
    await admin.flushAudit();
  },
});
