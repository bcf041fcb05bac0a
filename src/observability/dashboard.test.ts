/** The dashboard's per-minute series: counted in memory, added to storage in batches, summed over every process. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { basicAuth, ISSUER, postForm, SEED_SECRET, testProvider, type TestProvider } from '../../test/helpers/index.js';
import { createMemoryStorage } from '../storage/memory/index.js';
import { openSqliteStorage } from '../storage/sqlite/index.js';
import type { MetricSample, MetricStore } from '../storage/types.js';
import { fixedClock } from '../util/clock.js';
import { readDashboard, type Dashboard } from './dashboard.js';
import { createMinuteSeries } from './minute-series.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const SERVICE = { client_id: 'service', client_secret: SEED_SECRET, grant_types: ['client_credentials'], scope: 'reports' };
const T0 = Date.parse('2030-01-01T00:00:00Z') / 1000;

function clientCredentials(tp: TestProvider) {
  return postForm(tp, '/token', { grant_type: 'client_credentials' }, { authorization: basicAuth('service', SEED_SECRET) });
}

function get(tp: TestProvider, path: string) {
  return tp.provider.fetch(new Request(`${ISSUER}${path}`));
}

/** A window of `n` minutes of zeros ending at `last`, with `changes` applied. */
function expected(n: number, last: number, changes: (dashboard: Dashboard) => void): Omit<Dashboard, 'now' | 'active_sessions' | 'totals'> & { totals?: unknown } {
  const zeros = () => new Array<number>(n).fill(0);
  const dashboard: Dashboard = {
    now: last,
    minutes: Array.from({ length: n }, (_, i) => last - (n - 1 - i) * 60),
    series: {
      tokens_issued: { authorization_code: zeros(), refresh_token: zeros(), client_credentials: zeros(), [DEVICE_GRANT]: zeros(), [EXCHANGE_GRANT]: zeros(), implicit: zeros() },
      logins: { succeeded: zeros(), failed: zeros(), throttled: zeros() },
      sessions: { started: zeros(), ended: zeros() },
      http: { requests: zeros(), client_errors: zeros(), server_errors: zeros() },
    },
    totals: undefined as never,
    active_sessions: 0,
  };
  changes(dashboard);
  const { now: _now, active_sessions: _sessions, totals: _totals, ...rest } = dashboard;
  return rest;
}

describe('dashboard: per-minute series', () => {
  test('dashboard: a provider\'s tokens and responses per minute of its clock, zero-filled, oldest first; probes and scrapes left out; totals', async () => {
    const tp = await testProvider({ clients: [SERVICE] });
    assert.equal((await clientCredentials(tp)).response.status, 200);
    assert.equal((await get(tp, '/health/live')).status, 200);
    assert.equal((await get(tp, '/health/ready')).status, 200);
    assert.equal((await get(tp, '/metrics')).status, 200);
    tp.clock.advance(125); // two minutes later, five seconds in
    assert.equal((await clientCredentials(tp)).response.status, 200);
    assert.equal((await clientCredentials(tp)).response.status, 200);
    assert.equal((await get(tp, '/nope')).status, 404);
    assert.equal((await postForm(tp, '/token', { grant_type: 'client_credentials' }, { authorization: basicAuth('service', 'wrong') })).response.status, 401);
    await tp.provider.metrics.flush();

    const dashboard = await readDashboard(tp.provider.context.storage, tp.clock.now(), { minutes: 4 });
    const { now, active_sessions, totals, ...rest } = dashboard;
    assert.equal(now, T0 + 125);
    assert.equal(active_sessions, 0);
    assert.deepEqual(rest, expected(4, T0 + 120, (d) => {
      d.series.tokens_issued.client_credentials = [0, 1, 0, 2];
      d.series.http.requests = [0, 1, 0, 4];
      d.series.http.client_errors = [0, 0, 0, 2];
    }));
    assert.deepEqual(totals, {
      tokens_issued: { authorization_code: 0, refresh_token: 0, client_credentials: 3, [DEVICE_GRANT]: 0, [EXCHANGE_GRANT]: 0, implicit: 0 },
      logins: { succeeded: 0, failed: 0, throttled: 0 },
      sessions: { started: 0, ended: 0 },
      http: { requests: 5, client_errors: 2, server_errors: 0 },
    });
    assert.equal(JSON.stringify(dashboard), JSON.stringify(JSON.parse(JSON.stringify(dashboard))), 'plain JSON data');
  });

  test('dashboard: counts reach storage only when flushed, in one batch, each in its minute; a second flush adds nothing', async () => {
    const tp = await testProvider({ clients: [SERVICE] });
    await clientCredentials(tp);
    tp.clock.advance(60);
    await clientCredentials(tp);
    const storage = tp.provider.context.storage;
    assert.deepEqual(await storage.metrics.read(0), [], 'nothing written per request');
    await tp.provider.metrics.flush();
    await tp.provider.metrics.flush();
    assert.deepEqual(await storage.metrics.read(0), [
      { series: 'http_responses/2xx', minute: T0, count: 1 },
      { series: 'tokens_issued/client_credentials', minute: T0, count: 1 },
      { series: 'http_responses/2xx', minute: T0 + 60, count: 1 },
      { series: 'tokens_issued/client_credentials', minute: T0 + 60, count: 1 },
    ]);
  });

  test('dashboard: two providers on one SQLite file add up in the same buckets; close() writes the last counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-dashboard-'));
    const path = join(dir, 'latchkey.db');
    try {
      const a = await testProvider({ clients: [SERVICE], storage: (clock) => openSqliteStorage({ path, clock }) });
      const b = await testProvider({ storage: (clock) => openSqliteStorage({ path, clock }) });
      for (let i = 0; i < 3; i++) assert.equal((await clientCredentials(a)).response.status, 200);
      for (let i = 0; i < 2; i++) assert.equal((await clientCredentials(b)).response.status, 200);
      assert.equal((await get(b, '/nope')).status, 404);
      await a.provider.metrics.flush();
      await b.provider.close();

      const dashboard = await readDashboard(a.provider.context.storage, T0 + 30, { minutes: 1 });
      assert.deepEqual(dashboard.series.tokens_issued.client_credentials, [5]);
      assert.deepEqual(dashboard.series.http, { requests: [6], client_errors: [1], server_errors: [0] });
      await a.provider.close();

      const reopened = await openSqliteStorage({ path, clock: fixedClock(T0) });
      assert.deepEqual((await readDashboard(reopened, T0 + 30, { minutes: 1 })).series.tokens_issued.client_credentials, [5]);
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('dashboard: buckets before the window or after `now` are left out; active sessions from storage', async () => {
    const storage = createMemoryStorage({ clock: fixedClock(T0) });
    await storage.metrics.add([
      { series: 'logins/failed', minute: T0 - 180, count: 9 },
      { series: 'logins/failed', minute: T0 - 120, count: 1 },
      { series: 'logins/succeeded', minute: T0, count: 4 },
      { series: 'sessions/started', minute: T0, count: 4 },
      { series: 'tokens_issued/urn:example:custom', minute: T0, count: 2 },
      { series: 'http_responses/5xx', minute: T0, count: 1 },
      { series: 'logins/succeeded', minute: T0 + 60, count: 7 },
    ]);
    await storage.artifacts.put('session', 's1', { sid: 's1', sub: 'u', auth_time: T0, amr: ['pwd'] }, 3600);
    const dashboard = await readDashboard(storage, T0 + 59, { minutes: 3 });
    assert.equal(dashboard.active_sessions, 1);
    assert.deepEqual(dashboard.minutes, [T0 - 120, T0 - 60, T0]);
    assert.deepEqual(dashboard.series.logins, { succeeded: [0, 0, 4], failed: [1, 0, 0], throttled: [0, 0, 0] });
    assert.deepEqual(dashboard.series.sessions, { started: [0, 0, 4], ended: [0, 0, 0] });
    assert.deepEqual(dashboard.series.tokens_issued['urn:example:custom'], [0, 0, 2], 'a grant type beyond the built-in ones is listed too');
    assert.deepEqual(dashboard.series.http, { requests: [0, 0, 1], client_errors: [0, 0, 0], server_errors: [0, 0, 1] });
  });

  test('dashboard: minutes defaults to 60; outside 1 to 1440 or not whole → TypeError', async () => {
    const storage = createMemoryStorage({ clock: fixedClock(T0) });
    assert.equal((await readDashboard(storage, T0)).minutes.length, 60);
    assert.equal((await readDashboard(storage, T0, { minutes: 1440 })).minutes.length, 1440);
    for (const minutes of [0, 1441, 1.5, Number.NaN]) {
      await assert.rejects(readDashboard(storage, T0, { minutes }), { name: 'TypeError', message: 'readDashboard: minutes must be a whole number from 1 to 1440' });
    }
  });
});

describe('minute series: batching', () => {
  const silent = { debug() {}, info() {}, warn() {}, error() {} };

  test('minute series: a store that fails keeps the counts for the next flush, and says so', async () => {
    const written: MetricSample[][] = [];
    let failures = 1;
    const store: MetricStore = {
      async add(samples) {
        if (failures-- > 0) throw new Error('database is down');
        written.push([...samples]);
      },
      read: async () => [],
    };
    const warnings: string[] = [];
    const clock = fixedClock(T0 + 10);
    const series = createMinuteSeries({ store, clock, logger: { ...silent, warn: (_fields, message) => warnings.push(String(message)) }, flushIntervalSeconds: 0 });
    series.count('logins/failed');
    await series.flush();
    assert.deepEqual(warnings, ['writing the per-minute metrics failed; they are kept for the next flush']);
    series.count('logins/failed', 2);
    await series.close();
    assert.deepEqual(written, [[{ series: 'logins/failed', minute: T0, count: 3 }]]);
  });

  test('minute series: with flushIntervalSeconds, a timer writes without being asked', async () => {
    const storage = createMemoryStorage({ clock: fixedClock(T0) });
    const series = createMinuteSeries({ store: storage.metrics, clock: fixedClock(T0), logger: silent, flushIntervalSeconds: 1 });
    try {
      series.count('sessions/started');
      const deadline = Date.now() + 3000;
      while ((await storage.metrics.read(0)).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(await storage.metrics.read(0), [{ series: 'sessions/started', minute: T0, count: 1 }]);
    } finally {
      await series.close();
    }
  });
});
