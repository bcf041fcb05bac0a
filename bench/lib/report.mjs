// What a run found, three ways: a table on the terminal, a JSON file in bench/results/, and — from
// every JSON file there — the history chart (docs/performance-history.svg) and the latest table
// in docs/performance.md (between its `bench:latest` markers).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { join } from 'node:path';
import { drawHistory } from './chart.mjs';

const root = new URL('../..', import.meta.url).pathname;
const resultsDir = join(root, 'bench/results');
const docsFile = join(root, 'docs/performance.md');
const chartFile = join(root, 'docs/performance-history.svg');

function commit() {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: root, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${sha}+` : sha;
  } catch {
    return 'unknown';
  }
}

/** Medians of a list of samples. */
function medians(list, median) {
  if (!list || list.length === 0) return undefined;
  const of = (name) => median(list.map((s) => s[name]));
  return {
    rps: of('rps'),
    p50_ms: of('p50_ms'),
    p99_ms: of('p99_ms'),
    cpu_us: of('cpu_us'),
    peak_rss_mb: Math.max(...list.map((s) => s.peak_rss_mb ?? 0)) || undefined,
    errors: list.reduce((sum, s) => sum + s.errors, 0),
    samples: list.map((s) => Math.round(s.rps)),
  };
}

/** Whether a case met its goal: every ratio it names, or its rate. */
function goalMet(goal, row) {
  const checks = [];
  if (goal.peer !== undefined) checks.push(row.ratio_peer !== undefined && row.ratio_peer >= goal.peer);
  if (goal.raw !== undefined) checks.push(row.ratio_raw !== undefined && row.ratio_raw >= goal.raw);
  if (goal.perSecond !== undefined) checks.push(row.latchkey.rps >= goal.perSecond);
  return checks.every(Boolean);
}

/** The run as recorded: settings, machine, medians, ratios and goals. */
export function summarize({ samples, cases, startup, workers, settings, median }) {
  const raw = medians(samples.raw, median);
  const rows = cases.map((testCase) => {
    const latchkey = medians(samples.cases[testCase.id].latchkey, median);
    const peer = medians(samples.cases[testCase.id].peer, median);
    const row = {
      id: testCase.id,
      title: testCase.title,
      goal: testCase.goal,
      latchkey,
      peer,
      ratio_peer: peer?.rps ? latchkey.rps / peer.rps : undefined,
      ratio_raw: testCase.flow || !raw ? undefined : latchkey.rps / raw.rps,
    };
    return { ...row, met: goalMet(testCase.goal, row) };
  });
  const peakLatchkey = Math.max(...rows.map((r) => r.latchkey.peak_rss_mb ?? 0));
  const peakPeer = Math.max(...rows.map((r) => r.peer?.peak_rss_mb ?? 0));
  const workerRatio = workers ? median(workers.two.map((s) => s.rps)) / median(workers.one.map((s) => s.rps)) : undefined;
  return {
    version: 1,
    date: new Date().toISOString(),
    commit: commit(),
    machine: { cpu: cpus()[0]?.model.trim(), cores: settings.cores, node: process.version, os: `${platform()} ${release()}` },
    settings,
    raw,
    cases: rows,
    startup: { ...startup, peak_rss_mb: { latchkey: peakLatchkey, peer: peakPeer } },
    workers: workers && { one: medians(workers.one, median), two: medians(workers.two, median), ratio: workerRatio },
    goals: {
      cold_start: startup.latchkey.cold_start_ms === undefined ? undefined : startup.latchkey.cold_start_ms < 1000,
      idle_rss: startup.latchkey.idle_rss_mb !== undefined && startup.latchkey.idle_rss_mb < 90,
      peak_rss: peakLatchkey <= peakPeer,
      workers: workerRatio === undefined ? undefined : workerRatio >= 1.7,
    },
  };
}

const fixed = (value, digits = 0) => (value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits));
const ratio = (value) => (value === undefined ? '–' : `${value.toFixed(2)}×`);
const goalText = (goal) => [goal.peer && `≥ ${goal.peer}× peer`, goal.raw && `≥ ${goal.raw}× raw`, goal.perSecond && `≥ ${goal.perSecond}/s`].filter(Boolean).join(', ');

/** The results as a Markdown table, and the lines under it. */
export function markdownTable(run) {
  const lines = [
    '| case | latchkey req/s | peer req/s | latchkey / peer | latchkey / raw | latchkey p50 / p99 ms | peer p50 / p99 ms | latchkey CPU µs/req | peer CPU µs/req | goal | met |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | :---: |',
  ];
  for (const row of run.cases) {
    const { latchkey: l, peer: p } = row;
    lines.push(`| ${row.title} | ${fixed(l.rps)} | ${fixed(p?.rps)} | ${ratio(row.ratio_peer)} | ${ratio(row.ratio_raw)} | ${fixed(l.p50_ms, 1)} / ${fixed(l.p99_ms, 1)} | ${fixed(p?.p50_ms, 1)} / ${fixed(p?.p99_ms, 1)} | ${fixed(l.cpu_us)} | ${fixed(p?.cpu_us)} | ${goalText(row.goal)} | ${row.met ? 'yes' : '**no**'} |`);
  }
  const s = run.startup;
  const yes = (met) => (met === undefined ? '–' : met ? 'met' : '**not met**');
  lines.push(
    '',
    `Raw \`node:http\` ceiling: ${fixed(run.raw?.rps)} req/s (p50 ${fixed(run.raw?.p50_ms, 1)} ms).`,
    `Cold start (process start to the first 200 on discovery, existing database): latchkey ${fixed(s.latchkey.cold_start_ms)} ms, peer ${fixed(s.peer.cold_start_ms)} ms — ${yes(run.goals.cold_start)} (< 1 s); first start on a new database (creating the signing keys): ${fixed(s.first_start_ms)} ms.`,
    `Idle RSS: latchkey ${fixed(s.latchkey.idle_rss_mb, 1)} MB, peer ${fixed(s.peer.idle_rss_mb, 1)} MB — ${yes(run.goals.idle_rss)} (< 90 MB)${s.latchkey.settled_rss_mb === undefined ? '' : `; settled (${s.settle_seconds ?? 25} s later, once V8 has given back the young generation start-up grew): latchkey ${fixed(s.latchkey.settled_rss_mb, 1)} MB, peer ${fixed(s.peer.settled_rss_mb, 1)} MB`}. Peak RSS under load: latchkey ${fixed(s.peak_rss_mb.latchkey, 1)} MB, peer ${fixed(s.peak_rss_mb.peer, 1)} MB — ${yes(run.goals.peak_rss)} (≤ the peer's).`,
  );
  if (run.workers) {
    const { one, two } = run.workers;
    // The cores each server kept busy (req/s × CPU per request): where two workers share the
    // machine's cores with the load generator, what they got bounds the ratio.
    const cores = (sample) => (sample.cpu_us === undefined ? undefined : (sample.rps * sample.cpu_us) / 1e6);
    lines.push(
      `\`--workers 2\` vs 1 on client_credentials: ${fixed(two.rps)} vs ${fixed(one.rps)} req/s, ${ratio(run.workers.ratio)} — ${yes(run.goals.workers)} (≥ 1.7×); ` +
        `CPU per request ${fixed(two.cpu_us)} vs ${fixed(one.cpu_us)} µs, cores kept busy ${fixed(cores(two), 2)} vs ${fixed(cores(one), 2)} of ${run.settings.cores}.`,
    );
  }
  const st = run.settings;
  lines.push(
    '',
    `Run ${run.date.slice(0, 16).replace('T', ' ')} UTC, commit ${run.commit}; ${st.tool}, ${st.connections} connections, ${st.seconds} s × ${st.rounds} rounds per case (medians), ${st.cores} cores (${run.machine.cpu}), Node ${run.machine.node}${st.pinned ? '; each server pinned to one core, the load generator to the other' : '; not pinned'}; ID tokens ${st.idTokenAlg}.`,
  );
  return lines.join('\n');
}

export function printTable(run) {
  process.stdout.write(`\n${markdownTable(run)}\n`);
}

function allRuns() {
  let names = [];
  try {
    names = readdirSync(resultsDir).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((name) => JSON.parse(readFileSync(join(resultsDir, name), 'utf8')));
}

/** Redraws the history chart from every recorded run, and puts the latest table into the docs. */
export function redrawReports() {
  const runs = allRuns();
  if (runs.length === 0) return;
  writeFileSync(chartFile, drawHistory(runs));
  const docs = readFileSync(docsFile, 'utf8');
  const start = '<!-- bench:latest:start -->';
  const end = '<!-- bench:latest:end -->';
  const from = docs.indexOf(start);
  const to = docs.indexOf(end);
  if (from < 0 || to < from) throw new Error(`docs/performance.md lacks the ${start} … ${end} markers`);
  writeFileSync(docsFile, `${docs.slice(0, from + start.length)}\n${markdownTable(runs[runs.length - 1])}\n${docs.slice(to)}`);
}

/** Writes the run to bench/results/ (or `out`), then redraws the chart and the docs table. */
export function recordRun(run, out) {
  const dir = out ?? resultsDir;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${run.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
  process.stderr.write(`recorded ${file}\n`);
  if (out === undefined) redrawReports();
}
