import type { ProviderContext } from '../core/context.js';
import type { ProtocolRequest } from '../http/protocol-request.js';
import type { Answer } from '../http/responses.js';

/** What the router knows of a request beyond the Request itself. */
export interface RouteInfo {
  /** Path parameters (`/interaction/:uid` → `{ uid }`). */
  pathParams: Readonly<Record<string, string>>;
  /** The client's IP address as the host adapter saw it (for login throttling); may be absent. */
  remoteAddress?: string;
  /** Identifies the request in logs and in 500 responses. */
  requestId: string;
}

/** An endpoint: a request (a Web Request, or what the Node listener reads: `ProtocolRequest`) in, its answer (`Answer`: status, headers, body) out. */
export type Endpoint = (request: ProtocolRequest, ctx: ProviderContext, route: RouteInfo) => Promise<Answer>;
