/**
 * A smoke test of the benchmark harness (`npm run bench`): one second per case, on autocannon (CI
 * has no wrk), for one case of each shape — a fixed request, a pool of minted codes, chained
 * refresh tokens, whole browser logins. It proves that the harness works and records what it
 * should; it asserts no timing (benchmarks are not tests). Startup and `--workers` figures are
 * left out to keep it short: they use the same pieces.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ROOT } from './helpers/server.js';

const run = promisify(execFile);

test('bench: --quick runs latchkey, the peer and the raw ceiling side by side and records every figure', { timeout: 120_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'latchkey-bench-smoke-'));
  try {
    const cases = ['client_credentials', 'authorization_code', 'refresh_token', 'login'];
    await run(process.execPath, [join(ROOT, 'bench/bench.mjs'), '--quick', '--tool', 'autocannon', '--connections', '8', '--cases', cases.join(','), '--skip-startup', '--skip-workers', '--out', out], { cwd: ROOT, timeout: 110_000 });
    const [file] = readdirSync(out);
    const result = JSON.parse(readFileSync(join(out, file!), 'utf8'));

    assert.deepEqual(result.cases.map((row: { id: string }) => row.id), cases);
    for (const row of result.cases) {
      for (const server of ['latchkey', 'peer']) {
        assert.ok(row[server].rps > 0, `${row.id} on ${server} answered`);
        assert.equal(row[server].errors, 0, `${row.id} on ${server}: no failed request`);
      }
      assert.ok(row.ratio_peer > 0);
      assert.equal(typeof row.met, 'boolean');
    }
    assert.ok(result.raw.rps > 0);
    assert.ok(result.cases[0].ratio_raw > 0);
    assert.ok(result.startup.peak_rss_mb.latchkey > 0 && result.startup.peak_rss_mb.peer > 0);
    assert.equal(result.settings.tool, 'autocannon');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('bench:compare --together builds another commit and measures both builds at once, each round and their ratio', { timeout: 180_000 }, async () => {
  const { stdout } = await run(process.execPath, [join(ROOT, 'bench/compare.mjs'), '--base', 'HEAD', '--cases', 'client_credentials', '--rounds', '2', '--seconds', '1', '--connections', '8', '--together'], {
    cwd: ROOT,
    timeout: 170_000,
  });
  const perBuild = [...stdout.matchAll(/^ {2}(base|this) \S+.*?([\d.]+) µs CPU per request +(\d+) req\/s +\(µs per round: ([\d ]+)\)$/gm)];
  assert.deepEqual(
    perBuild.map((line) => line[1]),
    ['base', 'this'],
    stdout,
  );
  for (const line of perBuild) {
    assert.ok(Number(line[2]) > 0 && Number(line[3]) > 0, line[0]);
    assert.equal(line[4]!.trim().split(/ +/).length, 2, `two rounds: ${line[0]}`);
  }
  assert.match(stdout, /this \/ base: [\d.]+× the CPU per request, [\d.]+× the requests per second/);
  assert.match(stdout, /the rounds' CPU ratios: median [\d.]+, from [\d.]+ to [\d.]+/);
});

test('bench: token-rows measures a token response\'s rows on both schemas, for new grants and refreshes', { timeout: 60_000 }, async () => {
  const { stdout } = await run(process.execPath, [join(ROOT, 'bench/token-rows.mjs'), '--users', '1,50', '--responses', '64', '--prefill', '1024'], { cwd: ROOT, timeout: 55_000 });
  const lines = stdout.trim().split('\n').slice(1);
  assert.deepEqual(lines.map((line) => line.split(/\s+/).slice(0, 2).join(' ')), ['new-grant 1', 'new-grant 50', 'refresh 1', 'refresh 50']);
  for (const line of lines) assert.match(line, /before 0008 [\d.]+ \/ [\d.]+ µs, with grants [\d.]+ \/ [\d.]+ µs$/);
});
