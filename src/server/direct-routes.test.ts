/**
 * The provider's routes answered by the Node listener without the router (`Engine.direct`): the
 * same answers as `fetch`, header for header, and the router still takes everything else.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { ALICE, basicAuth, codeFlowTokens, SEED_SECRET, testProvider } from '../../test/helpers/index.js';
import type { DirectRoute } from '../core/direct-routes.js';
import { pageSecurityHeaders, withPageHeaders } from '../core/page-csp.js';
import type { Pages } from '../interaction/pages.js';
import type { Provider } from '../library/create-provider.js';
import { toNodeListener } from './node-listener.js';
import { nodeProtocolRequest } from './node-request.js';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Headers that differ between any two answers, or that only a socket has. */
const PER_ANSWER = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'x-request-id']);

/** One request over a socket, with its headers as a raw list (a header may be repeated). */
function send(port: number, method: string, path: string, headers: string[], body?: string | string[]): Promise<Answer & { requestId: string; contentLength?: string }> {
  return new Promise((resolve, reject) => {
    // A raw header list gets no Content-Length from Node: a body of one piece declares its length, one in pieces goes chunked.
    const length = typeof body === 'string' ? ['content-length', String(Buffer.byteLength(body))] : [];
    const request = http.request({ host: '127.0.0.1', port, method, path, headers: ['host', 'op.test', ...length, ...headers] }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => {
        const all = response.headers;
        resolve({
          status: response.statusCode!,
          headers: comparable(Object.entries(all).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')])),
          body: text,
          requestId: String(all['x-request-id']),
          ...(all['content-length'] === undefined ? {} : { contentLength: all['content-length'] }),
        });
      });
    });
    request.on('error', reject);
    for (const part of body === undefined ? [] : Array.isArray(body) ? body : [body]) request.write(part);
    request.end();
  });
}

/** The same request through `fetch` (the router). */
async function fetchThroughRouter(provider: Provider, method: string, path: string, headers: string[], body?: string): Promise<Answer> {
  const pairs: [string, string][] = [];
  for (let i = 0; i < headers.length; i += 2) pairs.push([headers[i]!, headers[i + 1]!]);
  const response = await provider.fetch(new Request(`https://op.test${path}`, { method, headers: pairs, ...(body === undefined ? {} : { body }) }));
  return { status: response.status, headers: comparable([...response.headers]), body: await response.text() };
}

function comparable(entries: [string, string][]): Record<string, string> {
  return Object.fromEntries(entries.filter(([name]) => !PER_ANSWER.has(name)).sort(([a], [b]) => a.localeCompare(b)));
}

test('direct routes: token, userinfo, introspection, revocation and health answer as the router does — status, headers, body — and record the answer', async () => {
  const tp = await testProvider({
    clients: [
      { client_id: 'web', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token'] },
      { client_id: 'service', client_secret: SEED_SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
    ],
    accounts: [ALICE],
  });
  const { provider } = tp;
  /** Which requests the listener answered on a direct route. */
  const answered: string[] = [];
  const listener = toNodeListener({
    fetch: provider.fetch,
    handles: provider.handles,
    prebuilt: provider.prebuilt,
    direct(method, pathname) {
      const route = provider.direct(method, pathname);
      if (route === undefined) return undefined;
      const counted: DirectRoute = {
        headers: route.headers,
        answer(request, info) {
          answered.push(`${method} ${pathname}`);
          return route.answer(request, info);
        },
      };
      return counted;
    },
  });
  const server = http.createServer(listener).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const { access_token } = (await codeFlowTokens(tp, 'web')) as { access_token: string };
    const service = basicAuth('service', SEED_SECRET);
    const web = basicAuth('web', SEED_SECRET);
    const form = 'content-type';
    const urlencoded = 'application/x-www-form-urlencoded';

    // Answers that are the same every time they are asked: compared whole.
    const deterministic: [string, string, string[], string?][] = [
      ['GET', '/userinfo', ['authorization', `Bearer ${access_token}`]],
      ['POST', '/userinfo', ['authorization', `Bearer ${access_token}`], ''],
      ['GET', '/userinfo', []],
      ['GET', '/userinfo', ['authorization', 'Bearer not-a-token']],
      ['POST', '/introspect', ['authorization', web, form, urlencoded], `token=${access_token}`],
      ['POST', '/introspect/', ['authorization', web, form, urlencoded], 'token=unknown'],
      ['POST', '/token', ['authorization', basicAuth('service', 'wrong'), form, urlencoded], 'grant_type=client_credentials'],
      ['POST', '/token', ['authorization', service, form, 'text/plain'], 'grant_type=client_credentials'],
      ['POST', '/token', ['authorization', service, form, urlencoded], 'grant_type=client_credentials&grant_type=password'],
      ['POST', '/token', ['authorization', service, form, urlencoded], 'grant_type=password'],
      // Two Authorization headers: read as Fetch joins them, so refused alike.
      ['POST', '/token', ['authorization', service, 'Authorization', web, form, urlencoded], 'grant_type=client_credentials'],
      ['POST', '/revoke', ['authorization', service, form, urlencoded], 'token=unknown'],
      ['GET', '/health/live', []],
      // Pages and paths with parameters: the page security headers, errors as pages or redirects.
      ['GET', '/authorize?client_id=web', []],
      ['GET', '/authorize?client_id=nobody&redirect_uri=https%3A%2F%2Fevil.example%2F', []],
      ['POST', '/authorize', [form, urlencoded], 'client_id=web&response_type=code'],
      ['GET', '/interaction/unknown-uid', ['cookie', 'latchkey_interaction=unknown-uid']],
      ['GET', '/interaction/unknown-uid/', []],
      ['POST', '/interaction/unknown-uid/login', ['cookie', 'latchkey_interaction=unknown-uid', form, urlencoded], 'username=alice&password=x'],
      ['POST', '/interaction/a%2Fb/consent', [form, urlencoded], 'decision=allow'],
      ['GET', '/register/web', []],
      ['GET', '/end_session', []],
    ];
    for (const [method, path, headers, body] of deterministic) {
      const direct = await send(port, method, path, headers, body);
      const routed = await fetchThroughRouter(provider, method, path, headers, body);
      const label = `${method} ${path} ${headers.filter((_, i) => i % 2 === 0).join(',')}`;
      assert.deepEqual({ status: direct.status, headers: direct.headers, body: direct.body }, routed, label);
      assert.match(direct.requestId, /^[0-9a-f-]{36}$/, label);
      if (direct.body !== '') assert.equal(direct.contentLength, String(Buffer.byteLength(direct.body)), label);
    }
    assert.equal(answered.length, deterministic.length, 'each was answered on its direct route');

    // New tokens each time: the same headers and the same members.
    const issued = await send(port, 'POST', '/token/', ['authorization', service, form, urlencoded], 'grant_type=client_credentials');
    const routed = await fetchThroughRouter(provider, 'POST', '/token/', ['authorization', service, form, urlencoded], 'grant_type=client_credentials');
    assert.equal(issued.status, 200, issued.body);
    assert.deepEqual(issued.headers, routed.headers);
    assert.deepEqual(Object.keys(JSON.parse(issued.body) as object).sort(), Object.keys(JSON.parse(routed.body) as object).sort());
    assert.equal(issued.headers['access-control-allow-origin'], '*', 'CORS on the token endpoint');
    // A page with a fresh CSRF token each time: the same headers, the page security headers among them.
    const devicePage = await send(port, 'GET', '/device', []);
    const routedPage = await fetchThroughRouter(provider, 'GET', '/device', []);
    assert.equal(devicePage.status, 200);
    assert.deepEqual(Object.keys(devicePage.headers), Object.keys(routedPage.headers));
    assert.equal(devicePage.headers['x-frame-options'], 'DENY');
    assert.match(devicePage.headers['content-security-policy'] ?? '', /frame-ancestors 'none'/);
    const issuedToken = (JSON.parse(issued.body) as { access_token: string }).access_token;
    const introspected = await send(port, 'POST', '/introspect', ['authorization', service, form, urlencoded], `token=${issuedToken}`);
    assert.equal((JSON.parse(introspected.body) as { active: boolean }).active, true, 'the token issued on the direct route works');

    // Counted like any answer, by route pattern: both ways of asking, and the code flow's exchange.
    const scrape = await provider.metrics.scrape();
    assert.match(scrape, /latchkey_http_requests_total\{method="GET",route="\/userinfo",status_class="4xx"\} 4\n/);
    assert.match(scrape, /latchkey_http_requests_total\{method="POST",route="\/token",status_class="2xx"\} 3\n/);

    // The router's: HEAD, preflights, methods the path does not take, chunked bodies.
    answered.length = 0;
    assert.equal((await send(port, 'HEAD', '/userinfo', ['authorization', `Bearer ${access_token}`])).status, 200);
    const preflight = await send(port, 'OPTIONS', '/token', ['origin', 'https://app.example', 'access-control-request-method', 'POST']);
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-methods'], 'GET,POST,PUT,DELETE');
    assert.equal((await send(port, 'GET', '/token', [])).status, 405);
    const chunked = await send(port, 'POST', '/token', ['authorization', service, form, urlencoded], ['grant_type=', 'client_credentials']);
    assert.equal(chunked.status, 200, chunked.body);
    assert.deepEqual(answered, [], 'none of these on a direct route');
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await provider.close();
  }
});

test('direct routes: every route, pages and paths with parameters included, under the issuer path, with or without a trailing slash', async () => {
  const { provider } = await testProvider({ config: { issuer: 'https://op.test/tenant', registration: 'open' } });
  try {
    for (const [method, path] of [
      ['POST', '/tenant/token'],
      ['POST', '/tenant/token/'],
      ['GET', '/tenant/userinfo'],
      ['POST', '/tenant/introspect'],
      ['POST', '/tenant/revoke'],
      ['POST', '/tenant/register'],
      ['POST', '/tenant/device_authorization'],
      ['POST', '/tenant/par'],
      ['GET', '/tenant/metrics'],
      ['GET', '/tenant/authorize'],
      ['POST', '/tenant/authorize/'],
      ['GET', '/tenant/interaction/abc'],
      ['POST', '/tenant/interaction/abc/login'],
      ['POST', '/tenant/interaction/abc/login/'],
      ['GET', '/tenant/interaction/abc/resume'],
      ['GET', '/tenant/register/abc'],
      ['DELETE', '/tenant/register/abc'],
      ['GET', '/tenant/device'],
      ['POST', '/tenant/end_session/confirm'],
    ] as const) {
      assert.notEqual(provider.direct(method, path), undefined, `${method} ${path}`);
    }
    for (const [method, path] of [
      ['POST', '/token'],
      ['HEAD', '/tenant/userinfo'],
      ['HEAD', '/tenant/interaction/abc'],
      ['GET', '/tenant/token'],
      ['POST', '/tenant/token//'],
      ['GET', '/tenant/interaction'],
      ['GET', '/tenant/interaction/'],
      ['GET', '/tenant/interaction//login'],
      ['POST', '/tenant/interaction/abc/login/more'],
      ['POST', '/tenant/interaction/abc/logout'],
      ['GET', '/interaction/abc'],
      ['PUT', '/tenant/register'],
    ] as const) {
      assert.equal(provider.direct(method, path), undefined, `${method} ${path}`);
    }
    assert.deepEqual(provider.direct('POST', '/tenant/token')?.headers, ['access-control-allow-origin', '*', 'access-control-expose-headers', 'WWW-Authenticate, DPoP-Nonce']);
    assert.deepEqual(provider.direct('POST', '/tenant/introspect')?.headers, [], 'introspection is not for browsers');
  } finally {
    await provider.close();
  }
});

test('nodeProtocolRequest: headers as Fetch reads them (any case, repeated ones joined), the URL from Host and the path, the body as read', async () => {
  const incoming = (rawHeaders: string[], encrypted = false) =>
    ({ method: 'POST', url: '/token?x=1', rawHeaders, socket: encrypted ? { encrypted: true } : {} }) as unknown as http.IncomingMessage;
  const request = nodeProtocolRequest(incoming(['Host', 'op.test:8443', 'Authorization', 'Basic a', 'accept', 'x', 'authorization', 'Basic b']), 'grant_type=client_credentials');
  assert.equal(request.method, 'POST');
  assert.equal(request.headers.get('AUTHORIZATION'), 'Basic a, Basic b');
  assert.equal(request.headers.get('accept'), 'x');
  assert.equal(request.headers.get('content-type'), null);
  assert.equal(request.headers.has('Accept'), true);
  assert.equal(request.headers.has('cookie'), false);
  assert.equal(request.url, 'http://op.test:8443/token?x=1');
  assert.equal(await request.text(), 'grant_type=client_credentials');
  assert.equal(nodeProtocolRequest(incoming(['Host', 'op.test'], true), '').url, 'https://op.test/token?x=1');
  // A Host that makes no URL: the query is still there to read.
  assert.equal(new URL(nodeProtocolRequest(incoming(['Host', 'a b']), '').url).searchParams.get('x'), '1');
  assert.equal(new URL(nodeProtocolRequest(incoming([]), '').url).searchParams.get('x'), '1');
});

test('withPageHeaders: the page security headers a page does not set itself; one it sets (a CSP with frame-src) stays its own, once', () => {
  const pageHeaders = pageSecurityHeaders({ cspSources: { style: ["'self'"], script: ["'self'"] } } as unknown as Pages, 'https://op.test');
  const own = ['content-type', 'text/html; charset=utf-8', 'Content-Security-Policy', "frame-src https://rp.example; frame-ancestors 'none'"];
  const lines = withPageHeaders(own, pageHeaders);
  const names = lines.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase());
  assert.equal(names.filter((name) => name === 'content-security-policy').length, 1);
  assert.equal(lines[3], "frame-src https://rp.example; frame-ancestors 'none'");
  for (const name of ['x-frame-options', 'referrer-policy', 'x-content-type-options', 'strict-transport-security']) assert.ok(names.includes(name), name);
  assert.equal(pageSecurityHeaders({ cspSources: { style: [], script: [] } } as unknown as Pages, 'http://localhost:8000').includes('strict-transport-security'), false, 'no HSTS under http');
});

test('direct routes: the requests parsed in one turn are handled together at its end, in order, after all of them were parsed', async () => {
  const events: string[] = [];
  const route: DirectRoute = {
    headers: [],
    answer: async (request) => {
      events.push(`handled ${new URL(request.url).pathname}`);
      return { status: 200, headers: ['content-type', 'text/plain'], body: 'ok' };
    },
  };
  const listener = toNodeListener({
    fetch: () => Promise.reject(new Error('not the direct path')),
    handles: () => true,
    prebuilt: () => undefined,
    direct: (_method, pathname) => (events.push(`parsed ${pathname}`), route),
  });
  const server = http.createServer((req, res) => listener(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    // Two requests in one packet (HTTP/1.1 pipelining): Node parses both in one turn.
    const answers = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write('GET /a HTTP/1.1\r\nHost: op.test\r\n\r\nGET /b HTTP/1.1\r\nHost: op.test\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.split('HTTP/1.1 200').length === 3 && text.endsWith('ok')) socket.end(() => resolve(text));
      });
      socket.on('error', reject);
    });
    assert.equal(answers.split('HTTP/1.1 200').length, 3);
    assert.deepEqual(events, ['parsed /a', 'parsed /b', 'handled /a', 'handled /b']);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
