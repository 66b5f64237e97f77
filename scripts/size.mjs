#!/usr/bin/env node
// Bundle sizes of what apps import, measured on the built packages (run after `npm run build`):
//   node scripts/bootstrap.mjs node scripts/size.mjs
// Each case is bundled with esbuild as an app would bundle it for Cloudflare Workers (platform
// neutral, worker/browser conditions, minified); prints a table and exits 1 past a budget.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { linkPackages } from './pack.mjs';

const KB = 1024;

const CASES = [
  {
    name: 'pure functions (classify, backoff, schedule, retry)',
    code: `export { classifyError, calculateBackoffDelay, createRetrySchedule, shouldRetry, retry } from '@redrive/core';`,
    budget: { minified: 20 * KB, zod: 0 },
  },
  {
    name: 'Worker: queue + runner + memory adapter',
    code: `import { createQueue, JobRunner } from '@redrive/core';
import { memoryAdapter } from '@redrive/adapter-memory';
export default {
  async scheduled() {
    const queue = createQueue({ adapter: memoryAdapter() });
    await new JobRunner({ queue, handlers: {} }).drain();
  },
};`,
    // Core's schemas are built with zod/mini (about 25 KB of zod minified; the full API was 89 KB).
    budget: { gzip: 45 * KB },
  },
  {
    name: 'Worker: the above + HTTP handler',
    code: `import { createQueue } from '@redrive/core';
import { createHttpHandler } from '@redrive/core/http';
import { memoryAdapter } from '@redrive/adapter-memory';
const queue = createQueue({ adapter: memoryAdapter() });
export default { fetch: createHttpHandler(queue) };`,
    budget: { gzip: 45 * KB },
  },
];

/** A temporary folder where `@redrive/*` resolve to the built packages. */
function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'redrive-size-'));
  linkPackages(dir);
  return dir;
}

const dir = workspace();
const fmt = (n) => `${(n / KB).toFixed(1)} KB`;
const rows = [];
let failed = false;
try {
  for (const [i, c] of CASES.entries()) {
    const entry = join(dir, `case-${i}.js`);
    writeFileSync(entry, c.code);
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['module', 'main'],
      metafile: true,
      logLevel: 'silent',
    });
    const out = result.outputFiles[0].contents;
    const inputs = Object.values(result.metafile.outputs)[0].inputs;
    const zod = Object.entries(inputs)
      .filter(([path]) => /node_modules[\\/](\.pnpm[\\/])?zod/.test(path))
      .reduce((sum, [, v]) => sum + v.bytesInOutput, 0);
    const size = { minified: out.length, gzip: gzipSync(out).length, zod };
    const over = Object.entries(c.budget).filter(([k, limit]) => size[k] > limit);
    if (over.length) failed = true;
    const budget = Object.entries(c.budget)
      .map(([k, limit]) => `${k} ≤ ${fmt(limit)}`)
      .join(', ');
    rows.push([
      c.name,
      fmt(size.minified),
      fmt(size.gzip),
      fmt(size.zod),
      budget || '—',
      over.length ? `OVER (${over.map(([k]) => k).join(', ')})` : 'ok',
    ]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log('| bundle | minified | gzip | of it zod (minified) | budget | |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
process.exit(failed ? 1 : 0);
