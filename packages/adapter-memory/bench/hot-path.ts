/**
 * The adapter's share of a runner's work: enqueue N no-op jobs, then claim and complete them in
 * batches as a runner at concurrency 10 would. Prints µs per job for each phase and the heap
 * after a purge. Run: `node --expose-gc --import tsx packages/adapter-memory/bench/hot-path.ts [n]`
 */
import type { NewJobRecord } from '@redrive/core';
import { memoryAdapter, memoryInternals } from '../src/index.js';

const n = Number(process.argv[2] ?? 100_000);
const batch = 10;
const gc = (globalThis as { gc?: () => void }).gc;

function records(count: number, offset: number): NewJobRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `job-${offset + i}`,
    type: 'noop',
    queue: 'default',
    tenantId: null,
    payload: null,
    priority: 0,
    runAt: 0,
    maxAttempts: 3,
    idempotencyKey: null,
    timeoutMs: null,
    title: null,
    metadata: {},
    createdAt: offset + i,
  }));
}

/** CPU time since `start`, in µs: steadier than wall time on a machine shared with other work. */
function cpuUs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

function heapMb(): number {
  gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

async function round(label: string, offset: number): Promise<void> {
  const adapter = memoryAdapter();
  const baseline = heapMb();
  let input: NewJobRecord[] | null = records(n, offset);
  let t = performance.now();
  let cpu = process.cpuUsage();
  for (let i = 0; i < n; i += 1000) await adapter.enqueue(input.slice(i, i + 1000));
  input = null;
  const enqueueUs = ((performance.now() - t) * 1000) / n;
  const enqueueCpuUs = cpuUs(cpu) / n;
  t = performance.now();
  cpu = process.cpuUsage();
  let done = 0;
  for (;;) {
    const jobs = await adapter.claim({ workerId: 'w', limit: batch, leaseMs: 30_000, now: 1e9 });
    if (jobs.length === 0) break;
    for (const job of jobs) {
      await adapter.complete(job.id, { leaseToken: job.leaseToken, result: null, now: 1e9 + 1 });
      done++;
    }
  }
  const claimCompleteUs = ((performance.now() - t) * 1000) / done;
  const claimCompleteCpuUs = cpuUs(cpu) / done;
  const loaded = heapMb();
  const purged = await adapter.purge({ status: ['completed'], olderThan: 2e9 });
  const after = heapMb();
  console.log(
    `${label}: n=${n} enqueue ${enqueueUs.toFixed(2)} µs/job (cpu ${enqueueCpuUs.toFixed(2)}),` +
      ` claim+complete ${claimCompleteUs.toFixed(2)} µs/job (cpu ${claimCompleteCpuUs.toFixed(2)});` +
      ` heap baseline ${baseline.toFixed(1)} MB, with ${done} completed ${loaded.toFixed(1)} MB,` +
      ` after purging ${purged} ${after.toFixed(1)} MB; internals ${JSON.stringify(memoryInternals(adapter).sizes())}`,
  );
}

await round('warm-up', 0);
await round('measured', n);
