import { check, checkEqual } from '../assert.js';
import { claimOne, mustExist, recoverAsCore, recoverRequest, runningJob, T0 } from '../fixtures.js';
import type { ConformanceCheck } from '../types.js';

/** Heartbeat: extends held leases and tells the worker what it lost or must act on. */
export const heartbeatChecks: ConformanceCheck[] = [
  {
    id: 'heartbeat/extends',
    title: 'extends a held lease to now + leaseMs and bumps updatedAt, so recovery leaves the job alone',
    async run(ctx) {
      const job = await runningJob(ctx, {}, { leaseMs: 1000 });
      const beat = await ctx.adapter.heartbeat({
        workerId: 'worker-a',
        leases: [{ id: job.id, leaseToken: job.leaseToken }],
        leaseMs: 5000,
        now: T0 + 900,
      });
      checkEqual(beat, { lost: [], cancelled: [], pauseRequested: [] }, 'heartbeat of a held lease');
      const stored = await mustExist(ctx, job.id);
      checkEqual(
        [stored.leaseExpiresAt, stored.updatedAt],
        [T0 + 5900, T0 + 900],
        'lease expiry and updatedAt',
      );
      const recovered = await ctx.adapter.recoverExpiredLeases(recoverRequest(T0 + 2000));
      checkEqual(recovered, [], 'jobs recovered although their lease was extended');
      checkEqual((await mustExist(ctx, job.id)).status, 'running', 'status after recovery ran');
    },
  },
  {
    id: 'heartbeat/lost',
    title: 'reports leases lost to expiry and re-claim, deletion, or completion',
    async run(ctx) {
      const expired = await runningJob(ctx, { maxAttempts: 5, type: 'expire' }, { leaseMs: 1000 });
      await recoverAsCore(ctx, T0 + 1000);
      const reclaimed = await claimOne(ctx, { now: T0 + 1500, workerId: 'worker-b', types: ['expire'] });
      const deleted = await runningJob(ctx, { type: 'delete' });
      await ctx.adapter.transition(deleted.id, { from: ['running'], to: 'cancelled', now: T0 + 1 });
      checkEqual(await ctx.adapter.deleteJobs([deleted.id]), 1, 'jobs deleted');
      const completed = await runningJob(ctx, { type: 'complete' });
      check(
        (
          await ctx.adapter.complete(completed.id, {
            leaseToken: completed.leaseToken,
            result: null,
            now: T0 + 2,
          })
        ).ok,
        'complete refused',
      );
      const beat = await ctx.adapter.heartbeat({
        workerId: 'worker-a',
        leases: [expired, deleted, completed].map((j) => ({ id: j.id, leaseToken: j.leaseToken })),
        leaseMs: 1000,
        now: T0 + 1600,
      });
      checkEqual([...beat.lost].sort(), [expired.id, deleted.id, completed.id].sort(), 'lost leases');
      checkEqual((await mustExist(ctx, reclaimed.id)).leaseOwner, 'worker-b', 'owner of the re-claimed job');
      checkEqual(
        (await mustExist(ctx, reclaimed.id)).leaseExpiresAt,
        reclaimed.leaseExpiresAt,
        'lease of the new holder',
      );
    },
  },
  {
    id: 'heartbeat/cancel-and-pause',
    title: 'reports jobs cancelled while running and jobs asked to pause',
    async run(ctx) {
      const toCancel = await runningJob(ctx, { type: 'c' });
      const toPause = await runningJob(ctx, { type: 'p' });
      check(
        (await ctx.adapter.transition(toCancel.id, { from: ['running'], to: 'cancelled', now: T0 + 1 })).ok,
        'cancel refused',
      );
      const asked = await ctx.adapter.transition(toPause.id, {
        from: ['running'],
        to: 'running',
        patch: { pauseRequested: true },
        now: T0 + 1,
      });
      check(asked.ok, 'pause request refused');
      checkEqual(asked.job.leaseOwner, 'worker-a', 'a running → running transition keeps the lease');
      const beat = await ctx.adapter.heartbeat({
        workerId: 'worker-a',
        leases: [toCancel, toPause].map((j) => ({ id: j.id, leaseToken: j.leaseToken })),
        leaseMs: 1000,
        now: T0 + 2,
      });
      checkEqual(
        beat,
        { lost: [], cancelled: [toCancel.id], pauseRequested: [toPause.id] },
        'heartbeat answer',
      );
      const progress = await ctx.adapter.progress(toPause.id, {
        leaseToken: toPause.leaseToken,
        progress: { percent: 50 },
        now: T0 + 3,
      });
      checkEqual(
        [progress.ok, progress.pauseRequested],
        [true, true],
        'progress answer of a job asked to pause',
      );
    },
  },
  {
    id: 'heartbeat/release-to-paused',
    title:
      'a worker pauses a job at its checkpoint by releasing it to paused (the pause reason kept); it is not claimable until resumed',
    async run(ctx) {
      const job = await runningJob(ctx);
      const asked = await ctx.adapter.transition(job.id, {
        from: ['running'],
        to: 'running',
        patch: { pauseRequested: true, pauseReason: 'operator' },
        now: T0 + 1,
      });
      check(asked.ok, 'pause request refused');
      const released = await ctx.adapter.release(job.id, {
        leaseToken: job.leaseToken,
        now: T0 + 5,
        to: 'paused',
        refundAttempt: false,
      });
      checkEqual(released, { ok: true, status: 'paused' }, 'answer of a release to paused');
      const stored = await mustExist(ctx, job.id);
      checkEqual(
        [
          stored.status,
          stored.pauseReason,
          stored.pauseRequested,
          stored.pausedAt,
          stored.leaseOwner,
          stored.attempt,
        ],
        ['paused', 'operator', false, T0 + 5, null, 1],
        'the paused job (the reason given with the pause request kept)',
      );
      const none = await ctx.adapter.claim({ workerId: 'w', limit: 5, leaseMs: 1000, now: T0 + 10 });
      checkEqual(none.length, 0, 'paused jobs claimed');
    },
  },
];
