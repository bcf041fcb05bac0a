/**
 * A real latchkey server for end-to-end tests: its own temporary data folder with a SQLite
 * file, a free port on 127.0.0.1, and the real `latchkey` CLI pointed at the same database.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseConfig, readConfigSources } from '../../src/core/config.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/start-server.js';

/** The project root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface TestServer {
  issuer: string;
  dir: string;
  /** Environment under which the CLI uses this server's database and issuer. */
  env: NodeJS.ProcessEnv;
  running: RunningServer;
  /** Runs `latchkey …args` (the built CLI) with `stdin`; resolves with its output. */
  cli(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** `latchkey clients create` with `metadata`, which must succeed: the registration response. */
  createClient(metadata: Record<string, unknown>): Promise<Record<string, string>>;
  /** `latchkey users create --username U [args…] --password-stdin`, which must succeed: the new account's `sub`. */
  createUser(username: string, password: string, args?: string[]): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts a server on a temporary SQLite database; `options` as for `startServer` (a logger of the
 * test's own). Its issuer names `issuerHost` (`localhost` where a browser needs a domain: passkeys).
 */
export async function startTestServer(env: Record<string, string> = {}, options: ServerOptions = {}, issuerHost = '127.0.0.1'): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-'));
  const port = await freePort();
  const issuer = `http://${issuerHost}:${port}`;
  const serverEnv = {
    ...process.env,
    LATCHKEY_ISSUER: issuer,
    LATCHKEY_PORT: String(port),
    LATCHKEY_HOST: '127.0.0.1',
    LATCHKEY_DATABASE_URL: `sqlite:${join(dir, 'latchkey.db')}`,
    LATCHKEY_LOG_LEVEL: 'silent',
    ...env,
  };
  const running = await startServer(parseConfig(readConfigSources(serverEnv)), options);
  return {
    issuer,
    dir,
    env: serverEnv,
    running,
    cli: (args, stdin) => runCli(args, serverEnv, stdin),
    async createClient(metadata) {
      const created = await runCli(['clients', 'create'], serverEnv, JSON.stringify(metadata));
      assert.equal(created.code, 0, created.stderr);
      return JSON.parse(created.stdout) as Record<string, string>;
    },
    async createUser(username, password, args = []) {
      const created = await runCli(['users', 'create', '--username', username, ...args, '--password-stdin'], serverEnv, `${password}\n`);
      assert.equal(created.code, 0, created.stderr);
      return (JSON.parse(created.stdout) as { sub: string }).sub;
    },
    async close() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The password of the user `serverForSuite` creates. */
export const E2E_PASSWORD = 'correct horse battery staple';
/** The redirect URI the e2e relying parties register. */
export const E2E_REDIRECT_URI = 'http://localhost:3000/callback';

/**
 * A real server for the enclosing `describe`, with the user `alice` (password `E2E_PASSWORD`):
 * started before its tests, closed after them. `server` and `sub` are there once its tests run.
 */
export function serverForSuite(env: Record<string, string> = {}, issuerHost?: string): { readonly server: TestServer; readonly sub: string } {
  const suite = {} as { server: TestServer; sub: string };
  before(async () => {
    suite.server = await startTestServer(env, {}, issuerHost);
    suite.sub = await suite.server.createUser('alice', E2E_PASSWORD);
  });
  after(async () => {
    await suite.server?.close();
  });
  return suite;
}

/** Runs the built `bin/latchkey.js` with `args`. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, stdin?: string, cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/latchkey.js'), ...args], { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** Polls `check` every 100 ms until it gives a value (then resolves with it) or `timeoutMs` passes. */
export async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs the system `curl` with `args`; resolves with its standard output. */
export function curl(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['--silent', '--show-error', ...args], (error, stdout, stderr) => {
      if (error) reject(new Error(`curl failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}
