// `npm run bench:compare -- --base <commit> [--cases client_credentials,introspection] [--rounds 6] [--seconds 4] [--together] [--node-args=...] [--workers N]`:
// this checkout's latchkey side by side with the build of another commit, to tell whether a change
// made a case faster. Both servers run pinned to the same core, each on a database of its own
// prepared alike; rounds alternate (A B, then B A) so that the machine's drift falls on both. The
// figure that matters is CPU µs per request, the medians and their ratio: throughput moves with
// the machine's noise more than the CPU a request costs.
//
// The base is checked out as a git worktree under the system's temporary folder (sharing this
// checkout's node_modules) and built there; it is removed at the end.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CASES, describeTarget } from './lib/cases.mjs';
import { coreLayout, measure, median, pickTool } from './lib/load.mjs';
import { createSetup } from './lib/setup.mjs';
import { prepareLatchkeyDatabase, startLatchkey } from './lib/servers.mjs';

const { values: options } = parseArgs({
  options: {
    base: { type: 'string' },
    cases: { type: 'string', default: 'client_credentials' },
    seconds: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '6' },
    connections: { type: 'string', default: '32' },
    // Both builds loaded at once, sharing their core, instead of one after the other: the
    // machine's drift (a neighbour's load, the clock) then falls on both in every round alike.
    together: { type: 'boolean', default: false },
    // Node options for this checkout's server alone (e.g. `--base HEAD --node-args=--single-threaded-gc`):
    // a runtime flag measured against the same build without it.
    'node-args': { type: 'string' },
    // Both builds as `latchkey start --workers N` on every core (one after the other: not with
    // --together), for what happens between the workers of one file.
    workers: { type: 'string', default: '1' },
  },
});
const workers = Number(options.workers);
if (!(Number.isInteger(workers) && workers >= 1)) throw new Error('--workers: a whole number of server processes');
if (workers > 1 && options.together) throw new Error('--workers: the builds run one after the other, each on every core (not --together)');
if (!options.base) throw new Error('--base: the commit to compare with (e.g. HEAD~1)');
const cases = CASES.filter((c) => options.cases.split(',').includes(c.id));
if (cases.length === 0) throw new Error(`--cases: one or more of ${CASES.map((c) => c.id).join(', ')}`);

const root = new URL('..', import.meta.url).pathname;
const layout = coreLayout();
const serverCpus = workers > 1 ? layout.allCpus : layout.serverCpus;
const { loadCpus } = layout;
const log = (message) => process.stderr.write(`${message}\n`);

const dir = mkdtempSync(join(tmpdir(), 'latchkey-compare-'));
const worktree = join(dir, 'base');
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
const baseCommit = git('rev-parse', '--short', options.base);
const headCommit = git('rev-parse', '--short', 'HEAD');
const servers = [];
try {
  git('worktree', 'add', '--detach', worktree, baseCommit);
  symlinkSync(join(root, 'node_modules'), join(worktree, 'node_modules'));
  log(`building ${baseCommit} in ${worktree}`);
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: worktree, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

  const setup = await createSetup({ idTokenAlg: 'ES256' });
  const builds = [
    { name: `base ${baseCommit}`, bin: join(worktree, 'bin/latchkey.js') },
    {
      name: `this ${headCommit}${git('status', '--porcelain', '--untracked-files=no') === '' ? '' : '+changes'}${options['node-args'] ? ` ${options['node-args']}` : ''}`,
      bin: join(root, 'bin/latchkey.js'),
      nodeArgs: options['node-args']?.split(' ').filter(Boolean),
    },
  ];
  const targets = [];
  for (const [index, build] of builds.entries()) {
    const databaseFile = join(dir, `latchkey-${index}.db`);
    await prepareLatchkeyDatabase({ databaseFile, setup, latchkeyBin: build.bin });
    const server = await startLatchkey({ dir, databaseFile, setup, cpus: serverCpus, name: `latchkey-${index}`, latchkeyBin: build.bin, nodeArgs: build.nodeArgs, workers });
    servers.push(server);
    targets.push({ ...(await describeTarget(server, setup)), label: build.name });
  }

  const tool = pickTool('auto');
  const seconds = Number(options.seconds);
  const connections = Number(options.connections);
  const prepared = new Map();
  const specFor = async (testCase, target, sampleSeconds) => {
    // The login flow: whole logins, 4 at a time, as in the benchmark (bench.mjs).
    if (testCase.flow) return { tool: 'logins', seconds: sampleSeconds, connections: 4, flow: testCase.flow(target, setup) };
    const spec = { tool, seconds: sampleSeconds, connections };
    const key = `${testCase.id}/${target.name}`;
    if (testCase.prepare && !prepared.has(key)) prepared.set(key, await testCase.prepare(target, setup));
    spec.request = testCase.request(target, setup, prepared.get(key));
    if (testCase.pool) spec.pool = await testCase.pool(target, setup, 6000 * sampleSeconds);
    if (testCase.chain) spec.chain = await testCase.chain(target, setup, connections);
    return spec;
  };

  log(`${tool}, ${seconds} s × ${options.rounds} rounds per case and build, ${connections} connections; ${workers > 1 ? `${workers} workers, ` : ''}both builds on core${workers > 1 ? 's' : ''} ${serverCpus ?? '(not pinned)'}${options.together ? ', loaded at once' : ''}`);
  for (const testCase of cases) {
    for (const target of targets) await measure(target, await specFor(testCase, target, 1), loadCpus);
    const cpu = targets.map(() => []);
    const rps = targets.map(() => []);
    const record = (index, result) => {
      if (result.errors > 0) log(`  ${targets[index].label}: ${result.errors} failed requests`);
      cpu[index].push(result.cpu_us);
      rps[index].push(result.rps);
    };
    for (let round = 0; round < Number(options.rounds); round++) {
      if (options.together) {
        const specs = await Promise.all(targets.map((target) => specFor(testCase, target, seconds)));
        const results = await Promise.all(targets.map((target, index) => measure(target, specs[index], loadCpus)));
        results.forEach((result, index) => record(index, result));
      } else {
        for (const index of round % 2 === 0 ? [0, 1] : [1, 0]) record(index, await measure(targets[index], await specFor(testCase, targets[index], seconds), loadCpus));
      }
    }
    console.log(`\n${testCase.id}`);
    for (const [index, target] of targets.entries()) {
      console.log(`  ${target.label.padEnd(24)} ${median(cpu[index]).toFixed(1).padStart(7)} µs CPU per request  ${median(rps[index]).toFixed(0).padStart(7)} req/s   (µs per round: ${cpu[index].map((v) => v.toFixed(0)).join(' ')})`);
    }
    console.log(`  this / base: ${(median(cpu[1]) / median(cpu[0])).toFixed(3)}× the CPU per request, ${(median(rps[1]) / median(rps[0])).toFixed(3)}× the requests per second${testCase.flow ? ' (a request: a whole login)' : ''}`);
    // Each round's own ratio: their spread says how far the medians' ratio can be trusted.
    const ratios = cpu[1].map((value, round) => value / cpu[0][round]).sort((a, b) => a - b);
    console.log(`  the rounds' CPU ratios: median ${median(ratios).toFixed(3)}, from ${ratios[0].toFixed(2)} to ${ratios.at(-1).toFixed(2)}`);
  }
} finally {
  for (const server of servers) await server.stop().catch(() => {});
  try {
    git('worktree', 'remove', '--force', worktree);
  } catch {
    // removed below with the folder; `git worktree prune` forgets it
  }
  rmSync(dir, { recursive: true, force: true });
  git('worktree', 'prune');
}
