/**
 * Response builders shared by the endpoints. Every header is given when the Response is built, as
 * a `Headers` object: `@hono/node-server`'s lightweight Response (installed as the global one by
 * the Node listener) keeps a header set later (`x-request-id`) only in a `Headers` object it was
 * given — from plain-object headers it rebuilds the response without it once the body is read.
 */

/** RFC 6749 §5.1: token responses MUST NOT be cached. */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

/** A JSON response. */
export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: new Headers({ 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff', ...init.headers }),
  });
}

/** A JSON response with `Cache-Control: no-store` and `Pragma: no-cache`. */
export function jsonNoStore(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return json(body, { status: init.status, headers: { ...NO_STORE, ...init.headers } });
}

/** A pre-serialized JSON document (discovery, JWKS), cacheable for `maxAgeSeconds`. */
export function jsonPrebuilt(body: string, maxAgeSeconds: number, contentType = 'application/json; charset=utf-8'): Response {
  return new Response(body, { status: 200, headers: new Headers(prebuiltHeaders(maxAgeSeconds, contentType)) });
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
  return new Response(null, { status, headers: all });
}

/** An HTML page; never cached, since pages carry CSRF tokens and session state. */
export async function html(body: string | Promise<string>, status = 200, headers: HeadersInit = {}): Promise<Response> {
  const all = new Headers(headers);
  all.set('content-type', 'text/html; charset=utf-8');
  all.set('cache-control', 'no-store');
  return new Response(await body, { status, headers: all });
}
