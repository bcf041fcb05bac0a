import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Provider } from '../core/provider.js';
import { createClientAddressResolver, type ClientAddressResolver } from './client-address.js';

/**
 * A Node `(req, res)` listener that hands each request to the provider's `fetch`, with the client
 * address (`clientAddress`: by default the socket peer; see `createClientAddressResolver` for
 * requests through trusted proxies).
 */
export function toNodeListener(
  provider: Provider,
  clientAddress: ClientAddressResolver = createClientAddressResolver([]),
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return getRequestListener((request, env) => {
    const peer = 'incoming' in env ? env.incoming.socket.remoteAddress : undefined;
    const remoteAddress = clientAddress(peer, request.headers.get('x-forwarded-for'));
    return provider.fetch(request, remoteAddress === undefined ? {} : { remoteAddress });
  });
}
