/**
 * Response builders shared by the endpoints. Every header is given when the Response is built, as
 * a `Headers` object: `@hono/node-server`'s lightweight Response (installed as the global one by
 * the Node listener) keeps a header set later (`x-request-id`) only in a `Headers` object it was
 * given — from plain-object headers it rebuilds the response without it once the body is read.
 *
 * Every response built here through `respond` also keeps what it was built from
 * (`responseParts`): the Node listener writes those out as they are. Reading them back from a
 * Response would build a full Fetch Response (about 20 µs) for the lightweight one.
 */

/** What a response was built from: its status, its headers and its body as text (or none). */
export interface ResponseParts {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string | null;
}

const partsOf = new WeakMap<Response, ResponseParts>();

/** A Response with this status, headers and body, whose parts `responseParts` can give back. */
export function respond(body: string | null, status: number, headers: Headers): Response {
  const response = new Response(body, { status, headers });
  partsOf.set(response, { status, headers, body });
  return response;
}

/**
 * The parts of a response: as built, for one built with `respond`; otherwise read from it (its
 * body as text — every answer of the protocol endpoints is text).
 */
export async function responseParts(response: Response): Promise<ResponseParts> {
  return partsOf.get(response) ?? { status: response.status, headers: response.headers, body: await response.text() };
}

/** RFC 6749 §5.1: token responses MUST NOT be cached. */
export const NO_STORE: Readonly<Record<string, string>> = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** A JSON response. */
export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return respond(JSON.stringify(body), init.status ?? 200, new Headers({ 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff', ...init.headers }));
}

/** A JSON response with `Cache-Control: no-store` and `Pragma: no-cache`. */
export function jsonNoStore(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return json(body, { status: init.status, headers: { ...NO_STORE, ...init.headers } });
}

/** A pre-serialized JSON document (discovery, JWKS), cacheable for `maxAgeSeconds`. */
export function jsonPrebuilt(body: string, maxAgeSeconds: number, contentType = 'application/json; charset=utf-8'): Response {
  return respond(body, 200, new Headers(prebuiltHeaders(maxAgeSeconds, contentType)));
}

/** The headers of `jsonPrebuilt`. */
export function prebuiltHeaders(maxAgeSeconds: number, contentType = 'application/json; charset=utf-8'): Record<string, string> {
  return {
    'content-type': contentType,
    'cache-control': `public, max-age=${maxAgeSeconds}`,
    'x-content-type-options': 'nosniff',
  };
}

/** A redirect; 303 after a POST so that the browser follows with GET. */
export function redirect(location: string, status: 302 | 303 = 302, headers: HeadersInit = {}): Response {
  const all = new Headers(headers);
  all.set('location', location);
  all.set('cache-control', 'no-store');
  return respond(null, status, all);
}

/** An HTML page; never cached, since pages carry CSRF tokens and session state. */
export async function html(body: string | Promise<string>, status = 200, headers: HeadersInit = {}): Promise<Response> {
  const all = new Headers(headers);
  all.set('content-type', 'text/html; charset=utf-8');
  all.set('cache-control', 'no-store');
  return respond(await body, status, all);
}
