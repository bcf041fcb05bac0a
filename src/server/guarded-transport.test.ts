import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createGuardedTransport, isPublicAddress } from './guarded-transport.js';

test('guarded transport: isPublicAddress sorts public from loopback, private, link-local and mapped addresses', () => {
  for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111']) assert.equal(isPublicAddress(address), true, address);
  for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'not-an-ip']) {
    assert.equal(isPublicAddress(address), false, address);
  }
});

describe('guarded transport against a local server', () => {
  let server: Server;
  let port: number;
  const controller = () => ({ signal: AbortSignal.timeout(2000) });

  before(async () => {
    server = createServer((request, response) => {
      response.writeHead(request.url === '/moved' ? 302 : 200, { 'content-type': 'application/json', location: '/keys' });
      response.end('{"keys":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('guarded transport: an IP-literal loopback URL is refused before connecting', async () => {
    const transport = createGuardedTransport();
    await assert.rejects(transport(new URL(`http://127.0.0.1:${port}/keys`), { method: 'GET', headers: {}, ...controller() }), {
      name: 'OutboundError',
      message: `http://127.0.0.1:${port} is not a public address`,
    });
  });

  test('guarded transport: a name resolving to loopback is refused at lookup', async () => {
    const transport = createGuardedTransport();
    await assert.rejects(transport(new URL(`http://localhost:${port}/keys`), { method: 'GET', headers: {}, ...controller() }), /resolves to a non-public address/);
  });

  test('guarded transport: with allowPrivate, the request goes through and redirects are not followed', async () => {
    const transport = createGuardedTransport({ allowPrivate: true });
    const response = await transport(new URL(`http://127.0.0.1:${port}/keys`), { method: 'GET', headers: {}, ...controller() });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { keys: [] });
    const moved = await transport(new URL(`http://127.0.0.1:${port}/moved`), { method: 'GET', headers: {}, ...controller() });
    assert.equal(moved.status, 302);
    assert.equal(moved.headers.get('location'), '/keys');
  });
});
