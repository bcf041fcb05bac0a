import { json } from '../http/responses.js';
import type { Endpoint } from './types.js';

/** Liveness: the process answers. For a load balancer's or an orchestrator's liveness probe. */
export const liveEndpoint: Endpoint = async () => json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });

/** Readiness: the storage answers too. 503 while it does not, so traffic goes elsewhere. */
export const readyEndpoint: Endpoint = async (_request, ctx) => {
  try {
    await ctx.storage.ping();
    return json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    ctx.logger.warn({ err: error }, 'readiness check failed');
    return json({ status: 'unavailable' }, { status: 503, headers: { 'cache-control': 'no-store' } });
  }
};
