#!/usr/bin/env node
// Makes a fresh clone usable with nothing but Node >= 20 and npm: finds pnpm
// (or installs the pinned version into a local folder), then installs the
// workspace when node_modules is missing or older than the lockfile, and
// finally runs the command given after it (with that pnpm on PATH):
//   node scripts/bootstrap.mjs pnpm -r build
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
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
      ['install', '--global', '--prefix', prefix, `pnpm@${PNPM_VERSION}`, '--no-audit', '--no-fund'],
      {
        stdio: 'inherit',
      },
    );
  }
  process.env.PATH = `${bin}:${process.env.PATH}`;
}

function needsInstall() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  if (!existsSync(marker)) return true;
  return statSync(join(root, 'pnpm-lock.yaml')).mtimeMs > statSync(marker).mtimeMs;
}

ensurePnpm();
// better-sqlite3 builds from source with node-gyp (its prebuilt binaries live outside the npm
// registry): point node-gyp at the machine's Node headers instead of letting it download them.
if (!process.env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) {
  process.env.npm_config_nodedir = '/usr';
}
if (needsInstall()) {
  console.log('[bootstrap] pnpm install');
  execFileSync('pnpm', ['install', '--frozen-lockfile'], { stdio: 'inherit', cwd: root, env: process.env });
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: process.cwd(), env: process.env });
  process.exit(r.status ?? 1);
}
