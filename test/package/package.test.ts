/**
 * The package as a host application installs it: the built `dist/` under the package's own name
 * (`latchkey`, `latchkey/testing`), its declaration files, and the one-line development provider.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

test('package: a consumer file compiles against the built .d.ts, and its @ts-expect-error lines are errors', async () => {
  const result = await promisify(execFile)(process.execPath, [tsc, '-p', join(root, 'test/package/consumer/tsconfig.json')], { cwd: root }).then(
    () => ({ code: 0, output: '' }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: `${error.stdout}${error.stderr}` }),
  );
  assert.equal(result.code, 0, result.output);
});

test('package: every export of the package root and of latchkey/testing has TSDoc', () => {
  const entries = ['dist/index.d.ts', 'dist/testing.d.ts'].map((file) => join(root, file));
  const program = ts.createProgram(entries, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const undocumented: string[] = [];
  let count = 0;
  for (const entry of entries) {
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      count += 1;
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() === '') undocumented.push(exported.name);
    }
  }
  assert.ok(count > 50, `expected the whole public surface, found ${count} exports`);
  assert.deepEqual(undocumented, []);
});

test('package: createProvider({ issuer }) alone is a working development provider', async () => {
  const { createProvider } = await import('latchkey');
  const provider = await createProvider({ issuer: 'http://localhost:3000' });
  try {
    const discovery = await provider.fetch(new Request('http://localhost:3000/.well-known/openid-configuration'));
    assert.equal(discovery.status, 200);
    assert.equal(((await discovery.json()) as { issuer: string }).issuer, 'http://localhost:3000');
    const client = await provider.registerClient({ grant_types: ['client_credentials'], redirect_uris: [], response_types: [] });
    const token = await provider.handle({
      method: 'POST',
      url: 'http://localhost:3000/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${btoa(`${client.client_id}:${client.client_secret}`)}` },
      body: 'grant_type=client_credentials',
    });
    assert.equal(token.status, 200, token.body);
    assert.equal(JSON.parse(token.body).token_type, 'Bearer');
  } finally {
    await provider.close();
  }
});

test('package: createProvider refuses unknown options and own storage without a secret', async () => {
  const { createProvider, createMemoryStorage, systemClock, ConfigError } = await import('latchkey');
  await assert.rejects(createProvider({ isuer: 'http://localhost:3000' } as never), (error: unknown) => error instanceof ConfigError && /isuer: unknown configuration key/.test(error.message));
  await assert.rejects(createProvider({ storage: createMemoryStorage({ clock: systemClock }) }), /secret is required with your own storage/);
});
