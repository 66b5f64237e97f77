import type { AdapterStats } from '../../adapter/storage-adapter.js';
import { check, checkEqual } from '../assert.js';
import { enqueueJob, failRequest, T0 } from '../fixtures.js';
import type { ConformanceCheck, ConformanceContext } from '../types.js';

/** Counts without zero entries: an adapter may list a status with 0 or leave it out. */
function nonZero(byType: AdapterStats['byType']): AdapterStats['byType'] {
  const out: AdapterStats['byType'] = Object.create(null);
  for (const [type, counts] of Object.entries(byType)) {
    const kept = Object.fromEntries(Object.entries(counts).filter(([, n]) => (n ?? 0) > 0));
    if (Object.keys(kept).length > 0) out[type] = kept;
  }
  return out;
}

/** Run a job of `type` from `start` for `ms`, then complete it. */
async function completeIn(ctx: ConformanceContext, type: string, start: number, ms: number): Promise<void> {
  await enqueueJob(ctx, { type, createdAt: start - 1, runAt: start - 1 });
  const [job] = await ctx.adapter.claim({
    workerId: 'w',
    types: [type],
    limit: 1,
    leaseMs: 60_000,
    now: start,
  });
  check(job !== undefined, 'no job to complete');
  check(
    (await ctx.adapter.complete(job.id, { leaseToken: job.leaseToken, result: null, now: start + ms })).ok,
    'complete refused',
  );
}

/** Stats: counts by type and status, scheduled retries, the oldest queued job, run times. */
export const statsChecks: ConformanceCheck[] = [
  {
    id: 'stats/aggregates',
    title: 'stats counts jobs by type and status, scheduled retries, the oldest queued job and run times',
    async run(ctx) {
      await completeIn(ctx, 'a', T0, 100);
      await completeIn(ctx, 'b', T0, 300);
      await enqueueJob(ctx, { type: 'a', createdAt: T0 - 500 });
      await enqueueJob(ctx, { type: 'retry', createdAt: T0 - 700 });
      const [retry] = await ctx.adapter.claim({
        workerId: 'w',
        types: ['retry'],
        limit: 1,
        leaseMs: 1000,
        now: T0,
      });
      check(retry !== undefined, 'no retry job claimed');
      check((await ctx.adapter.fail(retry.id, failRequest(retry, T0 + 1, T0 + 10_000))).ok, 'fail refused');
      await enqueueJob(ctx, { type: 'b' });
      const [dead] = await ctx.adapter.claim({
        workerId: 'w',
        types: ['b'],
        limit: 1,
        leaseMs: 1000,
        now: T0,
      });
      check(dead !== undefined, 'no job to dead-letter');
      check((await ctx.adapter.fail(dead.id, failRequest(dead, T0 + 1, 'dead'))).ok, 'fail refused');

      const stats = await ctx.adapter.stats({});
      checkEqual(
        nonZero(stats.byType),
        { a: { completed: 1, queued: 1 }, b: { completed: 1, failed: 1 }, retry: { queued: 1 } },
        'byType',
      );
      checkEqual(
        [stats.retryScheduled, stats.oldestQueuedAt],
        [1, T0 - 700],
        'retryScheduled and oldestQueuedAt',
      );
      checkEqual(
        [stats.processing.count, stats.processing.avgMs, stats.processing.maxMs],
        [2, 200, 300],
        'processing',
      );
      for (const p of [stats.processing.p50Ms, stats.processing.p95Ms]) {
        check(p !== null && p >= 100 && p <= 300, `a percentile outside the run times: ${p}`);
      }

      const onlyA = await ctx.adapter.stats({ type: 'a' });
      checkEqual(nonZero(onlyA.byType), { a: { completed: 1, queued: 1 } }, 'byType filtered to type a');
      checkEqual(
        [onlyA.processing.count, onlyA.processing.maxMs, onlyA.retryScheduled],
        [1, 100, 0],
        'type a figures',
      );
    },
  },
  {
    id: 'stats/empty',
    title: 'stats of an empty store are zeros and nulls',
    async run(ctx) {
      const stats = await ctx.adapter.stats({});
      checkEqual(
        [
          nonZero(stats.byType),
          stats.retryScheduled,
          stats.oldestQueuedAt,
          stats.processing.count,
          stats.processing.avgMs,
        ],
        [{}, 0, null, 0, null],
        'stats of an empty store',
      );
    },
  },
];
