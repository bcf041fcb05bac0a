/** `latchkey start` when the reader of its standard output goes away: it keeps serving and stops cleanly. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, ROOT } from '../helpers/server.js';

test('start: with its standard output closed (a pipe whose reader has gone), the server still answers and stops with code 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-stdout-'));
  const port = await freePort();
  const env = { ...process.env, LATCHKEY_ISSUER: `http://127.0.0.1:${port}`, LATCHKEY_PORT: String(port), LATCHKEY_HOST: '127.0.0.1', LATCHKEY_DATABASE_URL: `sqlite:${join(dir, 'latchkey.db')}`, LATCHKEY_WORKERS: '1' };
  const child = spawn(process.execPath, [join(ROOT, 'bin/latchkey.js'), 'start'], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    for (let i = 0; i < 200 && !output.includes('listening on'); i += 1) await sleep(50);
    assert.match(output, /listening on/);
    child.stdout.destroy();
    // Log lines (pino) and the plain lines (`SIGTERM: finishing in-flight requests`) now meet a closed pipe.
    for (let i = 0; i < 3; i += 1) assert.equal((await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`)).status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${port}/token`, { method: 'POST' })).status, 400);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, errors);
    assert.doesNotMatch(errors, /EPIPE/);
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
