import type { Logger } from '../core/context.js';

/**
 * One request log line: who asked what and how it went. The route pattern stands for the path,
 * and neither query nor body nor header is logged, so that no code, token or secret reaches the
 * logs.
 */
export interface RequestLogLine {
  /** Also the response's `x-request-id` header, and in the 500 page and the error's log line. */
  requestId: string;
  method: string;
  /** The route pattern (`/token`, `/interaction/:uid`), or `unmatched`. */
  route: string;
  status: number;
  /** Time to the response, in milliseconds (two decimals). */
  durationMs: number;
  /** The client's address, when the host adapter knows it (behind trusted proxies, from `X-Forwarded-For`). */
  remoteAddress?: string;
}

/**
 * Logs one answered request, message `request`: at `info`, or at `debug` for an operational
 * route (health probes and scrapes arrive every few seconds and say nothing of the traffic) and
 * for the pre-built public documents (discovery, JWKS: fetched and cached by every relying party).
 * @see ../../docs/observability.md (request logs)
 */
export function logRequest(logger: Logger, line: RequestLogLine, level: 'info' | 'debug'): void {
  if (level === 'debug') logger.debug(line, 'request');
  else logger.info(line, 'request');
}
