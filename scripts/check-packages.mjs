#!/usr/bin/env node
// Package checks for every publishable package: publint, and attw on the packed tarball
// (attw --pack would leave `workspace:^` in place, so pnpm packs first). Also checks that
// @redrive/core's build imports nothing from `node:` (it runs on Workers, Deno, browsers), that
// @redrive/react's `'use client'` directive sits where Next.js needs it, and that no .d.ts ships an
// @internal name (check-dts-surface.mjs).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const packagesDir = join(root, 'packages');
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: 'inherit' });
let failed = false;

for (const dir of readdirSync(packagesDir)) {
  const pkgDir = join(packagesDir, dir);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  if (pkg.private) {
    console.log(`-- ${pkg.name}: private shell, skipped`);
    continue;
  }
  console.log(`-- ${pkg.name}`);
  try {
    run('pnpm', ['exec', 'publint', '--strict'], pkgDir);
    const out = mkdtempSync(join(tmpdir(), 'redrive-pack-'));
    run('pnpm', ['pack', '--pack-destination', out], pkgDir);
    const tarball = readdirSync(out).find((f) => f.endsWith('.tgz'));
    // Stylesheet exports (`./styles.css`) are not modules: attw has no types to find for them.
    const cssExports = Object.keys(pkg.exports ?? {}).filter((key) => key.endsWith('.css'));
    const exclude = cssExports.length ? ['--exclude-entrypoints', ...cssExports] : [];
    run('pnpm', ['exec', 'attw', join(out, tarball), '--profile', 'node16', ...exclude], pkgDir);
  } catch {
    failed = true;
    console.error(`!! ${pkg.name}: package check failed`);
  }
}

const coreDist = join(packagesDir, 'core', 'dist');
const offenders = [];
for (const file of readdirSync(coreDist, { recursive: true })) {
  if (!/\.(c?js)$/.test(file)) continue;
  const text = readFileSync(join(coreDist, file), 'utf8');
  if (/from\s*["']node:|require\(["']node:|import\(["']node:/.test(text)) offenders.push(file);
}
if (offenders.length) {
  failed = true;
  console.error(`!! @redrive/core imports node: built-ins in ${offenders.join(', ')}`);
} else {
  console.log('-- @redrive/core: no node: imports in dist');
}
// Next.js App Router treats a module as a client component only when `'use client'` is its first
// statement: the React entry must start with it, and the framework-free client entry must not
// (server code may call it).
const reactDist = join(packagesDir, 'react', 'dist');
const firstLine = (file) => readFileSync(join(reactDist, file), 'utf8').split('\n', 1)[0];
const directiveProblems = [
  ...['index.js', 'index.cjs'].filter((f) => firstLine(f) !== "'use client';").map((f) => `${f} lacks it`),
  ...['client/index.js', 'client/index.cjs']
    .filter((f) => firstLine(f).includes('use client'))
    .map((f) => `${f} has it`),
];
if (directiveProblems.length) {
  failed = true;
  console.error(`!! @redrive/react 'use client': ${directiveProblems.join(', ')}`);
} else {
  console.log("-- @redrive/react: 'use client' on the React entry only");
}
try {
  run(process.execPath, [join(root, 'scripts', 'check-dts-surface.mjs')], root);
} catch {
  failed = true;
}
process.exit(failed ? 1 : 0);
