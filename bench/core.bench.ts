// Throughput of the pure core: classifyError on five typical errors and calculateBackoffDelay.
// Run with `pnpm bench:core`; prints a table and writes bench/results/core.json.
//
// Each task calls the function BATCH times per sample: one call takes well under a
// microsecond, below what the timer resolves reliably, so per-call figures are derived.

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  calculateBackoffDelay,
  classifyError,
  createRetrySchedule,
  type ErrorCategory,
  resolveRetryConfig,
} from '@redrive/core';
import { Bench } from 'tinybench';

const BATCH = 1000;

const typicalErrors: Record<string, unknown> = {
  'network (code ECONNRESET)': Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
  'rate limit (fetch-like, status 429)': Object.assign(new Error('Too Many Requests'), {
    status: 429,
    headers: { 'retry-after': '30' },
  }),
  'server (axios-like, wrapped, response.status 503)': new Error('sync failed', {
    cause: Object.assign(new Error('Request failed with status code 503'), { response: { status: 503 } }),
  }),
  'db lock (message SQLITE_BUSY)': new Error('D1_ERROR: database is locked: SQLITE_BUSY'),
  'unknown (plain Error, no pattern)': new Error('Cannot read properties of undefined (reading "id")'),
};

const resolved = resolveRetryConfig({ maxAttempts: 8 });
const inputConfig = { maxAttempts: 8, initialDelayMs: 500 };
const rateLimited = { status: 429, headers: { 'retry-after': '12' } };

const bench = new Bench({ name: '@redrive/core', time: 700, warmupTime: 200 });

for (const [label, error] of Object.entries(typicalErrors)) {
  bench.add(`classifyError: ${label}`, () => {
    for (let i = 0; i < BATCH; i++) classifyError(error);
  });
}
const categories: ErrorCategory[] = [
  'transient_network',
  'transient_server',
  'transient_rate_limit',
  'transient_db_lock',
];
bench.add('calculateBackoffDelay: resolved config (hot path)', () => {
  for (let i = 0; i < BATCH; i++) calculateBackoffDelay((i % 10) + 1, categories[i % 4]!, resolved);
});
bench.add('calculateBackoffDelay: defaults (no config)', () => {
  for (let i = 0; i < BATCH; i++) calculateBackoffDelay((i % 10) + 1, 'transient_network');
});
bench.add('calculateBackoffDelay: plain config object (validated each call)', () => {
  for (let i = 0; i < BATCH; i++) calculateBackoffDelay((i % 10) + 1, 'transient_network', inputConfig);
});
bench.add('calculateBackoffDelay: rate limit with Retry-After header', () => {
  for (let i = 0; i < BATCH; i++)
    calculateBackoffDelay(1, 'transient_rate_limit', resolved, { error: rateLimited });
});
bench.add('createRetrySchedule: defaults', () => {
  for (let i = 0; i < BATCH; i++) createRetrySchedule('transient_network');
});

await bench.run();

const rows = bench.tasks.map((task) => {
  const result = task.result;
  if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`);
  return {
    name: task.name,
    opsPerSec: Math.round((BATCH * 1000) / result.period),
    nsPerOp: Number(((result.period * 1e6) / BATCH).toFixed(1)),
    rmePercent: Number(result.latency.rme.toFixed(2)),
    samples: result.latency.samplesCount,
  };
});

console.table(
  rows.map((r) => ({
    task: r.name,
    'ops/s': r.opsPerSec.toLocaleString('en-US'),
    'ns/op': r.nsPerOp,
    '±%': r.rmePercent,
  })),
);

const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'core.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify(
    {
      bench: 'core',
      node: process.version,
      date: new Date().toISOString(),
      // Figures from a shared machine are only comparable at similar load.
      cpus: cpus().length,
      loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
      batch: BATCH,
      rows,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${out}`);
