/** `GET /metrics`: open by default; with `metricsToken`, only for that Bearer token (RFC 6750 §3). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ISSUER, testProvider } from '../../test/helpers/index.js';
import { parseExposition } from '../../test/helpers/metrics.js';

const TOKEN = 'metrics-token-0123456789abcdef';

function get(tp: Awaited<ReturnType<typeof testProvider>>, headers: Record<string, string> = {}) {
  return tp.provider.fetch(new Request(`${ISSUER}/metrics`, { headers }));
}

describe('metrics endpoint: bearer protection', () => {
  test('metrics: metricsToken set, no Authorization → 401 invalid_token with a bare Bearer challenge, no metrics', async () => {
    const tp = await testProvider({ config: { metricsToken: TOKEN } });
    const response = await get(tp);
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="metrics"');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await response.json(), { error: 'invalid_token', error_description: 'a bearer token is required' });
  });

  test('metrics: metricsToken set, a wrong token (or one a character longer) → 401 invalid_token with the error in the challenge', async () => {
    const tp = await testProvider({ config: { metricsToken: TOKEN } });
    for (const wrong of ['metrics-token-0123456789abcdeX', `${TOKEN}0`, 'x']) {
      const response = await get(tp, { authorization: `Bearer ${wrong}` });
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="metrics", error="invalid_token"');
      assert.deepEqual(await response.json(), { error: 'invalid_token', error_description: 'the bearer token is not the metrics token' });
    }
  });

  test('metrics: metricsToken set, Basic credentials → 401 (only Bearer counts); a malformed Bearer header → 400 invalid_request', async () => {
    const tp = await testProvider({ config: { metricsToken: TOKEN } });
    const basic = await get(tp, { authorization: `Basic ${Buffer.from(`metrics:${TOKEN}`).toString('base64')}` });
    assert.equal(basic.status, 401);
    assert.equal(basic.headers.get('www-authenticate'), 'Bearer realm="metrics"');
    const malformed = await get(tp, { authorization: 'Bearer two words' });
    assert.equal(malformed.status, 400);
    assert.deepEqual(await malformed.json(), { error: 'invalid_request', error_description: 'malformed bearer token' });
  });

  test('metrics: metricsToken set, the token → 200 with the metrics; the refused scrapes are counted too', async () => {
    const tp = await testProvider({ config: { metricsToken: TOKEN } });
    assert.equal((await get(tp)).status, 401);
    const response = await get(tp, { authorization: `Bearer ${TOKEN}` });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const { samples } = parseExposition(await response.text());
    assert.equal(samples.get('latchkey_http_requests_total{method="GET",route="/metrics",status_class="4xx"}'), 1);
  });

  test('metrics: no metricsToken → open to anyone; an Authorization header is ignored', async () => {
    const tp = await testProvider();
    assert.equal((await get(tp)).status, 200);
    assert.equal((await get(tp, { authorization: 'Bearer anything-at-all-here' })).status, 200);
  });

  test('metrics: only GET (and HEAD) → POST is 405', async () => {
    const tp = await testProvider();
    const response = await tp.provider.fetch(new Request(`${ISSUER}/metrics`, { method: 'POST' }));
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'GET, HEAD');
  });
});
