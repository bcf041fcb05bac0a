/**
 * What endpoints answer, and the builders they share. An endpoint's answer is its parts — status,
 * headers, body as text — not a Fetch Response: the Node listener writes those parts out as they
 * are (server/node-listener.ts), and only the router, which serves Fetch hosts, turns them into a
 * Response (`toResponse`). Building a Fetch `Headers` and `Response` for every answer, only to
 * read them back, cost 2–4 % of a token or introspection request.
 */

/**
 * An endpoint's answer: its status, its headers as a flat name/value list (names in lower case,
 * `set-cookie` once per cookie; the shape Node's `writeHead` takes) and its body as text, or none.
 */
export interface Answer {
  readonly status: number;
  readonly headers: readonly string[];
  readonly body: string | null;
}

/** A line break or NUL: never in a header value (RFC 9110 §5.5); what Fetch's `Headers` refuses too. */
const FORBIDDEN_IN_HEADER_VALUE = /[\r\n\0]/;

/**
 * An answer with this body, status and headers. Headers given as a record are taken as they are
 * (names in lower case); a `Headers` object, as it lists them.
 * @throws TypeError when a header value holds a line break or NUL.
 */
export function respond(body: string | null, status: number, headers: Readonly<Record<string, string>> | Headers): Answer {
  const list: string[] = [];
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      if (name !== 'set-cookie') list.push(name, value);
    });
    for (const cookie of headers.getSetCookie()) list.push('set-cookie', cookie);
  } else {
    for (const name in headers) {
      const value = headers[name]!;
      if (FORBIDDEN_IN_HEADER_VALUE.test(value)) throw new TypeError(`header ${name} has a line break or NUL in its value`);
      list.push(name, value);
    }
  }
  return { status, headers: list, body };
}

/** The answer as a Fetch Response (for the router, which serves Fetch hosts). */
export function toResponse(answer: Answer): Response {
  const headers = new Headers();
  for (let index = 0; index < answer.headers.length; index += 2) headers.append(answer.headers[index]!, answer.headers[index + 1]!);
  return new Response(answer.body, { status: answer.status, headers });
}

/** RFC 6749 §5.1: token responses MUST NOT be cached. */
export const NO_STORE: Readonly<Record<string, string>> = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** A JSON response. */
export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Answer {
  return respond(JSON.stringify(body), init.status ?? 200, { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff', ...init.headers });
}

/** A JSON response with `Cache-Control: no-store` and `Pragma: no-cache`. */
export function jsonNoStore(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Answer {
  return json(body, { status: init.status, headers: { ...NO_STORE, ...init.headers } });
}

/** A pre-serialized JSON document (discovery, JWKS), cacheable for `maxAgeSeconds`. */
export function jsonPrebuilt(body: string, maxAgeSeconds: number, contentType = 'application/json; charset=utf-8'): Answer {
  return respond(body, 200, prebuiltHeaders(maxAgeSeconds, contentType));
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
export function redirect(location: string, status: 302 | 303 = 302, headers: HeadersInit = {}): Answer {
  const all = new Headers(headers);
  all.set('location', location);
  all.set('cache-control', 'no-store');
  return respond(null, status, all);
}

/** An HTML page; never cached, since pages carry CSRF tokens and session state. */
export async function html(body: string | Promise<string>, status = 200, headers: HeadersInit = {}): Promise<Answer> {
  const all = new Headers(headers);
  all.set('content-type', 'text/html; charset=utf-8');
  all.set('cache-control', 'no-store');
  return respond(await body, status, all);
}
