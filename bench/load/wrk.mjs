// Load with wrk (C, one thread: far lighter than any Node client, so that the raw ceiling is the
// server's and not the generator's). A Lua script generated per sample sends the sample's
// request: one fixed request; or each body of a pool once (authorization codes); or chains, where
// each response carries a token for a later request (refresh tokens under rotation). wrk builds a
// connection's next request before the answer to the last one arrives, so chained tokens go
// through one queue that starts with more tokens than connections (three per connection), and
// every token is still used exactly once.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A Lua string literal. */
const lua = (value) => `"${String(value).replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;

function script(spec, dir) {
  const { method, path, headers = {}, body } = spec.request;
  const lines = [
    `local method, path = ${lua(method)}, ${lua(path)}`,
    `local headers = {${Object.entries(headers).map(([name, value]) => `[${lua(name)}] = ${lua(value)}`).join(', ')}}`,
    'local threads = {}',
    'function setup(thread) table.insert(threads, thread) end',
    'exhausted = false',
  ];
  if (spec.pool) {
    const file = join(dir, 'pool.txt');
    writeFileSync(file, `${spec.pool.join('\n')}\n`);
    lines.push(
      'local pool, next = {}, 1',
      `for line in io.lines(${lua(file)}) do pool[#pool + 1] = line end`,
      'function request()',
      '  if next > #pool then exhausted = true; wrk.thread:stop(); return wrk.format(method, path, headers, pool[#pool]) end',
      '  next = next + 1',
      '  return wrk.format(method, path, headers, pool[next - 1])',
      'end',
    );
  } else if (spec.chain) {
    const file = join(dir, 'chain.txt');
    writeFileSync(file, `${spec.chain.initial.join('\n')}\n`);
    lines.push(
      'local queue = {}',
      `for line in io.lines(${lua(file)}) do queue[#queue + 1] = line end`,
      `local prefix, field = ${lua(spec.chain.bodyPrefix)}, ${lua(spec.chain.field)}`,
      'function request()',
      '  local token = table.remove(queue) or "exhausted"',
      '  if token == "exhausted" then exhausted = true end',
      '  return wrk.format(method, path, headers, prefix .. token)',
      'end',
      'local shown = false',
      'function response(status, headers, body)',
      '  local token = body:match(\'"\' .. field .. \'":"([^"]+)"\')',
      '  if token then table.insert(queue, token) end',
      `  if ${process.env.BENCH_DEBUG ? 'true' : 'false'} and not token and not shown then shown = true; io.stderr:write("first failure: " .. status .. " " .. body .. "\\n") end`,
      'end',
    );
  } else {
    // Formatted at the first request: wrk.host (the Host header) is not known while the script loads.
    lines.push('local fixed', `function request() fixed = fixed or wrk.format(method, path, headers, ${body === undefined ? 'nil' : lua(body)}); return fixed end`);
  }
  if (process.env.BENCH_DEBUG && !spec.chain) {
    // Shows the first failed answer: why a case fails is the first thing to know.
    lines.push('local shown = false', 'function response(status, headers, body)', '  if status > 399 and not shown then shown = true; io.stderr:write("first failure: " .. status .. " " .. body .. "\\n") end', 'end');
  }
  lines.push(
    'function done(summary, latency, requests)',
    '  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout',
    '  local exhausted = false',
    '  for _, thread in ipairs(threads) do exhausted = exhausted or thread:get("exhausted") end',
    '  io.stderr:write(string.format(\'BENCH {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"non2xx":%d,"errors":%d,"exhausted":%s}\\n\',',
    '    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), summary.errors.status, errors, tostring(exhausted)))',
    'end',
  );
  const file = join(dir, 'sample.lua');
  writeFileSync(file, lines.join('\n'));
  if (process.env.BENCH_DEBUG) process.stderr.write(`${lines.join('\n')}\n`);
  return file;
}

/** One sample with wrk: `spec.connections` connections for `spec.seconds`. */
export async function runWrk(spec) {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-bench-wrk-'));
  try {
    const { stderr } = await run('wrk', ['-t1', `-c${spec.connections}`, `-d${spec.seconds}s`, '--timeout', '10s', '-s', script(spec, dir), spec.url], { maxBuffer: 1 << 20 });
    const line = stderr.split('\n').find((l) => l.startsWith('BENCH '));
    if (!line) throw new Error(`wrk printed no summary: ${stderr}`);
    if (process.env.BENCH_DEBUG) process.stderr.write(stderr.split('\n').filter((l) => !l.startsWith('BENCH ')).slice(0, 12).join('\n'));
    const raw = JSON.parse(line.slice('BENCH '.length));
    const seconds = raw.duration_us / 1e6;
    // wrk counts a 4xx / 5xx as a request; a benchmark counts only the answers it wanted.
    const good = raw.requests - raw.non2xx;
    return { requests: good, seconds, rps: good / seconds, p50_ms: raw.p50_us / 1000, p99_ms: raw.p99_us / 1000, errors: raw.non2xx + raw.errors, exhausted: raw.exhausted };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
