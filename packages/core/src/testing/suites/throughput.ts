import type { ThroughputBucket } from '../../adapter/throughput.js';
import { check, checkEqual } from '../assert.js';
import { failRequest, runningJob, T0 } from '../fixtures.js';
import type { ConformanceCheck, ConformanceContext } from '../types.js';

/** The start of the minute after T0: bucket boundaries fall on whole minutes. */
const M = Math.floor(T0 / 60_000) * 60_000 + 60_000;

/** A job of `type` that finishes at `at`: completed, dead-lettered, or failed with a retry. */
async function finish(
  ctx: ConformanceContext,
  at: number,
  outcome: 'completed' | 'dead' | 'retry',
  fields: { type: string; tenantId: string | null },
): Promise<void> {
  const job = await runningJob(ctx, { ...fields, createdAt: at - 20, runAt: at - 20 }, { now: at - 10 });
  const written =
    outcome === 'completed'
      ? await ctx.adapter.complete(job.id, { leaseToken: job.leaseToken, result: null, now: at })
      : await ctx.adapter.fail(job.id, failRequest(job, at, outcome === 'dead' ? 'dead' : at + 3_600_000));
  check(written.ok, `${outcome} refused`);
}

function call(ctx: ConformanceContext, extra: { type?: string; tenantId?: string | null } = {}) {
  check(typeof ctx.adapter.throughput === 'function', 'throughput is claimed but missing');
  return ctx.adapter.throughput!({ since: M, until: M + 180_000, ...extra });
}

const bucket = (minute: number, completed: number, failed: number): ThroughputBucket => ({
  minute,
  completed,
  failed,
});

/** Optional capability `throughput`: finished jobs per minute, for a dashboard's chart. */
export const throughputChecks: ConformanceCheck[] = [
  {
    id: 'throughput/per-minute',
    title:
      'throughput counts completed jobs by completedAt and dead letters by failedAt per minute in [since, until), by type and tenant',
    requires: 'throughput',
    async run(ctx) {
      await finish(ctx, M - 1, 'completed', { type: 'a', tenantId: null }); // before since
      await finish(ctx, M + 1_000, 'completed', { type: 'a', tenantId: 't1' });
      await finish(ctx, M + 59_999, 'completed', { type: 'b', tenantId: null });
      await finish(ctx, M + 60_000, 'completed', { type: 'a', tenantId: null });
      await finish(ctx, M + 61_000, 'dead', { type: 'a', tenantId: 't1' });
      await finish(ctx, M + 62_000, 'retry', { type: 'a', tenantId: null }); // queued again: not finished
      await finish(ctx, M + 180_000, 'completed', { type: 'b', tenantId: null }); // at until: excluded

      checkEqual(await call(ctx), [bucket(M, 2, 0), bucket(M + 60_000, 1, 1)], 'every job');
      checkEqual(await call(ctx, { type: 'a' }), [bucket(M, 1, 0), bucket(M + 60_000, 1, 1)], 'type a only');
      checkEqual(
        await call(ctx, { tenantId: 't1' }),
        [bucket(M, 1, 0), bucket(M + 60_000, 0, 1)],
        'tenant t1 only',
      );
      checkEqual(
        await call(ctx, { tenantId: null }),
        [bucket(M, 1, 0), bucket(M + 60_000, 1, 0)],
        'jobs without a tenant',
      );
      checkEqual(await call(ctx, { type: 'none' }), [], 'an unknown type');
    },
  },
];
