/** The Node listener as Express middleware: mount paths, `next()` for the host's routes, bodies a parser already read. */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import express from 'express';
import { createProvider } from '../library/create-provider.js';

async function withExpress(setup: (app: express.Express) => Promise<void>, run: (base: string) => Promise<void>): Promise<void> {
  const app = express();
  await setup(app);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

test('nodeListener: mounted under a path in Express, behind body parsers, beside the host routes', async () => {
  const provider = await createProvider({ issuer: 'http://127.0.0.1/auth', registration: 'open' });
  const service = await provider.registerClient({ grant_types: ['client_credentials'], redirect_uris: [], response_types: [] });
  try {
    await withExpress(
      async (app) => {
        // Parsers first, as many apps have them: the listener re-encodes what they read.
        app.use(express.urlencoded({ extended: false }));
        app.use(express.json());
        app.use(provider.nodeListener);
        app.get('/auth/not-latchkey', (_req, res) => res.send('host route under the issuer path'));
        app.get('/hello', (_req, res) => res.send('host route'));
      },
      async (base) => {
        const token = await fetch(`${base}/auth/token`, {
          method: 'POST',
          headers: { authorization: `Basic ${btoa(`${service.client_id}:${service.client_secret}`)}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials',
        });
        assert.equal(token.status, 200, await token.clone().text());
        assert.equal(((await token.json()) as { token_type: string }).token_type, 'Bearer');

        const registered = await fetch(`${base}/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ redirect_uris: ['https://rp.example/cb'], client_name: 'Parsed by express.json()' }),
        });
        assert.equal(registered.status, 201);
        assert.equal(((await registered.json()) as { client_name: string }).client_name, 'Parsed by express.json()');

        assert.equal(await (await fetch(`${base}/hello`)).text(), 'host route');
        assert.equal(await (await fetch(`${base}/auth/not-latchkey`)).text(), 'host route under the issuer path');
      },
    );
    await withExpress(
      async (app) => {
        app.use('/auth', provider.nodeListener);
      },
      async (base) => {
        // Express strips the mount path from req.url; the provider routes by the whole URL.
        const discovery = await fetch(`${base}/auth/.well-known/openid-configuration`);
        assert.equal(discovery.status, 200);
        assert.equal(((await discovery.json()) as { token_endpoint: string }).token_endpoint, 'http://127.0.0.1/auth/token');
        assert.equal((await fetch(`${base}/auth/jwks`)).headers.get('content-type'), 'application/jwk-set+json; charset=utf-8');
      },
    );
  } finally {
    await provider.close();
  }
});

test('nodeListener: bodies read before the engine runs — several POSTs on one keep-alive connection, a chunked body, an oversized one', async () => {
  const provider = await createProvider({ issuer: 'http://127.0.0.1' });
  const service = await provider.registerClient({ grant_types: ['client_credentials'], redirect_uris: [], response_types: [] });
  const server = http.createServer(provider.nodeListener).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const authorization = `Basic ${btoa(`${service.client_id}:${service.client_secret}`)}`;
  /** One POST /token; the status, the JSON body and the local port (to tell connections apart). */
  const post = (body: string | string[], headers: Record<string, string> = {}) =>
    new Promise<{ status: number; json: Record<string, unknown>; port: number }>((resolve, reject) => {
      const req = http.request({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', path: '/token', method: 'POST', agent, headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', ...headers } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) as Record<string, unknown>, port: req.socket!.localPort! }));
      });
      req.on('error', reject);
      for (const part of Array.isArray(body) ? body : [body]) req.write(part);
      req.end();
    });
  try {
    const first = await post('grant_type=client_credentials');
    assert.equal(first.status, 200, JSON.stringify(first.json));
    for (let i = 0; i < 5; i++) {
      const again = await post('grant_type=client_credentials');
      assert.equal(again.status, 200);
      assert.equal(again.port, first.port, 'the same keep-alive connection');
    }
    // No Content-Length: sent chunked, read as a stream by the router.
    const chunked = await post(['grant_type=', 'client_credentials']);
    assert.equal(chunked.status, 200, JSON.stringify(chunked.json));
    const oversized = await post(`grant_type=client_credentials&pad=${'x'.repeat(70_000)}`);
    assert.equal(oversized.status, 413);
    assert.deepEqual(oversized.json, { error: 'invalid_request', error_description: 'request body is too large' });
    assert.equal((await post('grant_type=client_credentials')).status, 200, 'the server still answers');
  } finally {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
    await provider.close();
  }
});

test('nodeListener: discovery and the JWKS are written out pre-built — the same bytes and headers as the engine answers', async () => {
  const provider = await createProvider({ issuer: 'http://127.0.0.1/auth' });
  const app = express();
  app.use(provider.nodeListener);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const comparable = (response: Response) => {
    // Each answer has its own request id; both have one.
    assert.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const headers = Object.fromEntries([...response.headers].filter(([name]) => !['date', 'connection', 'keep-alive', 'content-length', 'x-powered-by', 'x-request-id'].includes(name)));
    return headers;
  };
  try {
    await provider.fetch(new Request('http://127.0.0.1/auth/jwks')); // the keyring has read the keys
    for (const path of ['/auth/.well-known/openid-configuration', '/auth/.well-known/oauth-authorization-server/', '/auth/jwks', '/auth/jwks?x=1']) {
      const direct = await fetch(`${base}${path}`);
      const engine = await provider.fetch(new Request(`http://127.0.0.1${path}`));
      assert.equal(direct.status, 200, path);
      assert.deepEqual(comparable(direct), comparable(engine), path);
      const body = await direct.text();
      assert.equal(body, await engine.text(), path);
      assert.equal(direct.headers.get('content-length'), String(Buffer.byteLength(body)));
      const head = await fetch(`${base}${path}`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(await head.text(), '');
    }
    assert.equal((await fetch(`${base}/auth/jwks`, { method: 'POST' })).status, 405, 'other methods take the ordinary path');
    // Counted like every answer: openid-configuration once through the listener and once in process; HEAD /jwks twice through the listener.
    const scrape = await provider.metrics.scrape();
    assert.match(scrape, /latchkey_http_requests_total\{method="GET",route="\/\.well-known\/openid-configuration",status_class="2xx"\} 2\n/);
    assert.match(scrape, /latchkey_http_requests_total\{method="HEAD",route="\/jwks",status_class="2xx"\} 2\n/);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await provider.close();
  }
});
