/**
 * The provider's own outbound HTTP requests (a client's `jwks_uri`, logout notifications), with
 * one policy for all of them: a timeout, a size limit on the answer, https only, and redirects
 * followed by hand so that each hop passes the same checks. The transport underneath is a port:
 * the Node server plugs in one that also refuses private and loopback addresses at connect time
 * (`server/guarded-transport.ts`); without one, Web `fetch` is used.
 */

/** Sends one request and does not follow redirects. */
export type OutboundTransport = (
  url: URL,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; signal: AbortSignal },
) => Promise<Response>;

/** Limits of one outbound request. */
export interface OutboundLimits {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  /** Also accept plain http (development only). */
  allowHttp: boolean;
}

export const DEFAULT_OUTBOUND_LIMITS: OutboundLimits = { timeoutMs: 5000, maxBytes: 512 * 1024, maxRedirects: 3, allowHttp: false };

/** The default limits; plain http is allowed too where private network fetches are (development only). */
export function outboundLimits(options: { allowPrivateNetwork: boolean }): OutboundLimits {
  return { ...DEFAULT_OUTBOUND_LIMITS, allowHttp: options.allowPrivateNetwork };
}

/** An outbound request failed or was refused; `message` says why, for logs and error descriptions. */
export class OutboundError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OutboundError';
  }
}

/** Web `fetch`, never following redirects itself. */
export const webFetchTransport: OutboundTransport = (url, init) => fetch(url, { ...init, redirect: 'manual' });

/** A completed outbound request: status, headers and the body as text (within the size limit). */
export interface OutboundResponse {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * Sends a request under the outbound policy.
 * @throws OutboundError for a refused URL, a timeout, too many redirects or an oversized answer.
 */
export async function sendOutbound(
  transport: OutboundTransport,
  target: string,
  init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
  limits: OutboundLimits = DEFAULT_OUTBOUND_LIMITS,
): Promise<OutboundResponse> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let url = checkUrl(target, limits);
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await transport(url, { method: init.method, headers: init.headers ?? {}, ...(init.body === undefined ? {} : { body: init.body }), signal });
    } catch (error) {
      if (error instanceof OutboundError) throw error;
      throw new OutboundError(signal.aborted ? `${url.origin} did not answer within ${limits.timeoutMs} ms` : `request to ${url.origin} failed`, { cause: error });
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null && init.method === 'GET') {
      await response.body?.cancel();
      if (hop >= limits.maxRedirects) throw new OutboundError(`${target} redirected more than ${limits.maxRedirects} times`);
      url = checkUrl(new URL(location, url).href, limits);
      continue;
    }
    return { status: response.status, headers: response.headers, body: await readLimited(response, limits.maxBytes, url) };
  }
}

function checkUrl(value: string, limits: OutboundLimits): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new OutboundError(`${value} is not a URL`, { cause: error });
  }
  if (url.protocol !== 'https:' && !(limits.allowHttp && url.protocol === 'http:')) throw new OutboundError(`${url.origin} is not an https URL`);
  if (url.username || url.password) throw new OutboundError('URLs with credentials are refused');
  return url;
}

/** Reads the body as UTF-8, giving up past `maxBytes`. */
async function readLimited(response: Response, maxBytes: number, url: URL): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new OutboundError(`${url.origin} answered with more than ${maxBytes} bytes`);
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new OutboundError(`${url.origin} answered with more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
