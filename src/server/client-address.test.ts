import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../core/config.js';
import { createClientAddressResolver, parseTrustedProxies } from './client-address.js';
import { startServer } from './start-server.js';

test('client address: without trusted proxies the peer is the client, X-Forwarded-For ignored', () => {
  const resolve = createClientAddressResolver([]);
  assert.equal(resolve('203.0.113.7', '198.51.100.1'), '203.0.113.7');
  assert.equal(resolve('::ffff:203.0.113.7', null), '203.0.113.7', 'IPv4-mapped peers are plain IPv4');
  assert.equal(resolve(undefined, null), undefined);
});

test('client address: through trusted proxies, the nearest untrusted hop of X-Forwarded-For', () => {
  const resolve = createClientAddressResolver(['10.0.0.0/8', '127.0.0.1', 'fd00::/8']);
  assert.equal(resolve('10.1.2.3', '198.51.100.9'), '198.51.100.9');
  assert.equal(resolve('::ffff:127.0.0.1', '198.51.100.9, 10.0.0.7'), '198.51.100.9', 'a chain of trusted proxies is walked from the right');
  assert.equal(resolve('10.1.2.3', '6.6.6.6, 198.51.100.9'), '198.51.100.9', 'addresses left of the first untrusted hop were written by the client: ignored');
  assert.equal(resolve('fd00::1', '2001:db8::5'), '2001:db8::5');
  assert.equal(resolve('10.1.2.3', null), '10.1.2.3', 'no header: the proxy itself');
  assert.equal(resolve('10.1.2.3', 'garbage, 10.0.0.9'), '10.0.0.9', 'a malformed hop ends the trusted chain');
  assert.equal(resolve('10.1.2.3', '10.0.0.8, 10.0.0.9'), '10.0.0.8', 'only proxies: the farthest one');
});

test('client address: a peer that is not a trusted proxy cannot spoof its address', () => {
  const resolve = createClientAddressResolver(['10.0.0.0/8']);
  assert.equal(resolve('198.51.100.9', '10.0.0.1, 1.2.3.4'), '198.51.100.9');
});

test('client address: bad entries are refused, in code and at server start', async () => {
  for (const entry of ['10.0.0.0/33', 'example.com', '10.0.0.0/', '::1/129', '1.2.3.4/8/1']) {
    assert.throws(() => parseTrustedProxies([entry]), new RegExp(`${entry.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not an IP address or CIDR range`));
  }
  const config = parseConfig({ issuer: 'http://localhost:8000', trustedProxies: ' 10.0.0.0/8, ::1 ' } as never);
  assert.deepEqual(config.trustedProxies, ['10.0.0.0/8', '::1']);
  assert.deepEqual(parseConfig(config).trustedProxies, ['10.0.0.0/8', '::1'], 'a parsed configuration parses again');
  await assert.rejects(
    startServer(parseConfig({ issuer: 'http://localhost:8000', trustedProxies: '10.0.0.0/8,nope', databaseUrl: 'sqlite:/nonexistent/never-opened.db' } as never)),
    (error: Error & { problems?: string[] }) => {
      assert.match(error.message, /trustedProxies \(LATCHKEY_TRUSTED_PROXIES\): nope is not an IP address or CIDR range/);
      return true;
    },
  );
});
