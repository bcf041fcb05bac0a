// Throughput of `latchkey start --workers 1` against `--workers N`, side by side in one run, on a
// temporary SQLite database: the client credentials grant (client authentication, a token written
// to the database), the same with an RS256-signed JWT access token, and discovery (no storage),
// each for a fixed time with a fixed concurrency.
//   npm run bench:workers [-- --seconds 8 --concurrency 32 --workers 2]
//   npm run bench:workers -- --postgres postgres://postgres@127.0.0.1:5432/test [--redis redis://127.0.0.1:6379]
// With --postgres, each run gets a fresh database created through that URL (and dropped after).
import { spawn, execFileSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin/latchkey.js');
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    concurrency: { type: 'string', default: '32' },
    workers: { type: 'string', default: String(availableParallelism()) },
    postgres: { type: 'string' },
    redis: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs one statement on the PostgreSQL server of `--postgres`. */
async function onPostgres(statement) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: values.postgres });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A fresh database for one run: a SQLite file, or a new PostgreSQL database. */
async function freshDatabase(dir) {
  if (values.postgres === undefined) return { url: `sqlite:${join(dir, 'latchkey.db')}`, drop: async () => {} };
  const name = `latchkey_bench_${process.pid}_${Date.now()}`;
  await onPostgres(`CREATE DATABASE ${name}`);
  const url = new URL(values.postgres);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => onPostgres(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function startProvider(workers) {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
  const port = await freePort();
  const database = await freshDatabase(dir);
  const env = {
    ...process.env,
    LATCHKEY_PORT: String(port),
    LATCHKEY_HOST: '127.0.0.1',
    LATCHKEY_ISSUER: `http://127.0.0.1:${port}`,
    LATCHKEY_DATABASE_URL: database.url,
    LATCHKEY_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    LATCHKEY_LOG_LEVEL: 'silent',
    ...(values.redis === undefined ? {} : { LATCHKEY_REDIS_URL: values.redis }),
  };
  const created = JSON.parse(execFileSync(process.execPath, [bin, 'clients', 'create'], { env, input: JSON.stringify({ grant_types: ['client_credentials'], scope: 'bench' }) }).toString());
  execFileSync(process.execPath, [bin, 'resources', 'create'], { env, input: JSON.stringify({ resource: 'https://api.bench', scope: 'bench', access_token_format: 'jwt' }) });
  const child = spawn(process.execPath, [bin, 'start', '--workers', String(workers)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  while (!output.includes('listening')) await sleep(50);
  await sleep(500); // every worker up
  return {
    base: `http://127.0.0.1:${port}`,
    authorization: `Basic ${Buffer.from(`${created.client_id}:${created.client_secret}`).toString('base64')}`,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.on('exit', resolve));
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// node:http with keep-alive: a leaner client than fetch, so that the generator takes less of the
// cores the server needs.
const agent = new Agent({ keepAlive: true, maxSockets: 1024 });

/** One request; resolves with the status once the body is read. */
function send(url, options = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Requests per second of `make()` with `concurrency` loops for `seconds`; every answer must be 200. */
async function measure(make) {
  const until = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < until) {
      const status = await make();
      if (status !== 200) throw new Error(`status ${status}`);
      done++;
    }
  }));
  return done / seconds;
}

const scenarios = {
  'client_credentials token': (p) => () => send(`${p.base}/token`, { method: 'POST', headers: { authorization: p.authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' }),
  'RFC 9068 JWT access token': (p) => () => send(`${p.base}/token`, { method: 'POST', headers: { authorization: p.authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&resource=https%3A%2F%2Fapi.bench' }),
  discovery: (p) => () => send(`${p.base}/.well-known/openid-configuration`),
};

const results = {};
for (const workers of [1, Number(values.workers)]) {
  const provider = await startProvider(workers);
  for (const [name, make] of Object.entries(scenarios)) {
    await measure(make(provider)); // warm-up at the same settings
    (results[name] ??= {})[workers] = await measure(make(provider));
  }
  await provider.stop();
}

const storage = values.postgres === undefined ? 'SQLite' : `PostgreSQL${values.redis === undefined ? '' : ' + Redis'}`;
console.log(`latchkey start --workers 1 vs --workers ${values.workers}: ${seconds} s per scenario, ${concurrency} concurrent requests, ${storage}, ${availableParallelism()} cores (the load generator and the database share them)`);
for (const [name, byWorkers] of Object.entries(results)) {
  const [one, many] = [byWorkers[1], byWorkers[values.workers]];
  console.log(`${name.padEnd(26)} ${one.toFixed(0).padStart(7)} req/s  vs ${many.toFixed(0).padStart(7)} req/s  ratio ${(many / one).toFixed(2)}×`);
}
