import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { DirectRoute } from '../core/direct-routes.js';
import type { Engine } from '../core/engine.js';
import type { PrebuiltDocument } from '../core/prebuilt-documents.js';
import { MAX_FORM_BYTES } from '../http/params.js';
import { createClientAddressResolver, type ClientAddressResolver } from './client-address.js';
import { nodeProtocolRequest } from './node-request.js';
import { togetherAtTurnEnd } from '../util/turn-end.js';
import { writeAtTurnEnd } from './turn-end-writes.js';

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
  [BUFFERED_BODY]?: string;
}

/**
 * A Node `(req, res)` listener that hands each request to the engine's `fetch`, with the client
 * address (`clientAddress`: by default the socket peer; see `createClientAddressResolver` for
 * requests through trusted proxies). Mounted under a path (`app.use('/auth', listener)`), it
 * routes by the full URL; after a body parser has read the body, it re-encodes what the parser
 * left (mount the provider before body parsers to avoid that work).
 */
export function toNodeListener(engine: Pick<Engine, 'fetch' | 'handles' | 'prebuilt' | 'direct'>, clientAddress: ClientAddressResolver = createClientAddressResolver([])): NodeListener {
  // The adapter installs its lightweight Request and Response as the globals (its default; its
  // Request works only that way). Responses built by the engine never change after construction,
  // which those stand-ins require (http/responses.ts).
  const handle = (request: Request, env: { incoming: IncomingMessage } | object) => {
    const incoming = 'incoming' in env ? (env.incoming as ConnectRequest) : undefined;
    const remoteAddress = clientAddress(incoming?.socket.remoteAddress, request.headers.get('x-forwarded-for'));
    const buffered = incoming?.[BUFFERED_BODY];
    // The body is in memory already: `text()` answers from it, instead of the adapter building a
    // full Fetch Request around a stream of it (most of the cost of a small POST).
    if (buffered !== undefined) Object.defineProperty(request, 'text', { value: () => Promise.resolve(buffered) });
    return engine.fetch(request, remoteAddress === undefined ? {} : { remoteAddress });
  };
  const streaming = getRequestListener(handle);
  // A body read here is consumed: nothing is left for the adapter to drain after the answer.
  const buffered = getRequestListener(handle, { autoCleanupIncoming: false });
  return (req, res, next) => {
    const incoming = req as ConnectRequest;
    const url = incoming.originalUrl ?? req.url ?? '/';
    if (next !== undefined && !engine.handles(new URL(url, 'http://host').pathname)) {
      next();
      return;
    }
    req.url = url;
    const query = url.indexOf('?');
    const pathname = query < 0 ? url : url.slice(0, query);
    if (req.method === 'GET' || req.method === 'HEAD') {
      // Discovery and the JWKS are bytes ready to go: no request pipeline — but the same request
      // id, count and log line as every other answer.
      const document = engine.prebuilt(pathname);
      if (document !== undefined) {
        const started = performance.now();
        const requestId = randomUUID();
        writeAtTurnEnd(res, 200, [...headerLines(document), 'x-request-id', requestId], req.method === 'HEAD' ? undefined : document.body);
        const remoteAddress = clientAddress(req.socket.remoteAddress, headerOf(req, 'x-forwarded-for'));
        document.served({ method: req.method, requestId, durationSeconds: (performance.now() - started) / 1000, ...(remoteAddress === undefined ? {} : { remoteAddress }) });
        return;
      }
    }
    // The provider's routes (protocol endpoints and pages) read the request as Node parsed it,
    // and their answer is written from the parts it was built from: no Fetch Request or Response,
    // no router. A body is read first, when it is small and of a declared length.
    const direct = engine.direct(req.method ?? 'GET', pathname);
    if (direct !== undefined && (hasNoBody(req) || hasSmallBodyToRead(req))) {
      const answered = hasNoBody(req) ? answerDirect(direct, req, res, '', clientAddress) : readBody(req).then((body) => answerDirect(direct, req, res, body.toString('utf8'), clientAddress));
      answered.catch((error: unknown) => res.destroy(error instanceof Error ? error : undefined));
      return;
    }
    if (req.readableEnded && incoming.rawBody === undefined && incoming.body !== undefined) {
      incoming.rawBody = encodeParsedBody(incoming.body, req.headers['content-type']);
    }
    if (!hasSmallBodyToRead(req)) {
      void streaming(req, res);
      return;
    }
    readBody(req).then(
      (body) => {
        incoming.rawBody = body;
        incoming[BUFFERED_BODY] = body.toString('utf8');
        void buffered(req, res);
      },
      () => req.destroy(),
    );
  };
}

/**
 * Answers a request on a direct route: handled at the end of the turn, back to back with the
 * turn's other requests (`togetherAtTurnEnd`), and the engine's answer written as built
 * (turn-end-writes.ts). A request handled as soon as it is parsed, between the parsing of one and
 * the next, runs cold: its signature cost the server 65 µs of CPU where a loop signs in 25 µs, its
 * SQLite statements and the rest of its code likewise. Handled together: `client_credentials`
 * and introspection 0.82× the CPU, side by side, the other protocol cases 0.89–0.94×.
 */
async function answerDirect(route: DirectRoute, req: IncomingMessage, res: ServerResponse, body: string, clientAddress: ClientAddressResolver): Promise<void> {
  const requestId = randomUUID();
  const remoteAddress = clientAddress(req.socket.remoteAddress, headerOf(req, 'x-forwarded-for'));
  const answer = await togetherAtTurnEnd(() => route.answer(nodeProtocolRequest(req, body), remoteAddress === undefined ? { requestId } : { requestId, remoteAddress }));
  const lines = [...answer.headers, ...route.headers, 'x-request-id', requestId];
  if (answer.body !== null) lines.push('content-length', String(Buffer.byteLength(answer.body)));
  writeAtTurnEnd(res, answer.status, lines, answer.body ?? undefined);
}

/**
 * A pre-built document's headers, `Content-Length` included, as the flat name/value list that
 * `writeHead` also takes: Node writes such a list out with less work than an object's keys (a
 * fifth more answers per second, measured side by side on a bare server with these headers).
 * Built once per document (the JWKS's is a new document when the keys change).
 */
const headerLinesOf = new WeakMap<PrebuiltDocument, readonly string[]>();
function headerLines(document: PrebuiltDocument): readonly string[] {
  let lines = headerLinesOf.get(document);
  if (lines === undefined) {
    lines = [...Object.entries(document.headers).flat(), 'content-length', String(document.body.length)];
    headerLinesOf.set(document, lines);
  }
  return lines;
}

/** The body of a request, as read by `toNodeListener` before the engine runs. */
const BUFFERED_BODY = Symbol('latchkey buffered body');

/**
 * A protocol request's body, not yet read, whose declared length is within what the engine
 * accepts (`MAX_FORM_BYTES`). Anything else — no body, a chunked or oversized one — goes to the
 * adapter as a stream, where the router's body limit answers 413 without reading it all.
 */
function hasSmallBodyToRead(req: IncomingMessage): boolean {
  if (req.method === 'GET' || req.method === 'HEAD' || req.readableEnded || req.readableDidRead) return false;
  const length = req.headers['content-length'];
  if (length === undefined || req.headers['transfer-encoding'] !== undefined) return false;
  const bytes = Number(length);
  return Number.isInteger(bytes) && bytes >= 0 && bytes <= MAX_FORM_BYTES;
}

/** A request that comes without a body: a GET, or one that declares neither a length nor chunks (RFC 9112 §6.3). */
function hasNoBody(req: IncomingMessage): boolean {
  return req.method === 'GET' || (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined);
}

/** Reads the whole body (Node's parser stops at Content-Length, which is within the limit). */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
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

/** A request header as one string (Node gives a repeated header as an array). */
function headerOf(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}
