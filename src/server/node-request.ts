import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ProtocolRequest } from '../http/protocol-request.js';

/**
 * A Node request, with its body already read, as the `ProtocolRequest` an endpoint reads: no
 * Fetch `Request` or `Headers` is built. Header values follow Fetch: names match case-insensitively
 * and a repeated header's values are joined with `, ` (Node's `req.headers` would keep only the
 * first `Authorization`, and join `Cookie` with `; `), read from the raw header list.
 */
export function nodeProtocolRequest(req: IncomingMessage, body: string): ProtocolRequest {
  const raw = req.rawHeaders;
  const get = (name: string): string | null => {
    let value: string | null = null;
    for (let i = 0; i < raw.length; i += 2) {
      const header = raw[i]!;
      if (header.length === name.length && header.toLowerCase() === name) value = value === null ? raw[i + 1]! : `${value}, ${raw[i + 1]!}`;
    }
    return value;
  };
  return {
    method: req.method ?? 'GET',
    // Endpoints read only the query of it; a Host that makes no URL is left out.
    get url() {
      const scheme = (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
      const url = `${scheme}://${get('host') ?? 'localhost'}${req.url ?? '/'}`;
      return URL.canParse(url) ? url : `${scheme}://localhost${req.url ?? '/'}`;
    },
    headers: {
      get: (name) => get(name.toLowerCase()),
      has: (name) => get(name.toLowerCase()) !== null,
    },
    text: () => Promise.resolve(body),
  };
}
