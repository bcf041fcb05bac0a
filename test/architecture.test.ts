/**
 * Imports flow one way (STYLE.md, "Shape of the code"): the protocol folders never import the
 * layers above them (server, cli, admin, ui) or a concrete storage backend; they see storage
 * only through storage/types.ts.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const PROTOCOL = ['core', 'http', 'endpoints', 'grants', 'client-auth', 'tokens', 'keys', 'interaction', 'accounts', 'observability', 'util', 'upstreams', 'i18n'];
const FORBIDDEN = ['server/', 'cli/', 'admin/', 'account/', 'console/', 'ui/', 'storage/sqlite/', 'storage/memory/', 'storage/postgres/', 'storage/redis/', 'storage/sql/'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

test('architecture: protocol folders import no upper layer and no concrete backend', () => {
  const violations: string[] = [];
  for (const folder of PROTOCOL) {
    for (const file of sourceFiles(join(SRC, folder))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:import|export)[^'"]*from\s+'(\.[^']+)'/g)) {
        const target = relative(SRC, resolve(dirname(file), match[1]!));
        if (FORBIDDEN.some((prefix) => target.startsWith(prefix))) violations.push(`${relative(SRC, file)} → ${target}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('architecture: node-specific modules stay out of the request path of the engine', () => {
  const violations: string[] = [];
  for (const folder of PROTOCOL) {
    for (const file of sourceFiles(join(SRC, folder))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/from\s+'(node:(?:http|https|net|fs|child_process)[^']*)'/g)) {
        violations.push(`${relative(SRC, file)} imports ${match[1]}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

/** Packages loaded from their CommonJS build, each through one module (see its comment): one build of each per process. */
const COMMONJS_BUILDS = [
  { name: 'kysely', through: join('storage', 'sql', 'kysely.ts') },
  { name: 'zod', through: join('util', 'zod.ts') },
];

for (const { name, through } of COMMONJS_BUILDS) {
  test(`architecture: ${name}'s values come only through ${through} (one build of it per process)`, () => {
    const violations: string[] = [];
    for (const file of sourceFiles(SRC)) {
      if (relative(SRC, file) === through) continue;
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(new RegExp(`(import|export)(\\s+type)?\\s[^'"]*?from\\s+'${name}'`, 'g'))) {
        if (match[2] === undefined) violations.push(relative(SRC, file));
      }
    }
    assert.deepEqual(violations, []);
  });
}
