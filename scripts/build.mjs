// Builds dist/: compiles the TypeScript sources and copies the SQL migrations beside them.
//
// Two properties matter because `npx latchkey` in the project root runs the package's `prepare`
// script (this file) while a server or other CLI calls may be using dist/:
//   - the build is skipped when dist/ already holds the output of the current sources, so repeated
//     CLI calls stay fast and leave dist/ untouched;
//   - a real build compiles into a fresh folder beside dist/ and swaps it in with two renames, so
//     nobody ever sees a half-written or missing dist/ for longer than that swap.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const dist = join(root, 'dist');
const stampFile = '.build-stamp';

function filesUnder(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) filesUnder(path, out);
    else out.push(path);
  }
  return out;
}

/** A digest of everything the build reads: sources, build configuration, compiler version. */
function sourceDigest() {
  const hash = createHash('sha256');
  const inputs = [
    ...filesUnder(join(root, 'src')).filter((path) => !/\.test\.tsx?$/.test(path)),
    join(root, 'tsconfig.json'),
    join(root, 'tsconfig.build.json'),
    join(root, 'scripts/build.mjs'),
    require.resolve('typescript/package.json'),
  ];
  for (const path of inputs) {
    hash.update(relative(root, path)).update('\0').update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex');
}

const digest = sourceDigest();
const stampPath = join(dist, stampFile);
if (!process.argv.includes('--force') && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === digest) {
  console.log('dist/ is up to date');
  process.exit(0);
}

const staging = join(root, `.dist-build-${process.pid}`);
const retired = join(root, `.dist-old-${process.pid}`);
rmSync(staging, { recursive: true, force: true });
try {
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', staging], { stdio: 'inherit' });
  for (const path of filesUnder(join(root, 'src'))) {
    if (path.endsWith('.sql')) cpSync(path, join(staging, relative(join(root, 'src'), path)));
  }
  writeFileSync(join(staging, stampFile), digest);
  if (existsSync(dist)) renameSync(dist, retired);
  renameSync(staging, dist);
} finally {
  rmSync(staging, { recursive: true, force: true });
  rmSync(retired, { recursive: true, force: true });
}
