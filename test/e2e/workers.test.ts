/** `latchkey start --workers 2`: two server processes behind one port, supervised by the primary. */
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';
import { basicAuth } from '../helpers/index.js';
import { freePort, ROOT, runCli, waitFor } from '../helpers/server.js';

/** The pids of `pid`'s child processes. */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map((line) => Number(line.trim())).filter((n) => n > 0);
  } catch {
    return [];
  }
}

describe('e2e: latchkey start --workers 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-workers-'));
  let port: number;
  let primary: ReturnType<typeof spawn>;
  let output = '';
  let exited: Promise<number | null>;

  before(async () => {
    port = await freePort();
    primary = spawn(process.execPath, [join(ROOT, 'bin/latchkey.js'), 'start', '--workers', '2'], {
      env: { ...process.env, LATCHKEY_PORT: String(port), LATCHKEY_HOST: '127.0.0.1', LATCHKEY_ISSUER: `http://127.0.0.1:${port}`, LATCHKEY_DATABASE_URL: `sqlite:${join(dir, 'latchkey.db')}`, LATCHKEY_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    primary.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    primary.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((resolve) => primary.on('exit', (code) => resolve(code)));
    await waitFor('the listening line', () => output.includes('(2 workers)'));
    // The line comes when the first worker listens; the second may still be starting. Until both
    // listen, the first alone holds the port: killed then, nobody would (the cluster closes a port
    // no worker listens on). Each worker logs its own listening.
    await waitFor('both workers listening', () => (output.match(/"msg":"latchkey is listening"/g) ?? []).length >= 2);
  });

  after(async () => {
    if (primary.exitCode === null) primary.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  /** One request on a connection of its own (the cluster hands each new connection to the next worker): status and body. */
  function send(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const sent = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (answer) => {
        let text = '';
        answer.on('data', (chunk: Buffer) => (text += chunk.toString()));
        answer.on('end', () => resolve({ status: answer.statusCode!, body: text }));
      });
      sent.on('error', reject);
      sent.end(body);
    });
  }

  test('workers: while another process holds the SQLite write lock, a worker whose write waits for it goes on answering', async () => {
    const env = { ...process.env, LATCHKEY_DATABASE_URL: `sqlite:${join(dir, 'latchkey.db')}`, LATCHKEY_LOG_LEVEL: 'silent' };
    const created = await runCli(['clients', 'create'], env, JSON.stringify({ grant_types: ['client_credentials'] }));
    assert.equal(created.code, 0, created.stderr);
    const { client_id, client_secret } = JSON.parse(created.stdout) as { client_id: string; client_secret: string };
    const authorization = basicAuth(client_id, client_secret);
    const tokenRequest = () => send('POST', '/token', { authorization, 'content-type': 'application/x-www-form-urlencoded' }, 'grant_type=client_credentials');
    assert.equal((await tokenRequest()).status, 200);

    const other = new BetterSqlite3(join(dir, 'latchkey.db'));
    try {
      other.exec('begin immediate'); // another process's write, held
      // A token is written: on both workers (consecutive connections go to the next worker), each write waits for the lock.
      const tokens = [tokenRequest(), tokenRequest()];
      await sleep(100);
      // Everything that does not write is answered meanwhile, by both workers: SQLite's busy
      // handler would have held a waiting worker's event loop until the lock was released.
      const discovery = Promise.all(Array.from({ length: 6 }, () => send('GET', '/.well-known/openid-configuration')));
      const answered = await Promise.race([discovery, sleep(2000).then(() => undefined)]);
      assert.ok(answered, 'discovery answered while the lock is held');
      for (const answer of answered) assert.equal(answer.status, 200);
      let settled = false;
      void Promise.all(tokens).then(() => (settled = true));
      await sleep(50);
      assert.equal(settled, false, 'the token writes wait for the lock');
      other.exec('commit');
      for (const answer of await Promise.all(tokens)) assert.equal(answer.status, 200, answer.body);
    } finally {
      if (other.inTransaction) other.exec('rollback');
      other.close();
    }
  });

  test('workers: both serve the port; a killed worker is replaced; SIGTERM stops them all gracefully', async () => {
    assert.match(output, new RegExp(`latchkey http://127\\.0\\.0\\.1:${port} listening on http://127\\.0\\.0\\.1:${port} \\(2 workers\\)`));
    const workers = await waitFor('two workers', () => (childrenOf(primary.pid!).length === 2 ? childrenOf(primary.pid!) : undefined));

    const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`)));
    for (const answer of answers) assert.equal(answer.status, 200);
    // Both workers started on the same empty database: one signing key set, not two.
    const jwks = (await (await fetch(`http://127.0.0.1:${port}/jwks`)).json()) as { keys: unknown[] };
    assert.equal(jwks.keys.length, 12, 'a current and a next key for each of the four signing and two decryption algorithms');

    process.kill(workers[0]!, 'SIGKILL');
    await waitFor('a replacement worker', () => {
      const now = childrenOf(primary.pid!);
      return now.length === 2 && !now.includes(workers[0]!);
    });
    await waitFor('the supervisor to say so', () => output.includes(`worker ${workers[0]} exited (SIGKILL); starting another`));
    assert.equal((await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`)).status, 200);

    primary.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(output, /SIGTERM: workers are finishing in-flight requests/);
  });
});

test('workers: a worker that cannot start (its configuration refused) exits; the primary starts others, then gives up with exit 1 and says why', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-workers-'));
  try {
    // The primary opens the database without the secret; each worker reads this empty one and refuses it.
    writeFileSync(join(dir, 'secret'), '');
    const port = await freePort();
    const primary = spawn(process.execPath, [join(ROOT, 'bin/latchkey.js'), 'start', '--workers', '2'], {
      env: { ...process.env, LATCHKEY_PORT: String(port), LATCHKEY_HOST: '127.0.0.1', LATCHKEY_ISSUER: `http://127.0.0.1:${port}`, LATCHKEY_DATABASE_URL: `sqlite:${join(dir, 'latchkey.db')}`, LATCHKEY_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    primary.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    primary.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await Promise.race([new Promise<number | null>((resolve) => primary.on('exit', (exitCode) => resolve(exitCode))), sleep(45_000).then(() => 'still running' as const)]);
    if (code === 'still running') primary.kill('SIGKILL');
    assert.equal(code, 1, output);
    assert.match(output, /secret \(LATCHKEY_SECRET\): must be at least 32 characters/);
    assert.match(output, /worker \d+ exited \(code 1\); starting another/);
    assert.match(output, /workers in a row died at start, giving up/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
