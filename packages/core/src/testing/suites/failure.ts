import { check, checkEqual } from '../assert.js';
import { claimOne, failRequest, mustExist, runningJob, storedHistory, T0 } from '../fixtures.js';
import type { ConformanceCheck } from '../types.js';

/** Fail and release: core's decision stored atomically with its history entry. */
export const failureChecks: ConformanceCheck[] = [
  {
    id: 'fail/retry',
    title: 'fail with a retry re-queues at runAt with the error and one history entry',
    async run(ctx) {
      const job = await runningJob(ctx, { maxAttempts: 3 });
      check((await ctx.adapter.fail(job.id, failRequest(job, T0 + 10, T0 + 5000))).ok, 'fail refused');
      const stored = await mustExist(ctx, job.id);
      checkEqual(
        {
          status: stored.status,
          runAt: stored.runAt,
          attempt: stored.attempt,
          error: stored.error,
          errorCategory: stored.errorCategory,
          lastErrorAt: stored.lastErrorAt,
          leaseOwner: stored.leaseOwner,
          failedAt: stored.failedAt,
        },
        {
          status: 'queued',
          runAt: T0 + 5000,
          attempt: 1,
          error: 'boom 1',
          errorCategory: 'transient_server',
          lastErrorAt: T0 + 10,
          leaseOwner: null,
          failedAt: null,
        },
        'the job after a failed attempt',
      );
      checkEqual(await storedHistory(ctx, job.id), [failRequest(job, T0 + 10, T0 + 5000).history], 'history');
      const early = await ctx.adapter.claim({ workerId: 'w', limit: 1, leaseMs: 1000, now: T0 + 4999 });
      checkEqual(early.length, 0, 'jobs claimed before their retry time');
      const retried = await claimOne(ctx, { now: T0 + 5000 });
      checkEqual([retried.id, retried.attempt], [job.id, 2], 'the retried job');
    },
  },
  {
    id: 'fail/dead',
    title: 'fail with dead moves the job to failed (the DLQ) with its context, in one step',
    async run(ctx) {
      const job = await runningJob(ctx);
      const request = failRequest(job, T0 + 20, 'dead');
      request.outcome = { kind: 'dead', requiresUserAction: true, suggestedAction: 'Check API credentials' };
      request.error.category = 'permanent_auth';
      check((await ctx.adapter.fail(job.id, request)).ok, 'fail refused');
      const stored = await mustExist(ctx, job.id);
      checkEqual(
        [
          stored.status,
          stored.failedAt,
          stored.requiresUserAction,
          stored.suggestedAction,
          stored.errorCategory,
          stored.error,
        ],
        ['failed', T0 + 20, true, 'Check API credentials', 'permanent_auth', 'boom 1'],
        'the dead-lettered job',
      );
      checkEqual(
        (await storedHistory(ctx, job.id)).map((h) => h.deadLettered),
        [true],
        'history of the dead-lettered job',
      );
      const none = await ctx.adapter.claim({ workerId: 'w', limit: 1, leaseMs: 1000, now: T0 + 1e9 });
      checkEqual(none.length, 0, 'dead letters claimed');
    },
  },
  {
    id: 'fail/history-cap',
    title: 'history keeps the newest historyLimit entries, oldest first',
    async run(ctx) {
      const first = await runningJob(ctx, { maxAttempts: 10 });
      let job = first;
      for (let i = 1; i <= 5; i++) {
        check(
          (await ctx.adapter.fail(job.id, failRequest(job, T0 + i * 10, T0 + i * 10, 3))).ok,
          `fail ${i} refused`,
        );
        if (i < 5) job = await claimOne(ctx, { now: T0 + i * 10 });
      }
      const history = await storedHistory(ctx, first.id);
      checkEqual(
        history.map((h) => h.attempt),
        [3, 4, 5],
        'attempts kept in history',
      );
      checkEqual(
        (await ctx.adapter.getRetryHistory(first.id)).map((h) => h.attempt),
        [3, 4, 5],
        'getRetryHistory',
      );
    },
  },
  {
    id: 'release/queued',
    title: 'release to queued sets runAt and gives back the attempt when asked (snooze)',
    async run(ctx) {
      const job = await runningJob(ctx);
      check(
        (
          await ctx.adapter.release(job.id, {
            leaseToken: job.leaseToken,
            now: T0 + 1,
            to: 'queued',
            runAt: T0 + 60_000,
            refundAttempt: true,
          })
        ).ok,
        'release refused',
      );
      const stored = await mustExist(ctx, job.id);
      checkEqual(
        [stored.status, stored.attempt, stored.runAt, stored.leaseOwner, stored.error],
        ['queued', 0, T0 + 60_000, null, null],
        'the released job',
      );
      checkEqual((await storedHistory(ctx, job.id)).length, 0, 'history entries after a release');
      const again = await claimOne(ctx, { now: T0 + 60_000 });
      checkEqual(again.attempt, 1, 'attempt of the next claim');
      check(
        (
          await ctx.adapter.release(job.id, {
            leaseToken: again.leaseToken,
            now: T0 + 60_001,
            to: 'queued',
            refundAttempt: false,
          })
        ).ok,
        'release without refund refused',
      );
      const kept = await mustExist(ctx, job.id);
      checkEqual([kept.attempt, kept.status], [1, 'queued'], 'attempt kept without refund');
      check(kept.runAt <= T0 + 60_001, 'release without runAt must make the job due at once');
    },
  },
  {
    id: 'fail/pause-requested',
    title:
      'a pause requested while running is honoured by fail-with-retry (paused, runAt kept) and cleared by complete and dead',
    async run(ctx) {
      const requestPause = async (id: string) =>
        check(
          (
            await ctx.adapter.transition(id, {
              from: ['running'],
              to: 'running',
              patch: { pauseRequested: true, pauseReason: 'ops' },
              now: T0 + 1,
            })
          ).ok,
          'pause request refused',
        );
      const retried = await runningJob(ctx, { type: 'p-retry', maxAttempts: 3 });
      await requestPause(retried.id);
      check(
        (await ctx.adapter.fail(retried.id, failRequest(retried, T0 + 10, T0 + 5000))).ok,
        'fail refused',
      );
      const paused = await mustExist(ctx, retried.id);
      checkEqual(
        {
          status: paused.status,
          pauseRequested: paused.pauseRequested,
          pausedAt: paused.pausedAt,
          pauseReason: paused.pauseReason,
          runAt: paused.runAt,
          attempt: paused.attempt,
          error: paused.error,
          leaseOwner: paused.leaseOwner,
        },
        {
          status: 'paused',
          pauseRequested: false,
          pausedAt: T0 + 10,
          pauseReason: 'ops',
          runAt: T0 + 5000,
          attempt: 1,
          error: 'boom 1',
          leaseOwner: null,
        },
        'a retried attempt of a job asked to pause',
      );
      checkEqual((await storedHistory(ctx, retried.id)).length, 1, 'history entries of the paused job');
      const none = await ctx.adapter.claim({ workerId: 'w', limit: 5, leaseMs: 1000, now: T0 + 10_000 });
      checkEqual(none.length, 0, 'a paused job was claimed');

      const done = await runningJob(ctx, { type: 'p-done' });
      await requestPause(done.id);
      check(
        (await ctx.adapter.complete(done.id, { leaseToken: done.leaseToken, result: 1, now: T0 + 20 })).ok,
        'complete refused',
      );
      const completed = await mustExist(ctx, done.id);
      checkEqual(
        [completed.status, completed.pauseRequested],
        ['completed', false],
        'a completed job asked to pause',
      );

      const dead = await runningJob(ctx, { type: 'p-dead' });
      await requestPause(dead.id);
      check((await ctx.adapter.fail(dead.id, failRequest(dead, T0 + 30, 'dead'))).ok, 'fail refused');
      const failed = await mustExist(ctx, dead.id);
      checkEqual(
        [failed.status, failed.pauseRequested],
        ['failed', false],
        'a dead-lettered job asked to pause',
      );
    },
  },
];
