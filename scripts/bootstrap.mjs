#!/usr/bin/env node
// Makes a fresh clone usable with nothing but Node >= 20 and npm: finds pnpm
// (or installs the pinned version into a local folder), then installs the
// workspace when node_modules is missing or older than the lockfile, and
// finally runs the command given after it (with that pnpm on PATH):
//   node scripts/bootstrap.mjs pnpm -r build
// The benchmarks' project (bench/: pg-boss, graphile-worker, a Node 22 binary) is left out of
// that install, so the tests install only what they use; `--with-bench` before the command
// installs it too (the `bench:*` scripts pass it), and `--for <dir>` installs only that project
// and its dependencies (the demo: no build tools, no test runner):
//   node scripts/bootstrap.mjs --with-bench tsx bench/postgres/run.ts
//   node scripts/bootstrap.mjs --for examples/quickstart pnpm --filter @redrive/example-quickstart start
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = '12.21.0';

function hasPnpm() {
  const r = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: false });
  return r.status === 0 && r.stdout.trim() === PNPM_VERSION;
}

function ensurePnpm() {
  if (hasPnpm()) return;
  const prefix = join(root, '.tools');
  const bin = join(prefix, 'bin');
  if (!existsSync(join(bin, 'pnpm'))) {
    console.log(`[bootstrap] installing pnpm ${PNPM_VERSION} into ${prefix}`);
    execFileSync(
      'npm',
      [
        'install',
        '--global',
        '--prefix',
        prefix,
        `pnpm@${PNPM_VERSION}`,
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--allow-scripts=pnpm',
      ],
      {
        stdio: 'inherit',
      },
    );
  }
  process.env.PATH = `${bin}:${process.env.PATH}`;
}

/**
 * Whether the project in `dir` needs an install: one of its dependencies is missing from its
 * node_modules, or the lockfile changed since the last install.
 */
function needsInstall(dir) {
  const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  const names = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
  if (names.some((name) => !existsSync(join(root, dir, 'node_modules', name)))) return true;
  const marker = join(root, 'node_modules', '.modules.yaml');
  return !existsSync(marker) || statSync(join(root, 'pnpm-lock.yaml')).mtimeMs > statSync(marker).mtimeMs;
}

function install(filter, ...flags) {
  console.log(`[bootstrap] pnpm install ${flags.join(' ')} --filter ${filter}`.replace('  ', ' '));
  execFileSync('pnpm', ['install', '--frozen-lockfile', ...flags, '--filter', filter], {
    stdio: 'inherit',
    cwd: root,
    env: process.env,
  });
}

ensurePnpm();
// better-sqlite3 builds from source with node-gyp (its prebuilt binaries live outside the npm
// registry): point node-gyp at the machine's Node headers instead of letting it download them.
if (!process.env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) {
  process.env.npm_config_nodedir = '/usr';
}
const argv = process.argv.slice(2);
const option = argv[0] === '--with-bench' || argv[0] === '--for' ? argv.shift() : null;
const forDir = option === '--for' ? argv.shift() : null;
// `bootstrap.mjs pnpm install` installs by itself (and may be what regenerates the lockfile).
const isInstall = argv[0] === 'pnpm' && ['install', 'i', 'add'].includes(argv[1]);
const rootInstalled = !needsInstall('.');
if (isInstall) {
  // Nothing to install before the install itself.
} else if (forDir && !rootInstalled) {
  // Only that project and what it depends on, without devDependencies: pnpm always includes the
  // workspace root, whose devDependencies are the build and test tools the demo does not use.
  // (Not once the root is installed: `--prod` would remove them.)
  if (needsInstall(forDir)) install(`./${forDir}...`, '--prod');
} else {
  // Everything but the benchmarks' project...
  if (!rootInstalled) install('!./bench');
  // ...which `--with-bench` adds.
  if (option === '--with-bench' && needsInstall('bench')) install('./bench...');
}

const [cmd, ...args] = argv;
if (cmd) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: process.cwd(), env: process.env });
  process.exit(r.status ?? 1);
}
