import { check, checkEqual, checkSameIds } from '../assert.js';
import { enqueueJob, failRequest, runningJob, storedJob, T0 } from '../fixtures.js';
import type { ConformanceCheck, ConformanceContext } from '../types.js';

/** Complete a fresh job of `type` at `now`; returns its id. */
async function completedAt(ctx: ConformanceContext, type: string, now: number): Promise<string> {
  const job = await runningJob(ctx, { type });
  check(
    (await ctx.adapter.complete(job.id, { leaseToken: job.leaseToken, result: null, now })).ok,
    'complete refused',
  );
  return job.id;
}

/** Deleting and purging. */
export const maintenanceChecks: ConformanceCheck[] = [
  {
    id: 'delete/jobs',
    title: 'deleteJobs removes the jobs and their history and counts the ones that existed',
    async run(ctx) {
      const a = await runningJob(ctx, { maxAttempts: 3 });
      check((await ctx.adapter.fail(a.id, failRequest(a, T0 + 1, T0 + 1))).ok, 'fail refused');
      const b = await enqueueJob(ctx);
      const keep = await enqueueJob(ctx);
      const deleted = await ctx.adapter.deleteJobs([a.id, b.id, globalThis.crypto.randomUUID()]);
      checkEqual(deleted, 2, 'jobs deleted');
      checkEqual([await storedJob(ctx, a.id), await storedJob(ctx, b.id)], [null, null], 'deleted jobs');
      checkEqual(await ctx.adapter.getRetryHistory(a.id), [], 'history of a deleted job');
      checkEqual(
        (await ctx.adapter.listJobs({ limit: 10 })).jobs.map((j) => j.id),
        [keep.id],
        'jobs left',
      );
      const none = await ctx.adapter.claim({ workerId: 'w', limit: 10, leaseMs: 1000, now: T0 + 10 });
      checkEqual(
        none.map((j) => j.id),
        [keep.id],
        'jobs claimable after deletes',
      );
    },
  },
  {
    id: 'purge/age-and-status',
    title: 'purge deletes jobs in the given statuses last changed before olderThan, up to limit',
    async run(ctx) {
      const oldDone = [
        await completedAt(ctx, 'old', T0 + 1),
        await completedAt(ctx, 'old', T0 + 2),
        await completedAt(ctx, 'old', T0 + 3),
      ];
      const newDone = await completedAt(ctx, 'new', T0 + 1000);
      const queued = await enqueueJob(ctx, { createdAt: T0 - 10_000, runAt: T0 + 1e9 });
      const dead = await runningJob(ctx, { type: 'dead' });
      check((await ctx.adapter.fail(dead.id, failRequest(dead, T0 + 5, 'dead'))).ok, 'fail refused');

      const first = await ctx.adapter.purge({ status: ['completed'], olderThan: T0 + 500, limit: 2 });
      checkEqual(first, 2, 'jobs purged with limit 2');
      const second = await ctx.adapter.purge({ status: ['completed'], olderThan: T0 + 500, limit: 10 });
      checkEqual(second, 1, 'jobs purged by the second call');
      const left = (await ctx.adapter.listJobs({ limit: 50 })).jobs.map((j) => j.id);
      checkSameIds(left, [newDone, queued.id, dead.id], 'jobs left after purging old completed jobs');
      for (const id of oldDone) checkEqual(await storedJob(ctx, id), null, 'a purged job');

      checkEqual(
        await ctx.adapter.purge({ status: ['failed'], olderThan: T0 + 5, limit: 10 }),
        0,
        'purge of failed jobs younger than olderThan',
      );
      checkEqual(
        await ctx.adapter.purge({ status: ['failed'], olderThan: T0 + 6, limit: 10 }),
        1,
        'purge of the failed job',
      );
    },
  },
];
