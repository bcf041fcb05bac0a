/**
 * `latchkey start --workers 2`: `/metrics` shows the whole instance whichever worker answers, and
 * the per-minute buckets in the database hold every worker's counts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { readDashboard } from '../../src/observability/dashboard.js';
import { openSqliteStorage } from '../../src/storage/sqlite/index.js';
import { systemClock } from '../../src/util/clock.js';
import { parseExposition } from '../helpers/metrics.js';
import { freePort, ROOT, waitFor } from '../helpers/server.js';

const TOKEN = 'cluster-metrics-token-0123456789';

/** A GET on a connection of its own, so that the cluster hands each request to the next worker in turn. */
function getOnNewConnection(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('e2e: metrics of latchkey start --workers 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-cluster-metrics-'));
  const database = join(dir, 'latchkey.db');
  let port: number;
  let primary: ReturnType<typeof spawn>;
  let output = '';
  let exited: Promise<number | null>;

  before(async () => {
    port = await freePort();
    primary = spawn(process.execPath, [join(ROOT, 'bin/latchkey.js'), 'start', '--workers', '2'], {
      env: {
        ...process.env,
        LATCHKEY_PORT: String(port),
        LATCHKEY_HOST: '127.0.0.1',
        LATCHKEY_ISSUER: `http://127.0.0.1:${port}`,
        LATCHKEY_DATABASE_URL: `sqlite:${database}`,
        LATCHKEY_METRICS_TOKEN: TOKEN,
        LATCHKEY_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    primary.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    primary.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((resolve) => primary.on('exit', (code) => resolve(code)));
    // Each worker logs that it listens: both serve before the test sends anything.
    await waitFor('both workers listening', () => output.split('\n').filter((line) => line.includes('"msg":"latchkey is listening"')).length === 2);
  });

  after(() => {
    if (primary.exitCode === null) primary.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('metrics: whichever worker answers, the sum over both workers; one session counted once; the per-minute buckets hold both workers\' counts', async () => {
    for (let i = 0; i < 20; i++) assert.equal((await getOnNewConnection(port, '/.well-known/openid-configuration')).status, 200);
    const storage = await openSqliteStorage({ path: database, clock: systemClock, migrate: false });
    await storage.artifacts.put('session', 'sid-digest', { sid: 'sid-1', sub: 'someone', auth_time: systemClock.now(), amr: ['pwd'] }, 3600);
    await storage.close();

    assert.equal((await getOnNewConnection(port, '/metrics')).status, 401);
    assert.equal((await getOnNewConnection(port, '/metrics', { authorization: 'Bearer not-the-metrics-token' })).status, 401);
    // Four scrapes on four connections: two answered by each worker, each one the sum.
    for (let i = 0; i < 4; i++) {
      const scraped = await getOnNewConnection(port, '/metrics', { authorization: `Bearer ${TOKEN}` });
      assert.equal(scraped.status, 200);
      const { samples, types } = parseExposition(scraped.body);
      assert.equal(samples.get('latchkey_http_requests_total{method="GET",route="/.well-known/openid-configuration",status_class="2xx"}'), 20, `scrape ${i + 1}`);
      assert.equal(samples.get('latchkey_http_request_duration_seconds_count{method="GET",route="/.well-known/openid-configuration"}'), 20);
      assert.equal(samples.get('latchkey_http_requests_total{method="GET",route="/metrics",status_class="4xx"}'), 2);
      assert.equal(samples.get('latchkey_active_sessions'), 1, 'every worker reads the same storage: the max, not the sum');
      assert.equal(samples.get('nodejs_version_info{version="' + process.version + '",major="' + process.versions.node.split('.')[0] + '",minor="' + process.versions.node.split('.')[1] + '",patch="' + process.versions.node.split('.')[2] + '"}'), 1);
      assert.ok((samples.get('process_resident_memory_bytes') ?? 0) > 0);
      assert.equal(types.get('latchkey_tokens_issued_total'), 'counter');
    }

    primary.kill('SIGTERM');
    assert.equal(await exited, 0);
    // Each worker wrote its own counts when it stopped; the buckets hold the sum.
    const after = await openSqliteStorage({ path: database, clock: systemClock, migrate: false });
    try {
      const dashboard = await readDashboard(after, systemClock.now(), { minutes: 10 });
      assert.deepEqual(dashboard.totals.http, { requests: 20, client_errors: 0, server_errors: 0 }, 'scrapes are not traffic');
    } finally {
      await after.close();
    }
  });
});
