#!/usr/bin/env node
// Bundle size of @redrive/react as an app ships it: each entry point below bundled and minified
// with esbuild (React, ReactDOM and the JSX runtime left out: the host app has them), @redrive/core
// included and tree-shaken, then gzipped. Prints a table and a JSON line; exits 1 over budget.
//
//   node packages/react/scripts/size.mjs   (or: pnpm size:react)
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const coreSrc = join(pkg, '..', 'core', 'src', 'index.ts');
const BUDGET_KB = 60;

const entries = {
  'JobQueueDashboard + styles.css': "export { JobQueueDashboard } from './src/index.ts';",
  JobRetryBadge: "export { JobRetryBadge } from './src/index.ts';",
  'hooks (useJobs … useJobActions)':
    "export { JobsProvider, useJobs, useJob, useQueueStats, useDeadLetters, useJobActions } from './src/index.ts';",
  'createHttpClient (client entry)': "export { createHttpClient } from './src/client/index.ts';",
};

async function bundle(contents) {
  const result = await build({
    stdin: { contents, resolveDir: pkg, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    jsx: 'automatic',
    external: ['react', 'react-dom', 'react/jsx-runtime'],
    alias: { '@redrive/core': coreSrc },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  return result.outputFiles[0].contents;
}

const kb = (bytes) => Math.round((bytes / 1024) * 10) / 10;
const css = (
  await transform(readFileSync(join(pkg, 'src', 'styles.css'), 'utf8'), { loader: 'css', minify: true })
).code;
const cssGzip = gzipSync(css, { level: 9 }).length;

const rows = [];
for (const [name, contents] of Object.entries(entries)) {
  const js = await bundle(contents);
  const withCss = name.includes('styles.css');
  rows.push({
    name,
    minKB: kb(js.length + (withCss ? css.length : 0)),
    gzipKB: kb(gzipSync(js, { level: 9 }).length + (withCss ? cssGzip : 0)),
  });
}
rows.push({ name: 'styles.css alone', minKB: kb(css.length), gzipKB: kb(cssGzip) });

const width = Math.max(...rows.map((r) => r.name.length));
console.log(`${'what (without React)'.padEnd(width)} | min kB | gzip kB`);
console.log(`${'-'.repeat(width)}-|--------|--------`);
for (const r of rows)
  console.log(`${r.name.padEnd(width)} | ${String(r.minKB).padStart(6)} | ${String(r.gzipKB).padStart(7)}`);
const dashboard = rows[0];
const ok = dashboard.gzipKB <= BUDGET_KB;
console.log(JSON.stringify({ budgetKB: BUDGET_KB, dashboardGzipKB: dashboard.gzipKB, ok, rows }));
if (!ok) {
  console.error(`!! the dashboard is ${dashboard.gzipKB} kB gzip, over the ${BUDGET_KB} kB budget`);
  process.exit(1);
}
