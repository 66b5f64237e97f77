// End-to-end throughput of Redrive on the memory adapter: enqueue N no-op jobs (enqueueMany in
// chunks), then process them all with a JobRunner at concurrency 1, 10 and 100.
// Run with `pnpm bench:memory` (node --expose-gc --import tsx bench/memory.bench.ts); prints a
// table and writes bench/results/memory.json. BENCH_JOBS overrides N (default 100,000).

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoryAdapter } from '@redrive/adapter-memory';
import { createQueue, type EnqueueItem, JobRunner } from '@redrive/core';

const JOBS = Number(process.env.BENCH_JOBS ?? 100_000);
const CHUNK = 5_000;
const CONCURRENCIES = [1, 10, 100];

interface Row {
  lib: 'redrive';
  scenario: string;
  concurrency: number | null;
  jobsPerSec: number;
  peakRssMb: number;
  jobs: number;
  ms: number;
  /** CPU time the process used (all threads, GC included): less sensitive than wall time to a busy machine. */
  cpuMs: number;
  /** 1-minute load average when the scenario ended, for reading the figures. */
  loadAvg: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
function collect(): void {
  if (gc) for (let i = 0; i < 3; i++) gc();
}
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Samples RSS every few ms (the runner yields to timers every 1024 jobs, so this keeps ticking). */
function rssSampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

async function scenario(concurrency: number, rows: Row[]) {
  const adapter = memoryAdapter();
  const queue = createQueue({ adapter });
  const items: EnqueueItem[] = new Array(CHUNK);
  for (let i = 0; i < CHUNK; i++) items[i] = { type: 'noop', payload: null };
  collect();
  const sampler = rssSampler();

  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let done = 0; done < JOBS; done += CHUNK) {
    await queue.enqueueMany(JOBS - done >= CHUNK ? items : items.slice(0, JOBS - done));
  }
  const t1 = performance.now();
  const c1 = process.cpuUsage();

  let completed = 0;
  let resolveFinished!: () => void;
  const finished = new Promise<void>((resolve) => {
    resolveFinished = resolve;
  });
  const runner = new JobRunner({ queue, concurrency, handlers: { noop: () => undefined } });
  runner.on('completed', () => {
    if (++completed === JOBS) resolveFinished();
  });
  runner.on('error', (error) => console.error('runner error', error));
  runner.start();
  await finished;
  const t2 = performance.now();
  const c2 = process.cpuUsage();
  await runner.stop({ timeoutMs: 1000 });
  const peak = sampler.stop();

  const stats = await queue.stats();
  if (stats.counts.completed !== JOBS)
    throw new Error(`expected ${JOBS} completed, got ${stats.counts.completed}`);
  const cpu = (from: NodeJS.CpuUsage, to: NodeJS.CpuUsage) =>
    Math.round((to.user - from.user + to.system - from.system) / 1000);
  const load = Math.round(loadavg()[0]! * 100) / 100;
  const row = (name: string, c: number | null, ms: number, cpuMs: number): Row => ({
    lib: 'redrive',
    scenario: name,
    concurrency: c,
    jobsPerSec: Math.round((JOBS / ms) * 1000),
    peakRssMb: mb(peak),
    jobs: JOBS,
    ms: Math.round(ms),
    cpuMs,
    loadAvg: load,
  });
  rows.push(row('enqueue (enqueueMany, 5k chunks)', concurrency, t1 - t0, cpu(c0, c1)));
  rows.push(row('process (no-op handler)', concurrency, t2 - t1, cpu(c1, c2)));
  rows.push(row('end-to-end (enqueue all, then process all)', concurrency, t2 - t0, cpu(c0, c2)));

  // Retention: purge the completed jobs and check the heap gives the memory back.
  const purged = await adapter.purge({ status: ['completed'], olderThan: Date.now() + 1, limit: JOBS });
  if (purged !== JOBS) throw new Error(`purge removed ${purged}, expected ${JOBS}`);
  await adapter.close?.();
}

async function main() {
  if (!gc) console.warn('run with --expose-gc for meaningful memory figures');
  const rows: Row[] = [];
  collect();
  const baseline = process.memoryUsage();
  // A warm-up pass so JIT compilation is not billed to the first scenario.
  const warm = createQueue({ adapter: memoryAdapter() });
  await warm.enqueueMany(Array.from({ length: 2000 }, () => ({ type: 'noop', payload: null })));
  await new JobRunner({ queue: warm, concurrency: 10, handlers: { noop: () => undefined } }).drain();

  for (const concurrency of CONCURRENCIES) await scenario(concurrency, rows);

  collect();
  const after = process.memoryUsage();
  const memory = {
    baselineHeapMb: mb(baseline.heapUsed),
    afterPurgeHeapMb: mb(after.heapUsed),
    baselineRssMb: mb(baseline.rss),
    afterPurgeRssMb: mb(after.rss),
  };
  console.log(
    `${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.table(
    rows.map(({ scenario: s, concurrency, jobsPerSec, peakRssMb, ms, cpuMs, loadAvg }) => ({
      scenario: s,
      concurrency,
      jobsPerSec,
      peakRssMb,
      ms,
      cpuMs,
      loadAvg,
    })),
  );
  console.log(
    `memory: heap ${memory.baselineHeapMb} MB at start -> ${memory.afterPurgeHeapMb} MB after purge; ` +
      `RSS ${memory.baselineRssMb} MB -> ${memory.afterPurgeRssMb} MB (RSS keeps pages the allocator has not returned)`,
  );
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'memory.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(rows, null, 2)}\n`);
  writeFileSync(
    out.replace(/memory\.json$/, 'memory-retention.json'),
    `${JSON.stringify(memory, null, 2)}\n`,
  );
  console.log(`wrote ${out}`);
}

await main();
