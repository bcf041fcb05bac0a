/** The Node listener as Express middleware: mount paths, `next()` for the host's routes, bodies a parser already read. */
import assert from 'node:assert/strict';
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
