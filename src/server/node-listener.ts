import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Provider } from '../core/provider.js';

/** A Node `(req, res)` listener that hands each request to the provider's `fetch`. */
export function toNodeListener(provider: Provider): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return getRequestListener((request, env) => {
    const remoteAddress = 'incoming' in env ? env.incoming.socket.remoteAddress : undefined;
    return provider.fetch(request, remoteAddress === undefined ? {} : { remoteAddress });
  });
}
