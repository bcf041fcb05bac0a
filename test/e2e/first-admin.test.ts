/**
 * The first administrator: `latchkey users create … --admin`, and the offer `latchkey start`
 * makes at a terminal (a real pseudo-terminal, through util-linux `script`) when none exists.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSqliteStorage } from '../../src/storage/sqlite/index.js';
import { systemClock } from '../../src/util/clock.js';
import { freePort, ROOT, runCli } from '../helpers/server.js';

function environment(dir: string, port: number): NodeJS.ProcessEnv {
  return { ...process.env, LATCHKEY_ISSUER: `http://127.0.0.1:${port}`, LATCHKEY_PORT: String(port), LATCHKEY_HOST: '127.0.0.1', LATCHKEY_DATABASE_URL: `sqlite:${join(dir, 'latchkey.db')}`, LATCHKEY_WORKERS: '1', LATCHKEY_LOG_LEVEL: 'silent' };
}

async function accountsIn(dir: string) {
  const storage = await openSqliteStorage({ path: join(dir, 'latchkey.db'), clock: systemClock });
  try {
    return { accounts: (await storage.accounts.list({ limit: 10 })).items, audit: (await storage.audit.list({}, { limit: 10 })).items };
  } finally {
    await storage.close();
  }
}

test('first admin: users create --admin gives the admin role, recorded in the audit log with actor cli', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-admin-'));
  try {
    const env = environment(dir, await freePort());
    const result = await runCli(['users', 'create', '--username', 'root', '--admin', '--password-stdin'], env, 'a long enough password\n');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).roles, ['admin']);
    const { audit } = await accountsIn(dir);
    assert.deepEqual(audit.map((event) => [event.type, event.actor, event.data]), [['user.created', 'cli', { username: 'root', roles: ['admin'] }]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('first admin: without a terminal, latchkey start says how to create one and serves', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-admin-'));
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'bin/latchkey.js'), 'start'], { env: environment(dir, port), cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    for (let i = 0; i < 200 && !output.includes('listening'); i += 1) await sleep(50);
    assert.match(output, /^latchkey: no administrator yet\. Create one with: latchkey users create --username NAME --admin --password-stdin\n/);
    assert.match(output, /listening on/);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('close', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('first admin: at a terminal, latchkey start offers to create one; the password is not echoed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-admin-'));
  const port = await freePort();
  const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'bin/latchkey.js'))} start`;
  // `script` runs the command on a new pseudo-terminal and copies our stdin to it.
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { env: environment(dir, port), cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const waitFor = async (text: string) => {
    for (let i = 0; i < 200 && !output.includes(text); i += 1) await sleep(50);
    assert.ok(output.includes(text), `waited for ${JSON.stringify(text)}; got ${JSON.stringify(output)}`);
  };
  try {
    await waitFor('Create one now? [Y/n] ');
    child.stdin.write('y\r');
    await waitFor('Username: ');
    child.stdin.write('root\r');
    await waitFor('Password (at least 8 characters): ');
    child.stdin.write('short\r');
    await waitFor('Password again: ');
    child.stdin.write('short\r');
    await waitFor('password must have at least 8 characters; once more.');
    await waitFor('Username: ');
    child.stdin.write('root\r');
    await sleep(100);
    child.stdin.write('correct horse battery\r');
    await sleep(100);
    child.stdin.write('correct horse battery\r');
    await waitFor(`Administrator root created. Sign in at http://127.0.0.1:${port}/admin`);
    await waitFor('listening on');
    assert.ok(!output.includes('correct horse'), 'the password is never echoed');
    assert.ok(!output.includes('short\r\n') && !/Password[^\n]*short/.test(output), 'the password is never echoed');
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('close', resolve));
  }
  try {
    const { accounts } = await accountsIn(dir);
    assert.deepEqual(accounts.map((account) => [account.username, account.roles]), [['root', ['admin']]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
