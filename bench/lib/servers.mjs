// The three servers of the benchmark, each a child process of its own: latchkey (the production
// build, `latchkey start`, embedded SQLite on a temporary file), the peer (npm oidc-provider) and
// the raw `node:http` ceiling. Each is pinned to the given cores where `taskset` exists, and its
// output goes to a log file in the run's directory (never through a pipe the harness must drain).
import { execFile, execFileSync, spawn } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processTree } from './process-stats.mjs';

const root = new URL('../..', import.meta.url).pathname;
const bin = join(root, 'bin/latchkey.js');

/** True when `taskset` can pin processes to cores on this machine. */
export const canPin = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** `node ARGS`, pinned to `cpus` (e.g. "1" or "0,1") when taskset exists. */
export function nodeCommand(args, cpus) {
  return canPin && cpus !== undefined ? ['taskset', ['-c', cpus, process.execPath, ...args]] : [process.execPath, args];
}

export function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200; resolves with the milliseconds since `since`. */
async function firstOk(url, since, child, timeoutMs = 30_000) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - since;
    } catch {
      // not listening yet
    }
    if (performance.now() - since > timeoutMs) throw new Error(`${url}: no 200 within ${timeoutMs} ms`);
    await sleep(5);
  }
}

/**
 * Spawns a server and waits for the first 200 on `readyPath` (discovery): `startMs` is the time
 * from spawn to that answer, the cold start.
 */
async function launch({ name, args, env, cpus, dir, port, readyPath, nodeArgs }) {
  const log = openSync(join(dir, `${name}-${port}.log`), 'a');
  const [command, commandArgs] = nodeCommand([...(nodeArgs ?? []), ...args], cpus);
  const since = performance.now();
  const child = spawn(command, commandArgs, { env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  const base = `http://127.0.0.1:${port}`;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const startMs = await firstOk(`${base}${readyPath}`, since, child);
  return {
    name,
    base,
    pid: child.pid,
    startMs,
    /** The server's processes (with `--workers N`: the primary and its workers). */
    pids: () => processTree(child.pid),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The environment of a latchkey on `databaseFile` listening on `port`. */
export function latchkeyEnv({ port, databaseFile, setup }) {
  return {
    LATCHKEY_PORT: String(port),
    LATCHKEY_HOST: '127.0.0.1',
    LATCHKEY_ISSUER: `http://127.0.0.1:${port}`,
    LATCHKEY_DATABASE_URL: `sqlite:${databaseFile}`,
    LATCHKEY_SECRET: setup.masterSecret,
    LATCHKEY_ACCESS_TOKEN_TTL_SECONDS: String(setup.ttl.accessToken),
    LATCHKEY_ID_TOKEN_TTL_SECONDS: String(setup.ttl.idToken),
    LATCHKEY_AUTHORIZATION_CODE_TTL_SECONDS: String(setup.ttl.authorizationCode),
    LATCHKEY_REFRESH_TOKEN_TTL_SECONDS: String(setup.ttl.grant),
    LATCHKEY_REFRESH_TOKEN_IDLE_TTL_SECONDS: String(setup.ttl.refreshToken),
    LATCHKEY_SESSION_TTL_SECONDS: String(setup.ttl.session),
    LATCHKEY_INTERACTION_TTL_SECONDS: String(setup.ttl.interaction),
    // The production default (info): whatever latchkey logs in production, it logs here.
    LATCHKEY_LOG_LEVEL: 'info',
  };
}

/**
 * Registers the benchmark's client, resource servers and account in a new database, through the
 * CLI as an operator would (`latchkey clients create`, `resources create`, `users create`; at
 * once, as several operators could).
 */
export async function prepareLatchkeyDatabase({ databaseFile, setup, latchkeyBin = bin }) {
  const env = { ...process.env, ...latchkeyEnv({ port: 0, databaseFile, setup }), LATCHKEY_LOG_LEVEL: 'warn' };
  // The first command creates the database; the others then share it.
  execFileSync(process.execPath, [latchkeyBin, 'migrate'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const cli = (args, input) =>
    new Promise((resolve, reject) => {
      const child = execFile(process.execPath, [latchkeyBin, ...args], { env }, (error, stdout, stderr) => (error ? reject(new Error(`latchkey ${args.join(' ')}: ${stderr}`)) : resolve(stdout)));
      child.stdin.end(input);
    });
  await Promise.all([
    cli(['clients', 'create'], JSON.stringify({ ...setup.client, client_name: 'Benchmark' })),
    ...setup.resources.map((server) =>
      cli(['resources', 'create'], JSON.stringify({ resource: server.resource, scope: server.scope, access_token_format: 'jwt', access_token_signing_alg: server.alg, access_token_ttl_seconds: setup.ttl.accessToken })),
    ),
    cli(['users', 'create', '--username', setup.account.username, '--email', setup.account.claims.email, '--email-verified', '--name', setup.account.claims.name, '--password-stdin'], `${setup.account.password}\n`),
  ]);
}

/**
 * Starts latchkey (`latchkey start --workers N`) on a prepared database; `latchkeyBin`, another
 * checkout's `bin/latchkey.js`, to compare builds (bench/compare.mjs); `env`, variables that
 * override the benchmark's (to try a setting).
 */
export async function startLatchkey({ dir, databaseFile, setup, cpus, workers = 1, name = 'latchkey', nodeArgs, latchkeyBin = bin, env = {} }) {
  const port = await freePort();
  return launch({
    name,
    args: [latchkeyBin, 'start', '--workers', String(workers)],
    env: { ...latchkeyEnv({ port, databaseFile, setup }), ...env },
    cpus,
    dir,
    port,
    readyPath: '/.well-known/openid-configuration',
    nodeArgs,
  });
}

/** Starts the peer, oidc-provider, with the same client, keys and lifetimes (servers/peer.mjs). */
export async function startPeer({ dir, setup, cpus, nodeArgs }) {
  const port = await freePort();
  const config = join(dir, 'peer-config.json');
  writeFileSync(config, JSON.stringify({ ...setup, keys: setup.peerKeys }));
  return launch({
    name: 'peer',
    args: [join(root, 'bench/servers/peer.mjs')],
    env: { PORT: String(port), BENCH_PEER_CONFIG: config, NODE_ENV: 'production' },
    cpus,
    dir,
    port,
    readyPath: '/.well-known/openid-configuration',
    nodeArgs,
  });
}

/** Starts the raw `node:http` ceiling (servers/raw.mjs). */
export async function startRaw({ dir, cpus }) {
  const port = await freePort();
  return launch({ name: 'raw', args: [join(root, 'bench/servers/raw.mjs')], env: { PORT: String(port) }, cpus, dir, port, readyPath: '/' });
}
