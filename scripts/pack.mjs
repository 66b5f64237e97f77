#!/usr/bin/env node
// Packs every publishable package (not `private`) into installable tarballs:
//   node scripts/bootstrap.mjs node scripts/pack.mjs [--out dir] [--no-build]
// `pnpm pack` rewrites `workspace:^` into the real range (`^0.1.0`), which `npm pack` does not:
// a tarball keeping `workspace:` fails `npm install` with EUNSUPPORTEDPROTOCOL. Each packed
// manifest is checked for such ranges, so a tarball this script reports is one npm can install.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'];

/** The packages/ folders whose package.json is not private. */
export function publishablePackages() {
  const dir = join(root, 'packages');
  return readdirSync(dir)
    .map((name) => ({
      dir: join(dir, name),
      pkg: JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8')),
    }))
    .filter(({ pkg }) => !pkg.private);
}

/**
 * Makes `@redrive/*` resolve from `dir` to the built packages, as they would from npm: a
 * `node_modules/@redrive/<name>` link per publishable package.
 */
export function linkPackages(dir) {
  mkdirSync(join(dir, 'node_modules', '@redrive'), { recursive: true });
  for (const { dir: pkgDir, pkg } of publishablePackages())
    symlinkSync(pkgDir, join(dir, 'node_modules', pkg.name));
}

/** Dependency ranges a registry install cannot resolve (workspace:, catalog:, link:). */
export function unresolvableRanges(manifest) {
  const bad = [];
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|catalog|link):/.test(String(range))) bad.push(`${field}.${name}: ${range}`);
    }
  }
  return bad;
}

/**
 * Builds (unless `build: false`) and packs the publishable packages into `out`, emptied first.
 * Returns `{ name, version, file, dependencies }` per package; throws when a packed manifest
 * keeps a range npm cannot install.
 */
export function packAll({ out = join(root, '.packs'), build = true, quiet = false } = {}) {
  const stdio = quiet ? 'pipe' : 'inherit';
  if (build) execFileSync('pnpm', ['-r', '--filter', './packages/*', 'build'], { cwd: root, stdio });
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const packed = [];
  for (const { dir, pkg } of publishablePackages()) {
    execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: dir, stdio: 'pipe' });
    const base = `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`;
    const file = join(out, base);
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' }),
    );
    const bad = unresolvableRanges(manifest);
    if (bad.length) throw new Error(`[pack] ${pkg.name}: the packed manifest keeps ${bad.join(', ')}`);
    packed.push({ name: pkg.name, version: pkg.version, file, dependencies: manifest.dependencies ?? {} });
  }
  return packed;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const out = outIndex === -1 ? undefined : resolve(args[outIndex + 1]);
  const packed = packAll({ out, build: !args.includes('--no-build') });
  for (const p of packed) {
    const deps = Object.entries(p.dependencies)
      .map(([n, r]) => `${n}@${r}`)
      .join(', ');
    console.log(`${p.name}@${p.version}  ${p.file}${deps ? `  (depends on ${deps})` : ''}`);
  }
  console.log(`\nInstall into any app: npm install ${packed.map((p) => p.file).join(' ')}`);
}
