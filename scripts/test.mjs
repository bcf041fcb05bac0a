// Runs the test suite with node:test. Node 20's runner does not expand globs, so the files are
// listed here: every *.test.ts under src/ and test/, or under the paths given as arguments.
//   npm test                      everything
//   npm test -- src/storage       only the tests under src/storage
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src', 'test', 'examples'];

function collect(path, files) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return files;
  }
  if (stat.isFile()) {
    if (/\.test\.tsx?$/.test(path)) files.push(path);
    return files;
  }
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist') continue;
    collect(join(path, name), files);
  }
  return files;
}

const files = roots.flatMap((r) => collect(join(root, r), [])).map((f) => relative(root, f)).sort();
if (files.length === 0) {
  console.error(`no test files under ${roots.join(', ')}`);
  process.exit(1);
}

const result = spawnSync(
  process.execPath,
  [
    '--import', 'tsx',
    '--test',
    `--test-concurrency=${process.env.LATCHKEY_TEST_CONCURRENCY ?? 2}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=./test/summary-reporter.mjs', '--test-reporter-destination=stdout',
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, LATCHKEY_LOG_LEVEL: process.env.LATCHKEY_LOG_LEVEL ?? 'silent' } },
);
process.exit(result.status ?? 1);
