// `npm run bench`: latchkey side by side with the peer (npm oidc-provider) and a raw `node:http`
// ceiling, on this machine, in one run. Each server is pinned to one core (taskset), the load
// generator to another; cases are interleaved (latchkey, peer, peer, latchkey …) and repeated,
// and the medians are reported with the ratios latchkey / peer and latchkey / raw ceiling.
//
//   npm run bench                                  the whole run (about 10 minutes), recorded
//   npm run bench -- --seconds 3 --rounds 2        shorter
//   npm run bench -- --cases client_credentials,introspection
//   npm run bench -- --quick --no-record           one second per case: proves the harness works
//   npm run bench -- --report                      only redraw the chart and the docs table
//
// Recorded runs (the default) write bench/results/<date>.json, redraw docs/performance-history.svg
// from every result there, and put the table into docs/performance.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { CASES, describeTarget } from './lib/cases.mjs';
import { coreLayout, measure, median, pickTool } from './lib/load.mjs';
import { rssBytes } from './lib/process-stats.mjs';
import { printTable, recordRun, redrawReports, summarize } from './lib/report.mjs';
import { createSetup } from './lib/setup.mjs';
import { canPin, prepareLatchkeyDatabase, startLatchkey, startPeer, startRaw } from './lib/servers.mjs';

const { values: options } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    cases: { type: 'string' },
    tool: { type: 'string', default: 'auto' },
    'id-token-alg': { type: 'string', default: 'ES256' },
    quick: { type: 'boolean', default: false },
    record: { type: 'boolean', default: true },
    'no-record': { type: 'boolean', default: false },
    'skip-workers': { type: 'boolean', default: false },
    'skip-startup': { type: 'boolean', default: false },
    // How long after the idle RSS the first start of each server is read again, settled: V8 keeps
    // the young generation that start-up grew until its memory reducer runs, 10–20 s later.
    'settle-seconds': { type: 'string', default: '25' },
    report: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

if (options.report) {
  redrawReports();
  process.exit(0);
}

const quick = options.quick;
const seconds = quick ? 1 : Number(options.seconds);
const rounds = quick ? 1 : Number(options.rounds);
const connections = Number(options.connections);
const record = options.record && !options['no-record'];
const tool = pickTool(options.tool);
const cases = options.cases ? CASES.filter((c) => options.cases.split(',').includes(c.id)) : CASES;
if (cases.length === 0) throw new Error(`--cases: none of ${options.cases} is a case (${CASES.map((c) => c.id).join(', ')})`);

const { cores, serverCpus, loadCpus, allCpus } = coreLayout();

const log = (message) => process.stderr.write(`${message}\n`);

const settleSeconds = quick ? 0 : Number(options['settle-seconds']);

/**
 * Starts a server `times` times: the median time to the first 200 on discovery, the idle RSS a
 * second later and, for the first start, the RSS once settled (`settle-seconds` later still).
 */
async function measureStartup(start, times, settle = true) {
  const starts = [];
  const idle = [];
  let settled;
  for (let i = 0; i < times; i++) {
    const server = await start();
    starts.push(server.startMs);
    await sleep(quick ? 200 : 1000);
    idle.push(rssBytes(server.pids()));
    if (i === 0 && settle && settleSeconds > 0) {
      await sleep(settleSeconds * 1000);
      settled = rssBytes(server.pids()) / 2 ** 20;
    }
    await server.stop();
  }
  return { cold_start_ms: median(starts), idle_rss_mb: idle[0] === undefined ? undefined : median(idle) / 2 ** 20, ...(settled === undefined ? {} : { settled_rss_mb: settled }) };
}

const dir = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
const servers = [];
try {
  log(`latchkey benchmark: ${tool}, ${seconds} s × ${rounds} rounds per case, ${connections} connections, ${cores} cores${canPin && serverCpus ? `, servers on core ${serverCpus}, load on ${loadCpus}` : ', not pinned'}`);
  const setup = await createSetup({ idTokenAlg: options['id-token-alg'] });
  const databaseFile = join(dir, 'latchkey.db');
  await prepareLatchkeyDatabase({ databaseFile, setup });

  // Startup: the first start creates the signing keys; the cold start is a restart's.
  const startup = { latchkey: {}, peer: {}, raw: {} };
  if (!options['skip-startup']) {
    const first = await startLatchkey({ dir, databaseFile, setup, cpus: serverCpus });
    startup.first_start_ms = first.startMs;
    if (settleSeconds > 0) startup.settle_seconds = settleSeconds;
    await first.stop();
    startup.latchkey = await measureStartup(() => startLatchkey({ dir, databaseFile, setup, cpus: serverCpus }), quick ? 1 : 3);
    startup.peer = await measureStartup(() => startPeer({ dir, setup, cpus: serverCpus }), quick ? 1 : 3);
    startup.raw = await measureStartup(() => startRaw({ dir, cpus: serverCpus }), 1, false);
    log(`startup: latchkey ${startup.latchkey.cold_start_ms.toFixed(0)} ms, peer ${startup.peer.cold_start_ms.toFixed(0)} ms`);
  }

  const latchkey = await describeTarget(await startLatchkey({ dir, databaseFile, setup, cpus: serverCpus }), setup);
  const peer = await describeTarget(await startPeer({ dir, setup, cpus: serverCpus }), setup);
  const raw = await startRaw({ dir, cpus: serverCpus });
  servers.push(latchkey, peer, raw);

  const samples = { raw: [], cases: Object.fromEntries(cases.map((c) => [c.id, { latchkey: [], peer: [] }])) };
  const prepared = new Map();
  /** Expected req/s per (case, server): sizes the pools of codes. */
  const expected = new Map();

  const specFor = async (testCase, target, sampleSeconds) => {
    const base = { tool, seconds: sampleSeconds, connections };
    if (testCase.flow) return { ...base, tool: 'logins', connections: 4, flow: testCase.flow(target, setup) };
    const key = `${testCase.id}/${target.name}`;
    if (testCase.prepare && !prepared.has(key)) prepared.set(key, await testCase.prepare(target, setup));
    const request = testCase.request(target, setup, prepared.get(key));
    if (testCase.pool) {
      // --quick: a small pool, spent before the second is over (autocannon stops with it; the
      // rate stays right). Otherwise enough for the sample, from the rate seen so far.
      const count = quick ? 200 : Math.ceil((expected.get(key) ?? 3000) * sampleSeconds * 1.4) + connections;
      return { ...base, request, pool: await testCase.pool(target, setup, count) };
    }
    if (testCase.chain) return { ...base, request, chain: await testCase.chain(target, setup, connections) };
    return { ...base, request };
  };

  const sample = async (testCase, target, sampleSeconds) => {
    for (let attempt = 0; ; attempt++) {
      const result = await measure(target, await specFor(testCase, target, sampleSeconds), loadCpus);
      const key = `${testCase.id}/${target.name}`;
      expected.set(key, Math.max(expected.get(key) ?? 0, result.rps * 1.2));
      if (result.errors > 0) log(`  ${key}: ${result.errors} failed requests`);
      if (!result.exhausted || attempt > 0 || quick) return result;
      log(`  ${key}: the pool ran out; again with a larger one`);
      expected.set(key, expected.get(key) * 2);
    }
  };

  // Warm-up: JIT and caches, at the same settings, not recorded (not in --quick, which only
  // proves that the harness works).
  if (!quick) {
    log('warm-up');
    await measure(raw, { tool, seconds: 1, connections, request: { method: 'POST', path: '/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' } }, loadCpus);
    for (const testCase of cases) {
      for (const target of [latchkey, peer]) await sample(testCase, target, Math.min(2, seconds));
    }
  }

  for (let round = 0; round < rounds; round++) {
    log(`round ${round + 1} of ${rounds}`);
    samples.raw.push(await measure(raw, { tool, seconds, connections, request: { method: 'POST', path: '/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&scope=api%3Aread' } }, loadCpus));
    for (const testCase of cases) {
      // A B, then B A: drift in the machine's load falls on both alike.
      const order = round % 2 === 0 ? [latchkey, peer] : [peer, latchkey];
      for (const target of order) {
        const result = await sample(testCase, target, seconds);
        samples.cases[testCase.id][target.name].push(result);
        log(`  ${testCase.id.padEnd(30)} ${target.name.padEnd(8)} ${result.rps.toFixed(0).padStart(7)} /s  cpu ${result.cpu_us?.toFixed(0) ?? '?'} µs`);
      }
    }
  }

  // --workers 2 against 1 on client_credentials: a second latchkey on a database of its own.
  let workers;
  if (!options['skip-workers'] && cases.some((c) => c.id === 'client_credentials')) {
    const twoFile = join(dir, 'latchkey-workers.db');
    await prepareLatchkeyDatabase({ databaseFile: twoFile, setup });
    const two = await describeTarget(await startLatchkey({ dir, databaseFile: twoFile, setup, cpus: allCpus, workers: 2, name: 'latchkey-workers-2' }), setup);
    servers.push(two);
    const testCase = cases.find((c) => c.id === 'client_credentials');
    await sample(testCase, two, quick ? 1 : 2);
    workers = { one: [], two: [] };
    for (let round = 0; round < rounds; round++) {
      workers.one.push(await sample(testCase, latchkey, seconds));
      workers.two.push(await sample(testCase, two, seconds));
    }
  }

  const run = summarize({ setup, samples, cases, startup, workers, settings: { tool, seconds, rounds, connections, cores, pinned: canPin && cores > 1, idTokenAlg: options['id-token-alg'] }, median });
  printTable(run);
  if (record) recordRun(run, options.out);
} finally {
  for (const server of servers) await server.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}
