import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Engine } from '../core/engine.js';
import { createClientAddressResolver, type ClientAddressResolver } from './client-address.js';

/**
 * A Node request listener, also usable as Express / Connect middleware: with a `next`, requests
 * for paths that are not the provider's go on to the host's next handler.
 */
export type NodeListener = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/** What Express and Connect add to a Node request. */
interface ConnectRequest extends IncomingMessage {
  /** The URL before a mount path was stripped from `url`. */
  originalUrl?: string;
  /** A body a body-parsing middleware already read. */
  body?: unknown;
  /** The raw body, for adapters (`@hono/node-server` reads it when the stream is spent). */
  rawBody?: Buffer;
}

/**
 * A Node `(req, res)` listener that hands each request to the engine's `fetch`, with the client
 * address (`clientAddress`: by default the socket peer; see `createClientAddressResolver` for
 * requests through trusted proxies). Mounted under a path (`app.use('/auth', listener)`), it
 * routes by the full URL; after a body parser has read the body, it re-encodes what the parser
 * left (mount the provider before body parsers to avoid that work).
 */
export function toNodeListener(engine: Pick<Engine, 'fetch' | 'handles'>, clientAddress: ClientAddressResolver = createClientAddressResolver([])): NodeListener {
  // The adapter installs its lightweight Request and Response as the globals (its default; its
  // Request works only that way). Responses built by the engine never change after construction,
  // which those stand-ins require (http/responses.ts).
  const listener = getRequestListener((request, env) => {
    const peer = 'incoming' in env ? env.incoming.socket.remoteAddress : undefined;
    const remoteAddress = clientAddress(peer, request.headers.get('x-forwarded-for'));
    return engine.fetch(request, remoteAddress === undefined ? {} : { remoteAddress });
  });
  return (req, res, next) => {
    const incoming = req as ConnectRequest;
    const url = incoming.originalUrl ?? req.url ?? '/';
    if (next !== undefined && !engine.handles(new URL(url, 'http://host').pathname)) {
      next();
      return;
    }
    req.url = url;
    if (req.readableEnded && incoming.rawBody === undefined && incoming.body !== undefined) {
      incoming.rawBody = encodeParsedBody(incoming.body, req.headers['content-type']);
    }
    void listener(req, res);
  };
}

/** A body a parser already turned into a string, buffer or object, back as bytes. */
function encodeParsedBody(body: unknown, contentType: string | undefined): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  if (typeof body !== 'object' || body === null) return Buffer.alloc(0);
  if (/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType ?? '')) return Buffer.from(JSON.stringify(body));
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(body)) {
    for (const item of Array.isArray(value) ? value : [value]) form.append(name, String(item));
  }
  return Buffer.from(form.toString());
}
