#!/usr/bin/env node
// Consumer smoke test: packs the publishable packages, then for each app in apps/ makes a fresh
// copy in a temporary folder (no workspace above it), `npm install`s the tarballs into it and runs
// its `smoke` script. An app is a folder with a package.json: dependencies whose range is
// "redrive:" become the packed tarball of that package, and "smoke.copy" lists shared files to
// copy in (the scenario). Adding a consumer is adding a folder. An app needing a package that is
// private in this checkout (not published, so not packed) is reported as skipped.
//   node scripts/bootstrap.mjs node scripts/consumer-smoke/run.mjs [app ...] [--no-build]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packAll } from '../pack.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const wanted = args.filter((a) => !a.startsWith('--'));
const apps = readdirSync(join(here, 'apps'))
  .filter((name) => existsSync(join(here, 'apps', name, 'package.json')))
  .filter((name) => wanted.length === 0 || wanted.includes(name));
const work = mkdtempSync(join(tmpdir(), 'redrive-consumers-'));
const seconds = (since) => ((performance.now() - since) / 1000).toFixed(1);

const started = performance.now();
const packed = packAll({ out: join(work, 'packs'), build: !args.includes('--no-build'), quiet: true });
const tarballs = new Map(packed.map((p) => [p.name, p.file]));
console.log(`packed ${packed.map((p) => `${p.name}@${p.version}`).join(', ')} in ${seconds(started)} s`);

const rows = [];
let failed = false;
for (const name of apps) {
  const source = join(here, 'apps', name);
  const dir = join(work, 'apps', name);
  cpSync(source, dir, { recursive: true, filter: (p) => !/node_modules|[\\/]dist$/.test(p) });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const file of manifest.smoke?.copy ?? []) cpSync(resolve(source, file), join(dir, basename(file)));
  const row = { app: name, install: '-', run: '-', result: 'ok' };
  const missing = [];
  for (const field of ['dependencies', 'devDependencies']) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (range !== 'redrive:') continue;
      const tarball = tarballs.get(dep);
      if (tarball) manifest[field][dep] = `file:${tarball}`;
      else missing.push(dep);
    }
  }
  if (missing.length) {
    // A package still marked private in this checkout is not published, so not packed.
    row.result = `skipped: ${missing.join(', ')} not packed (private)`;
    console.log(`-- ${name}: ${row.result}`);
    rows.push(row);
    continue;
  }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  try {
    let t = performance.now();
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    row.install = seconds(t);
    t = performance.now();
    const out = execFileSync('npm', ['run', '--silent', 'smoke'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    row.run = seconds(t);
    console.log(`-- ${name}: ${out.trim().split('\n').slice(-3).join(' | ')}`);
  } catch (error) {
    failed = true;
    row.result = 'FAILED';
    console.error(`!! ${name} failed:\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
  }
  rows.push(row);
}

console.log('\n| app | npm install (s) | smoke (s) | result |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.app} | ${r.install} | ${r.run} | ${r.result} |`);
console.log(`total ${seconds(started)} s`);
if (failed) console.log(`apps kept for inspection in ${work}`);
else rmSync(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
