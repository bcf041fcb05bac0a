/**
 * Admin API: the dashboard's figures — per-minute counts of tokens issued by grant, logins,
 * sessions and HTTP responses, added up by every process of the installation in
 * `storage.metrics`, and the login sessions active now. The admin console draws its charts from
 * this answer.
 */
import { z } from '../../util/zod.js';
import { MAX_DASHBOARD_MINUTES, readDashboard } from '../../observability/dashboard.js';
import { operation } from './operation.js';
import { dashboardView } from './schemas.js';

/** `GET /metrics/dashboard`: the figures the admin console's dashboard draws. */
export const getDashboard = operation({
  operationId: 'getDashboard',
  summary: 'The dashboard: per-minute tokens issued by grant, logins, sessions and HTTP responses over the last `minutes` minutes, their totals, and the active sessions now',
  tag: 'metrics',
  query: z.object({
    minutes: z.coerce.number().int().min(1).max(MAX_DASHBOARD_MINUTES).default(60).describe(`the window, in minutes up to the current one (1 to ${MAX_DASHBOARD_MINUTES}; default 60)`),
  }),
  response: { status: 200, description: 'the figures; minutes without activity count 0', schema: dashboardView },
  async handle({ query }, { ctx }) {
    // This process's counts of the last few seconds are on record before they are read; other
    // processes add theirs every few seconds.
    await ctx.metrics.flush();
    return readDashboard(ctx.storage, ctx.clock.now(), { minutes: query.minutes });
  },
});
