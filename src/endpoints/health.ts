import { json } from '../http/responses.js';
import type { Endpoint } from './types.js';

/**
 * How long readiness waits for the storage, in ms. A probe gives up after a few seconds anyway;
 * answering 503 first says why, and a storage that takes this long is not ready for traffic.
 */
const READINESS_TIMEOUT_MS = 2000;

/** Liveness: the process answers. For a load balancer's or an orchestrator's liveness probe. */
export const liveEndpoint: Endpoint = async () => json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });

/**
 * Readiness: the storage answers too (`storage.ping()`: the database, and Redis when configured),
 * within `READINESS_TIMEOUT_MS`. 503 while it does not, so that traffic goes elsewhere.
 */
export const readyEndpoint: Endpoint = async (_request, ctx) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      ctx.storage.ping(),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`storage did not answer within ${READINESS_TIMEOUT_MS} ms`)), READINESS_TIMEOUT_MS);
      }),
    ]);
    return json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    ctx.logger.warn({ err: error }, 'readiness check failed');
    return json({ status: 'unavailable' }, { status: 503, headers: { 'cache-control': 'no-store' } });
  } finally {
    clearTimeout(timer);
  }
};
