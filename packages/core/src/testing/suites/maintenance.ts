import { check, checkEqual, checkSameIds } from '../assert.js';
import { claimOne, enqueueJob, failRequest, runningJob, storedJob, T0 } from '../fixtures.js';
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
  {
    id: 'purge/finished-with-history',
    title:
      'purge with several statuses deletes old completed and cancelled jobs with their history; a job moved out of those statuses stays',
    async run(ctx) {
      // Completed after a failed attempt: it has one history entry.
      const retried = await runningJob(ctx, { type: 'retried' });
      check((await ctx.adapter.fail(retried.id, failRequest(retried, T0 + 1, T0 + 2))).ok, 'fail refused');
      const again = await claimOne(ctx, { now: T0 + 2, types: ['retried'] });
      check(
        (await ctx.adapter.complete(again.id, { leaseToken: again.leaseToken, result: 1, now: T0 + 3 })).ok,
        'complete refused',
      );
      checkEqual((await ctx.adapter.getRetryHistory(retried.id)).length, 1, 'history before the purge');
      const cancelled = await enqueueJob(ctx, { type: 'cancelled' });
      const cancel = await ctx.adapter.transition(cancelled.id, {
        from: ['queued'],
        to: 'cancelled',
        now: T0 + 4,
      });
      check(cancel.ok, 'cancel refused');
      // Cancelled, then restarted (queued again) before the purge: no longer in a purged status.
      const restarted = await enqueueJob(ctx, { type: 'restarted' });
      check(
        (await ctx.adapter.transition(restarted.id, { from: ['queued'], to: 'cancelled', now: T0 + 4 })).ok,
        'cancel refused',
      );
      check(
        (await ctx.adapter.transition(restarted.id, { from: ['cancelled'], to: 'queued', now: T0 + 5 })).ok,
        'restart refused',
      );
      const paused = await enqueueJob(ctx, { type: 'paused' });
      check(
        (await ctx.adapter.transition(paused.id, { from: ['queued'], to: 'paused', now: T0 + 4 })).ok,
        'pause refused',
      );

      const purged = await ctx.adapter.purge({
        status: ['completed', 'cancelled'],
        olderThan: T0 + 100,
        limit: 10,
      });
      checkEqual(purged, 2, 'completed and cancelled jobs purged');
      checkEqual(
        [await storedJob(ctx, retried.id), await storedJob(ctx, cancelled.id)],
        [null, null],
        'purged jobs',
      );
      checkEqual(await ctx.adapter.getRetryHistory(retried.id), [], 'history of a purged job');
      check((await storedJob(ctx, restarted.id)) !== null, 'a job restarted before the purge was deleted');
      check(
        (await storedJob(ctx, paused.id)) !== null,
        'a paused job was deleted by a purge of finished jobs',
      );
    },
  },
];
