// Bundles src/worker.ts into dist/worker.js (one ES module, as Wrangler would), resolving the
// workspace packages to their sources so no package build is needed first.

import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../../packages/', import.meta.url));

/** Builds the Worker; returns the bundle's path. */
export async function buildWorker() {
  const outfile = fileURLToPath(new URL('../dist/worker.js', import.meta.url));
  await build({
    entryPoints: [fileURLToPath(new URL('../src/worker.ts', import.meta.url))],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    alias: {
      '@redrive/core/http': `${root}core/src/http/index.ts`,
      '@redrive/core': `${root}core/src/index.ts`,
      '@redrive/adapter-d1': `${root}adapter-d1/src/index.ts`,
    },
    logLevel: 'warning',
  });
  return outfile;
}

if (import.meta.url === `file://${process.argv[1]}`) await buildWorker();
