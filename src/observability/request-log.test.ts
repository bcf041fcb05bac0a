/** One JSON log line per request (pino), with the request id every response carries in `x-request-id`. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pino } from 'pino';
import { ISSUER, SEED_SECRET, testProvider } from '../../test/helpers/index.js';
import { startTestServer } from '../../test/helpers/server.js';
import { createProvider } from '../library/create-provider.js';
import { createLogger } from '../server/logger.js';
import { createMemoryStorage } from '../storage/memory/index.js';
import { fixedClock } from '../util/clock.js';

/** A pino destination that keeps every line, parsed. */
function captureLines() {
  const lines: Record<string, unknown>[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } };
}

const requestLines = (lines: Record<string, unknown>[]) => lines.filter((line) => line.msg === 'request');

describe('request log', () => {
  test('request log: through the server, one info line per request — request id (= x-request-id), method, route pattern, status, duration, client address — and nothing of query, body or credentials', async () => {
    const { lines, stream } = captureLines();
    const server = await startTestServer({}, { logger: createLogger('info', stream) });
    try {
      const client = await server.running.provider.registerClient({ grant_types: ['client_credentials'], redirect_uris: [], response_types: [] });
      const basic = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`;
      const token = await fetch(`${server.issuer}/token`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
      const { access_token } = (await token.json()) as { access_token: string };
      const page = await fetch(`${server.issuer}/interaction/some-secret-uid?state=some-secret-state`);
      const probe = await fetch(`${server.issuer}/health/live`);

      const logged = requestLines(lines);
      assert.equal(logged.length, 2, 'the probe is logged at debug only');
      const [first, second] = logged as [Record<string, unknown>, Record<string, unknown>];
      assert.deepEqual(Object.keys(first), ['level', 'time', 'service', 'requestId', 'method', 'route', 'status', 'durationMs', 'remoteAddress', 'msg']);
      assert.deepEqual({ ...first, time: 0, durationMs: 0 }, {
        level: 30, time: 0, service: 'latchkey', requestId: token.headers.get('x-request-id'), method: 'POST', route: '/token', status: 200, durationMs: 0, remoteAddress: '127.0.0.1', msg: 'request',
      });
      assert.equal(typeof first.durationMs, 'number');
      assert.ok((first.durationMs as number) > 0 && (first.durationMs as number) < 10_000);
      assert.deepEqual({ ...second, time: 0, durationMs: 0 }, {
        level: 30, time: 0, service: 'latchkey', requestId: page.headers.get('x-request-id'), method: 'GET', route: '/interaction/:uid', status: page.status, durationMs: 0, remoteAddress: '127.0.0.1', msg: 'request',
      });
      assert.match(String(probe.headers.get('x-request-id')), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.notEqual(first.requestId, second.requestId);

      const everything = JSON.stringify(lines);
      for (const secret of [access_token, String(client.client_secret), basic, 'some-secret-uid', 'some-secret-state']) assert.equal(everything.includes(secret), false, `never logged: ${secret.slice(0, 12)}…`);
    } finally {
      await server.close();
    }
  });

  test('request log: at debug, probes, scrapes and the pre-built discovery document are logged too (with the id the answer carries); at info, the document is not', async () => {
    const { lines, stream } = captureLines();
    const server = await startTestServer({}, { logger: createLogger('debug', stream) });
    try {
      await fetch(`${server.issuer}/health/ready`);
      await fetch(`${server.issuer}/metrics`);
      const discovery = await fetch(`${server.issuer}/.well-known/openid-configuration`);
      assert.deepEqual(requestLines(lines).map((line) => [line.level, line.route, line.status]), [[20, '/health/ready', 200], [20, '/metrics', 200], [20, '/.well-known/openid-configuration', 200]]);
      assert.equal(requestLines(lines)[2]?.requestId, discovery.headers.get('x-request-id'));
    } finally {
      await server.close();
    }
    const quiet = captureLines();
    const atInfo = await startTestServer({}, { logger: createLogger('info', quiet.stream) });
    try {
      assert.equal((await fetch(`${atInfo.issuer}/.well-known/openid-configuration`)).status, 200);
      assert.deepEqual(requestLines(quiet.lines), []);
    } finally {
      await atInfo.close();
    }
  });

  test('request log: a 500 → the request line at info, the error at error, one request id in both and in the response', async () => {
    const { lines, stream } = captureLines();
    const clock = fixedClock('2030-01-01T00:00:00Z');
    const storage = createMemoryStorage({ clock });
    const broken = { ...storage, clients: { ...storage.clients, find: async () => Promise.reject(new Error('disk on fire')) } };
    const provider = await createProvider({ issuer: ISSUER, secret: 'test-secret-test-secret-test-secret-0123456789', storage: broken, clock, logger: pino({ level: 'info' }, stream), sweepIntervalSeconds: 0, metricsFlushIntervalSeconds: 0 });
    try {
      const response = await provider.fetch(new Request(`${ISSUER}/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`app:${SEED_SECRET}`).toString('base64')}` }, body: new URLSearchParams({ grant_type: 'client_credentials' }) }));
      assert.equal(response.status, 500);
      const requestId = response.headers.get('x-request-id');
      assert.deepEqual(await response.json(), { error: 'server_error', error_description: `the server could not complete the request (request id ${requestId})` });
      const error = lines.find((line) => line.msg === 'unhandled error');
      assert.equal(error?.level, 50);
      assert.equal(error?.requestId, requestId);
      assert.equal((error?.err as { message?: string } | undefined)?.message, 'disk on fire');
      assert.deepEqual(requestLines(lines).map((line) => [line.level, line.requestId, line.route, line.status]), [[30, requestId, '/token', 500]]);
    } finally {
      await provider.close();
    }
  });

  test('request log: in process, every answer carries x-request-id, a new one each time — a document, an error page, a 404, a 405, a page, and handle()', async () => {
    const tp = await testProvider();
    const ids = new Set<string>();
    for (const [method, path, status] of [['GET', '/.well-known/openid-configuration', 200], ['GET', '/authorize', 400], ['GET', '/nope', 404], ['DELETE', '/token', 405], ['GET', '/device', 200]] as const) {
      const response = await tp.provider.fetch(new Request(`${ISSUER}${path}`, { method }));
      assert.equal(response.status, status, path);
      const id = response.headers.get('x-request-id');
      assert.match(String(id), /^[0-9a-f-]{36}$/, path);
      ids.add(String(id));
    }
    assert.equal(ids.size, 5);
    // Read the body first: the id must survive a response that is materialized afterwards.
    for (const path of ['/.well-known/openid-configuration', '/nope', '/admin/api/clients']) {
      const response = await tp.provider.fetch(new Request(`${ISSUER}${path}`));
      await response.text();
      assert.match(String(response.headers.get('x-request-id')), /^[0-9a-f-]{36}$/, `${path}, body read first`);
    }
    const plain = await tp.provider.handle({ method: 'GET', url: `${ISSUER}/jwks` });
    assert.match(plain.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
  });
});
