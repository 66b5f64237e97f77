import { check, checkEqual } from '../assert.js';
import {
  claimOne,
  enqueueJobs,
  mustExist,
  newJobRecord,
  recoverRequest,
  runningJob,
  storedHistory,
  T0,
} from '../fixtures.js';
import type { ConformanceCheck } from '../types.js';

/** Lease expiry: crashed workers' jobs come back (or go to the DLQ on their last attempt). */
export const recoveryChecks: ConformanceCheck[] = [
  {
    id: 'recovery/requeue',
    title: 'an expired lease goes back to queued at once, attempt kept, with a history entry',
    async run(ctx) {
      const job = await runningJob(ctx, { maxAttempts: 3 }, { leaseMs: 1000 });
      const live = await runningJob(ctx, { maxAttempts: 3 }, { leaseMs: 10_000 });
      const early = await ctx.adapter.recoverExpiredLeases(recoverRequest(T0 + 999));
      checkEqual(early, { requeued: [], deadLettered: [], paused: [] }, 'recovery before the lease expired');
      const result = await ctx.adapter.recoverExpiredLeases(recoverRequest(T0 + 1000));
      checkEqual(result, { requeued: [job.id], deadLettered: [], paused: [] }, 'recovery at the expiry');
      const stored = await mustExist(ctx, job.id);
      checkEqual(
        [stored.status, stored.attempt, stored.leaseOwner, stored.leaseExpiresAt],
        ['queued', 1, null, null],
        'the recovered job',
      );
      check(stored.runAt <= T0 + 1000, 'a recovered job must be due at once');
      const history = await storedHistory(ctx, job.id);
      checkEqual(
        history.map((h) => [h.attempt, h.errorCategory, h.deadLettered]),
        [[1, 'transient_timeout', false]],
        'history of the recovered job',
      );
      checkEqual((await mustExist(ctx, live.id)).status, 'running', 'a job with a live lease');
      const again = await claimOne(ctx, { now: T0 + 1000 });
      checkEqual([again.id, again.attempt], [job.id, 2], 'the recovered job, claimed again');
    },
  },
  {
    id: 'recovery/dead-letter',
    title: 'an expired lease on the last attempt dead-letters the job with its history',
    async run(ctx) {
      const job = await runningJob(ctx, { maxAttempts: 1 }, { leaseMs: 1000 });
      const result = await ctx.adapter.recoverExpiredLeases(recoverRequest(T0 + 5000));
      checkEqual(result, { requeued: [], deadLettered: [job.id], paused: [] }, 'recovery of a last attempt');
      const stored = await mustExist(ctx, job.id);
      checkEqual(
        [stored.status, stored.failedAt, stored.suggestedAction, stored.leaseOwner],
        ['failed', T0 + 5000, 'Check why the worker stopped', null],
        'the dead-lettered job',
      );
      const history = await storedHistory(ctx, job.id);
      checkEqual(
        history.map((h) => [h.attempt, h.deadLettered]),
        [[1, true]],
        'history of the dead-lettered job',
      );
      const dlq = await ctx.adapter.listDeadLetters({ limit: 10 });
      checkEqual(
        dlq.jobs.map((j) => j.id),
        [job.id],
        'dead letters',
      );
    },
  },
  {
    id: 'recovery/paused',
    title: 'an expired lease of a job asked to pause leaves it paused',
    async run(ctx) {
      const job = await runningJob(ctx, { maxAttempts: 3 }, { leaseMs: 1000 });
      check(
        (
          await ctx.adapter.transition(job.id, {
            from: ['running'],
            to: 'running',
            patch: { pauseRequested: true },
            now: T0 + 1,
          })
        ).ok,
        'pause request refused',
      );
      const result = await ctx.adapter.recoverExpiredLeases(recoverRequest(T0 + 1001));
      checkEqual(
        result,
        { requeued: [], deadLettered: [], paused: [job.id] },
        'recovery of a job asked to pause',
      );
      checkEqual((await mustExist(ctx, job.id)).status, 'paused', 'status');
    },
  },
  {
    id: 'recovery/limit',
    title: 'recovers at most limit jobs per call',
    async run(ctx) {
      await enqueueJobs(
        ctx,
        Array.from({ length: 5 }, () => newJobRecord({ maxAttempts: 3 })),
      );
      const claimed = await ctx.adapter.claim({ workerId: 'w', limit: 5, leaseMs: 100, now: T0 });
      checkEqual(claimed.length, 5, 'jobs claimed');
      const first = await ctx.adapter.recoverExpiredLeases(recoverRequest(T0 + 100, 2));
      checkEqual(first.requeued.length, 2, 'jobs recovered with limit 2');
      const rest = await ctx.adapter.recoverExpiredLeases(recoverRequest(T0 + 100));
      checkEqual(rest.requeued.length, 3, 'jobs recovered by the next call');
    },
  },
];
