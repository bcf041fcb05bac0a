/** Response builders shared by the endpoints. */

/** RFC 6749 §5.1: token responses MUST NOT be cached. */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

/** A JSON response. */
export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff', ...init.headers },
  });
}

/** A JSON response with `Cache-Control: no-store` and `Pragma: no-cache`. */
export function jsonNoStore(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return json(body, { status: init.status, headers: { ...NO_STORE, ...init.headers } });
}

/** A pre-serialized JSON document (discovery, JWKS), cacheable for `maxAgeSeconds`. */
export function jsonPrebuilt(body: string, maxAgeSeconds: number): Response {
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': `public, max-age=${maxAgeSeconds}`,
      'x-content-type-options': 'nosniff',
    },
  });
}

/** A redirect; 303 after a POST so that the browser follows with GET. */
export function redirect(location: string, status: 302 | 303 = 302, headers: HeadersInit = {}): Response {
  const response = new Response(null, { status, headers });
  response.headers.set('location', location);
  response.headers.set('cache-control', 'no-store');
  return response;
}

/** An HTML page; never cached, since pages carry CSRF tokens and session state. */
export async function html(body: string | Promise<string>, status = 200, headers: HeadersInit = {}): Promise<Response> {
  const response = new Response(await body, { status, headers });
  response.headers.set('content-type', 'text/html; charset=utf-8');
  response.headers.set('cache-control', 'no-store');
  return response;
}
