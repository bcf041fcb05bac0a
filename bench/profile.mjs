// `npm run bench:profile -- --case client_credentials [--seconds 5] [--server latchkey|peer] [--cpus 1]`:
// one case of the benchmark against a server started with `node --cpu-prof`, then the profile's
// heaviest functions and packages by self time. The .cpuprofile is kept (open it in Chrome
// DevTools or speedscope) under bench/results/tmp/.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CASES, describeTarget } from './lib/cases.mjs';
import { measure, pickTool } from './lib/load.mjs';
import { createSetup } from './lib/setup.mjs';
import { prepareLatchkeyDatabase, startLatchkey, startPeer } from './lib/servers.mjs';

const { values: options } = parseArgs({
  options: {
    case: { type: 'string', default: 'client_credentials' },
    seconds: { type: 'string', default: '5' },
    server: { type: 'string', default: 'latchkey' },
    top: { type: 'string', default: '30' },
    // The server's cores. The profile samples the main thread by wall-clock time: for logins, give
    // the server two (`--cpus 0,1`), or the password hashing thread, preempting the main thread
    // on the one core, is counted as the main thread's time in whatever it was running.
    cpus: { type: 'string', default: '1' },
  },
});
const testCase = CASES.find((c) => c.id === options.case);
if (!testCase) throw new Error(`--case: one of ${CASES.map((c) => c.id).join(', ')}`);

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'latchkey-profile-'));
const profiles = join(dir, 'profiles');
const setup = await createSetup({ idTokenAlg: 'ES256' });
const databaseFile = join(dir, 'latchkey.db');
const nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${profiles}`];
const server =
  options.server === 'peer'
    ? await startPeer({ dir, setup, cpus: options.cpus, nodeArgs })
    : (await prepareLatchkeyDatabase({ databaseFile, setup }), await startLatchkey({ dir, databaseFile, setup, cpus: options.cpus, nodeArgs }));
try {
  const target = await describeTarget(server, setup);
  const data = testCase.prepare ? await testCase.prepare(target, setup) : undefined;
  const spec = { tool: pickTool('auto'), seconds: Number(options.seconds), connections: 32 };
  if (testCase.flow) Object.assign(spec, { tool: 'logins', connections: 4, flow: testCase.flow(target, setup) });
  else spec.request = testCase.request(target, setup, data);
  if (testCase.pool) spec.pool = await testCase.pool(target, setup, 4000 * spec.seconds);
  if (testCase.chain) spec.chain = await testCase.chain(target, setup, spec.connections);
  const result = await measure(target, spec, '0');
  console.log(`${options.server} ${testCase.id}: ${result.rps.toFixed(0)} req/s, ${result.cpu_us?.toFixed(0)} µs CPU per request`);
} finally {
  await server.stop();
}

const [file] = readdirSync(profiles);
const profile = JSON.parse(readFileSync(join(profiles, file), 'utf8'));
const self = new Map();
const byPackage = new Map();
const total = profile.samples.length;
const counts = new Map();
for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
for (const node of profile.nodes) {
  const hits = counts.get(node.id) ?? 0;
  if (hits === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(`file://${root}`, '').replace(/^.*node_modules\//, 'node_modules/');
  const name = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  self.set(name, (self.get(name) ?? 0) + hits);
  const pkg = where.startsWith('node_modules/') ? where.split('/').slice(0, where.split('/')[1].startsWith('@') ? 3 : 2).join('/') : where.startsWith('dist/') ? `latchkey ${where.split('/').slice(0, 2).join('/')}` : where === '' ? `(${functionName})` : 'node:internal';
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + hits);
}
const show = (title, map) => {
  console.log(`\n${title}`);
  for (const [name, hits] of [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(options.top))) console.log(`${((100 * hits) / total).toFixed(1).padStart(5)} %  ${name}`);
};
// Inclusive time: a sample counts once for every distinct function on its stack (where the time
// under a function goes, callees included) — latchkey's own functions only, to follow its path.
const parents = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
const nodesById = new Map(profile.nodes.map((node) => [node.id, node]));
const inclusive = new Map();
for (const [id, hits] of counts) {
  const seen = new Set();
  for (let at = id; at !== undefined; at = parents.get(at)) {
    const { functionName, url, lineNumber } = nodesById.get(at).callFrame;
    if (!url.startsWith(`file://${root}dist/`)) continue;
    const name = `${functionName || '(anonymous)'} ${url.replace(`file://${root}`, '')}:${lineNumber + 1}`;
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + hits);
  }
}
show('self time by package / folder', byPackage);
show('self time by function', self);
show("inclusive time of latchkey's functions", inclusive);
const keep = join(root, 'bench/results/tmp');
mkdirSync(keep, { recursive: true });
const kept = join(keep, `${options.server}-${testCase.id}-${Date.now()}.cpuprofile`);
renameSync(join(profiles, file), kept);
console.log(`\nprofile: ${kept}`);
rmSync(dir, { recursive: true, force: true });
