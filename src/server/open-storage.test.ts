/**
 * The master secret generated beside an SQLite database on first start: made once, whole, and the
 * same for every process that starts on the database at the same moment (the workers of
 * `--workers N`, a CLI command).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const MODULE = fileURLToPath(new URL('./open-storage.ts', import.meta.url));

/** Runs `count` processes that each resolve the secret of a database in `dir` as soon as all are ready: their answers. */
async function resolveTogether(dir: string, count: number): Promise<string[]> {
  const start = Date.now() + 1500;
  const script = `
    import { resolveSecret } from ${JSON.stringify(MODULE)};
    while (Date.now() < ${start}) {}
    try { process.stdout.write(resolveSecret({ databaseUrl: ${JSON.stringify(`sqlite:${join(dir, 'latchkey.db')}`)} })); }
    catch (error) { process.stdout.write('failed: ' + error.message); }`;
  return Promise.all(
    Array.from({ length: count }, () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('error', reject);
        child.on('exit', () => resolve(out));
      }),
    ),
  );
}

test('the generated secret: processes starting at once on a new database all get the same one, never an empty or partial one; the file is 0600 and no draft is left', { timeout: 60_000 }, async () => {
  for (let round = 0; round < 3; round += 1) {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-secret-'));
    try {
      const secrets = await resolveTogether(dir, 6);
      assert.equal(new Set(secrets).size, 1, `one secret for all: ${JSON.stringify(secrets)}`);
      assert.match(secrets[0]!, /^[A-Za-z0-9_-]{43}$/, '256 bits, base64url');
      assert.equal(readFileSync(join(dir, 'secret'), 'utf8').trim(), secrets[0]);
      assert.equal(statSync(join(dir, 'secret')).mode & 0o777, 0o600);
      assert.deepEqual(readdirSync(dir), ['secret'], 'no draft left beside it');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
