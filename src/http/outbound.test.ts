import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_OUTBOUND_LIMITS, OutboundError, sendOutbound, type OutboundTransport } from './outbound.js';

/** A transport answering from a table of URL → response builders, recording each request. */
function table(routes: Record<string, () => Response>): { transport: OutboundTransport; seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    transport: async (url) => {
      seen.push(url.href);
      const route = routes[url.href];
      if (!route) throw new Error(`no route for ${url.href}`);
      return route();
    },
  };
}

const redirectTo = (location: string) => () => new Response(null, { status: 302, headers: { location } });

test('outbound: follows a redirect by hand, checking the new URL', async () => {
  const { transport, seen } = table({
    'https://a.example/jwks': redirectTo('https://b.example/keys'),
    'https://b.example/keys': () => new Response('{"keys":[]}', { status: 200 }),
  });
  const response = await sendOutbound(transport, 'https://a.example/jwks', { method: 'GET' });
  assert.equal(response.body, '{"keys":[]}');
  assert.deepEqual(seen, ['https://a.example/jwks', 'https://b.example/keys']);
});

test('outbound: a redirect to plain http or past the limit → OutboundError', async () => {
  const downgrade = table({ 'https://a.example/jwks': redirectTo('http://a.example/jwks') });
  await assert.rejects(sendOutbound(downgrade.transport, 'https://a.example/jwks', { method: 'GET' }), { name: 'OutboundError', message: 'http://a.example is not an https URL' });
  const loop = table({ 'https://a.example/x': redirectTo('https://a.example/x') });
  await assert.rejects(sendOutbound(loop.transport, 'https://a.example/x', { method: 'GET' }), { message: 'https://a.example/x redirected more than 3 times' });
  assert.equal(loop.seen.length, 4);
});

test('outbound: http, credentials in the URL, or a non-URL are refused before any request', async () => {
  const { transport, seen } = table({});
  await assert.rejects(sendOutbound(transport, 'http://a.example/', { method: 'GET' }), OutboundError);
  await assert.rejects(sendOutbound(transport, 'https://user:pw@a.example/', { method: 'GET' }), { message: 'URLs with credentials are refused' });
  await assert.rejects(sendOutbound(transport, 'not a url', { method: 'GET' }), { message: 'not a url is not a URL' });
  assert.deepEqual(seen, []);
  const allowed = table({ 'http://localhost/x': () => new Response('ok') });
  assert.equal((await sendOutbound(allowed.transport, 'http://localhost/x', { method: 'GET' }, { ...DEFAULT_OUTBOUND_LIMITS, allowHttp: true })).body, 'ok');
});

test('outbound: an answer larger than the limit → OutboundError, declared or streamed', async () => {
  const limits = { ...DEFAULT_OUTBOUND_LIMITS, maxBytes: 10 };
  const declared = table({ 'https://a.example/': () => new Response('x'.repeat(20), { headers: { 'content-length': '20' } }) });
  await assert.rejects(sendOutbound(declared.transport, 'https://a.example/', { method: 'GET' }, limits), { message: 'https://a.example answered with more than 10 bytes' });
  const streamed = table({
    'https://a.example/': () => new Response(new ReadableStream({ start(c) { c.enqueue(new Uint8Array(8)); c.enqueue(new Uint8Array(8)); c.close(); } })),
  });
  await assert.rejects(sendOutbound(streamed.transport, 'https://a.example/', { method: 'GET' }, limits), OutboundError);
});

test('outbound: no answer within the timeout → OutboundError', async () => {
  const stalled: OutboundTransport = (_url, init) => new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason)));
  // AbortSignal.timeout's timer does not keep the process alive; this one does, meanwhile.
  const keepAlive = setInterval(() => {}, 1000);
  try {
    await assert.rejects(sendOutbound(stalled, 'https://a.example/', { method: 'GET' }, { ...DEFAULT_OUTBOUND_LIMITS, timeoutMs: 50 }), {
      message: 'https://a.example did not answer within 50 ms',
    });
  } finally {
    clearInterval(keepAlive);
  }
});
