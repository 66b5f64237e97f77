#!/usr/bin/env node
// Doc tests: every TypeScript snippet in README.md, docs/**/*.md and packages/*/README.md is
// type-checked (strict) against the built packages and then run; a snippet that does not
// compile, throws, or does not finish within the time limit fails. ```tsx snippets (React
// components) are type-checked only: they need a page to run in.
//   node scripts/bootstrap.mjs node scripts/doctest/run.mjs [file.md ...]
//
// A snippet is a ```ts (or ```typescript) fence. Words after the language in the fence's info
// string (GitHub ignores them) say how to treat it:
//   ```ts continues   appended to the previous snippet of the same file (one module, so it sees
//                     that snippet's variables; imports are merged)
//   ```ts fragment    deliberately partial (a property of a larger object, a shape): not run.
//                     Keep these few: a reader cannot paste them either.
//   ```ts compile     type-checked only: it needs what a test cannot give it (a Cloudflare
//                     binding, a signal from the OS)
// A fragment must still import every Redrive export it names (checked without compiling it).
// A snippet passes when its top-level code finishes without throwing (and no promise it left
// behind rejects within a moment); what it leaves running, like a started runner, is then
// stopped, as an app's shutdown would. Snippets run with the repository's PostgreSQL in DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres).
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { linkPackages } from '../pack.mjs';
import { extractSnippets, missingImports, toModules } from './snippets.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const work = join(root, '.doctest');
const RUN_TIMEOUT_MS = 30_000;

function markdownFiles() {
  const files = ['README.md'];
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  walk('docs');
  for (const pkg of readdirSync(join(root, 'packages'))) {
    if (existsSync(join(root, 'packages', pkg, 'README.md'))) files.push(join('packages', pkg, 'README.md'));
  }
  return files;
}

/** A folder where `@redrive/*` resolve to the built packages, as they would from npm. */
function prepareWorkspace() {
  rmSync(work, { recursive: true, force: true });
  linkPackages(work);
  // The packages' own dependencies (zod, pg, better-sqlite3, their @types), as an app installs them.
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const modules = join(root, 'packages', pkg, 'node_modules');
    if (!existsSync(modules)) continue;
    for (const name of readdirSync(modules)) {
      if (name.startsWith('.') || name === '@redrive') continue;
      const names = name.startsWith('@')
        ? readdirSync(join(modules, name)).map((n) => `${name}/${n}`)
        : [name];
      for (const dep of names) {
        if (existsSync(join(work, 'node_modules', dep))) continue;
        mkdirSync(join(work, 'node_modules', dep, '..'), { recursive: true });
        symlinkSync(join(modules, dep), join(work, 'node_modules', dep));
      }
    }
  }
  writeFileSync(join(work, 'package.json'), '{ "type": "module", "private": true }\n');
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023', 'DOM'],
      module: 'NodeNext',
      jsx: 'react-jsx',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [join(root, 'node_modules', '@types')],
    },
    include: ['*.ts', '*.tsx'],
  };
  writeFileSync(join(work, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
}

/** A fresh database for the snippets that use PostgreSQL (they migrate their own schema into it). */
async function freshDatabase() {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: base });
  const name = `redrive_doctest_${process.pid}_${Date.now()}`;
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    console.warn(`(no PostgreSQL at ${base}: ${error.message}; snippets using it will fail)`);
    return { url: base, drop: async () => {} };
  } finally {
    await admin.end().catch(() => {});
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const drop = async () => {
    const again = new pg.Client({ connectionString: base });
    await again.connect();
    await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await again.end();
  };
  return { url: url.href, drop };
}

/** Every name the packages export (and zod's `z`): what a fragment must import when it names one. */
async function exportedNames() {
  const names = new Set(['z']);
  const entries = [
    'core',
    'core/http',
    'adapter-memory',
    'adapter-postgres',
    'adapter-d1',
    'adapter-sqlite',
    'react',
  ];
  for (const entry of entries) {
    const [pkg, sub] = entry.split('/');
    const path = join(work, 'node_modules', '@redrive', pkg, 'dist', sub ? `${sub}/index.js` : 'index.js');
    try {
      for (const name of Object.keys(await import(pathToFileURL(path).href))) names.add(name);
    } catch (error) {
      console.warn(`(could not load @redrive/${entry} for the fragment check: ${error.message})`);
    }
  }
  return names;
}

const only = process.argv.slice(2);
const files = only.length ? only.map((f) => relative(root, join(process.cwd(), f))) : markdownFiles();
prepareWorkspace();
const exported = await exportedNames();
const modules = [];
let fragments = 0;
let failed = 0;
for (const file of files) {
  const snippets = extractSnippets(readFileSync(join(root, file), 'utf8'));
  fragments += snippets.filter((s) => s.mode === 'fragment').length;
  for (const s of snippets.filter((snippet) => snippet.mode === 'fragment')) {
    const missing = missingImports(s.code, s.lang, exported);
    if (missing.length === 0) continue;
    failed++;
    console.error(`FAIL ${file}:${s.line} (fragment) uses ${missing.join(', ')} without importing it`);
  }
  for (const module of toModules(snippets)) {
    const name = `${file.replace(/[^\w]+/g, '_')}_L${module.line}.${module.lang}`;
    writeFileSync(join(work, name), module.code);
    modules.push({ ...module, file, name });
  }
}

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const typecheck = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: work, encoding: 'utf8' });
const compileErrors = new Map();
for (const line of typecheck.stdout.split('\n')) {
  const match = /^([^(]+)\((\d+),\d+\): (error .*)$/.exec(line);
  if (!match) continue;
  const list = compileErrors.get(match[1]) ?? [];
  list.push(`line ${match[2]}: ${match[3]}`);
  compileErrors.set(match[1], list);
}
if (typecheck.status !== 0 && compileErrors.size === 0) {
  console.error(typecheck.stdout, typecheck.stderr);
  failed++;
}

const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const database = await freshDatabase();
for (const m of modules) {
  const where = `${m.file}:${m.line}`;
  const errors = compileErrors.get(m.name);
  if (errors) {
    failed++;
    console.error(`FAIL ${where} does not compile (${join('.doctest', m.name)}):\n  ${errors.join('\n  ')}`);
    continue;
  }
  if (m.mode === 'compile') {
    console.log(`ok   ${where} (compiles)`);
    continue;
  }
  const started = performance.now();
  const run = spawnSync(process.execPath, [tsx, join(here, 'run-module.mjs'), m.name], {
    cwd: work,
    encoding: 'utf8',
    timeout: RUN_TIMEOUT_MS,
    env: { ...process.env, DATABASE_URL: database.url },
  });
  const ms = Math.round(performance.now() - started);
  if (run.status === 0) {
    console.log(`ok   ${where} (ran in ${ms} ms)`);
    continue;
  }
  failed++;
  const why =
    run.error?.code === 'ETIMEDOUT'
      ? `did not finish within ${RUN_TIMEOUT_MS / 1000} s`
      : `exited ${run.status}`;
  console.error(
    `FAIL ${where} ${why} (${join('.doctest', m.name)}):\n${(run.stderr || run.stdout).trim().split('\n').slice(0, 12).join('\n')}`,
  );
}

await database.drop();
console.log(
  `\n${modules.length} snippet modules from ${files.length} files, ${fragments} marked fragment; ${failed} failed`,
);
process.exit(failed ? 1 : 0);
