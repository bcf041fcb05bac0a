import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AggregatorRegistry, Registry } from 'prom-client';
import { parseExposition } from '../../test/helpers/metrics.js';
import { createHttpMetrics, statusClassOf } from './http-metrics.js';

const BOUNDS = [0.01, 0.1, 1];

test('http metrics: counts by status class, cumulative buckets with +Inf, sum and count — in the text exposition', async () => {
  const registry = new Registry();
  const http = createHttpMetrics(registry, BOUNDS);
  for (const [status, seconds] of [[200, 0.005], [200, 0.01], [201, 0.05], [404, 0.5], [503, 3], [99, 0.001]] as const) {
    http.observe('POST', '/token', statusClassOf(status), seconds);
  }
  http.observe('GET', '/jwks', statusClassOf(200), 0.002);
  const { samples, types } = parseExposition(await registry.metrics());
  assert.equal(types.get('latchkey_http_requests_total'), 'counter');
  assert.equal(types.get('latchkey_http_request_duration_seconds'), 'histogram');
  const requests = (method: string, route: string, statusClass: string) => samples.get(`latchkey_http_requests_total{method="${method}",route="${route}",status_class="${statusClass}"}`);
  assert.equal(requests('POST', '/token', '2xx'), 3);
  assert.equal(requests('POST', '/token', '4xx'), 1);
  assert.equal(requests('POST', '/token', '5xx'), 1);
  assert.equal(requests('POST', '/token', 'other'), 1);
  assert.equal(requests('POST', '/token', '3xx'), undefined);
  assert.equal(requests('GET', '/jwks', '2xx'), 1);
  const bucket = (le: string) => samples.get(`latchkey_http_request_duration_seconds_bucket{le="${le}",method="POST",route="/token"}`);
  // A value equal to a bound falls in that bound's bucket (Prometheus: le = less or equal).
  assert.deepEqual([bucket('0.01'), bucket('0.1'), bucket('1'), bucket('+Inf')], [3, 4, 5, 6]);
  assert.equal(samples.get('latchkey_http_request_duration_seconds_count{method="POST",route="/token"}'), 6);
  assert.ok(Math.abs(samples.get('latchkey_http_request_duration_seconds_sum{method="POST",route="/token"}')! - 3.566) < 1e-9);

  registry.resetMetrics();
  assert.equal(parseExposition(await registry.metrics()).samples.size, 0);
});

test('http metrics: the cluster aggregation sums every worker\'s series', async () => {
  const workers = [new Registry(), new Registry()];
  const [a, b] = workers.map((registry) => createHttpMetrics(registry, BOUNDS));
  a!.observe('GET', '/jwks', 2, 0.002);
  b!.observe('GET', '/jwks', 2, 0.2);
  b!.observe('GET', '/jwks', 4, 0.002);
  const sum = AggregatorRegistry.aggregate(await Promise.all(workers.map((registry) => registry.getMetricsAsJSON())));
  const { samples } = parseExposition(await sum.metrics());
  assert.equal(samples.get('latchkey_http_requests_total{method="GET",route="/jwks",status_class="2xx"}'), 2);
  assert.equal(samples.get('latchkey_http_requests_total{method="GET",route="/jwks",status_class="4xx"}'), 1);
  assert.equal(samples.get('latchkey_http_request_duration_seconds_bucket{le="0.01",method="GET",route="/jwks"}'), 2);
  assert.equal(samples.get('latchkey_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/jwks"}'), 3);
  assert.equal(samples.get('latchkey_http_request_duration_seconds_count{method="GET",route="/jwks"}'), 3);
});
