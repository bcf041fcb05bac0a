// One sample of load: the generator runs in a process of its own (bench/load/main.mjs), pinned
// to the cores the servers do not use; meanwhile we read what the server spent (CPU time, peak
// resident memory) from /proc.
import { execFile } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cpuSeconds, peakRssBytes, resetPeakRss } from './process-stats.mjs';
import { nodeCommand } from './servers.mjs';

const run = promisify(execFile);

/**
 * Where the processes run: the servers on the last core, the load generator on the others
 * (`allCpus`: a server spread over every core, for `--workers`); on one core, no pinning.
 */
export function coreLayout() {
  const cores = availableParallelism();
  return {
    cores,
    serverCpus: cores > 1 ? String(cores - 1) : undefined,
    loadCpus: cores > 1 ? `0-${cores - 2}` : undefined,
    allCpus: cores > 1 ? `0-${cores - 1}` : undefined,
  };
}

/** The median of the values that are defined; undefined when none is. */
export function median(values) {
  const sorted = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
const main = new URL('../load/main.mjs', import.meta.url).pathname;

/** `wrk` when it is installed (lighter, so the ceiling is the server's), else autocannon. */
export function pickTool(wanted) {
  if (wanted === 'autocannon') return 'autocannon';
  let hasWrk = false;
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    hasWrk = true;
  } catch (error) {
    // wrk --version exits 1 after printing its version: installed all the same.
    hasWrk = error.status === 1;
  }
  if (wanted === 'wrk' && !hasWrk) throw new Error('--tool wrk: wrk is not installed');
  return hasWrk ? 'wrk' : 'autocannon';
}

/**
 * Sends `spec` (tool, request, pool or chain or flow, seconds, connections) at `server` from the
 * generator process on `cpus`, and returns the generator's figures plus the server's: CPU
 * microseconds per answered request and peak RSS during the sample.
 */
export async function measure(server, spec, cpus) {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-bench-load-'));
  try {
    const file = join(dir, 'spec.json');
    writeFileSync(file, JSON.stringify({ ...spec, url: server.base }));
    const pids = server.pids();
    resetPeakRss(pids);
    const cpuBefore = cpuSeconds(pids);
    const [command, args] = nodeCommand([main, file], cpus);
    const { stdout, stderr } = await run(command, args, { maxBuffer: 1 << 20, timeout: (spec.seconds + 120) * 1000 });
    if (stderr.trim() !== '') process.stderr.write(`${stderr.trim()}\n`);
    const cpuAfter = cpuSeconds(pids);
    const peak = peakRssBytes(pids);
    const result = JSON.parse(stdout.trim().split('\n').pop());
    const cpuUs = cpuBefore === undefined || result.requests === 0 ? undefined : ((cpuAfter - cpuBefore) * 1e6) / result.requests;
    return { ...result, cpu_us: cpuUs, peak_rss_mb: peak === undefined ? undefined : peak / 2 ** 20 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
