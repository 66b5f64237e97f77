import { check, checkEqual } from '../assert.js';
import {
  claimOne,
  enqueueJob,
  enqueueJobs,
  essentials,
  failRequest,
  mustExist,
  newJobRecord,
  runningJob,
  storedHistory,
  T0,
} from '../fixtures.js';
import type { ConformanceCheck } from '../types.js';

/** Guarded transitions: pause / resume / cancel / retry / redrive, and their bulk form. */
export const transitionChecks: ConformanceCheck[] = [
  {
    id: 'transition/guard',
    title: 'a status outside from changes nothing and reports invalid_state with the current status',
    async run(ctx) {
      const job = await enqueueJob(ctx);
      const before = await mustExist(ctx, job.id);
      const result = await ctx.adapter.transition(job.id, {
        from: ['failed', 'cancelled'],
        to: 'queued',
        patch: { attempt: 0, runAt: T0 + 99 },
        increment: ['redriveCount'],
        now: T0 + 50,
      });
      checkEqual(
        result,
        { ok: false, reason: 'invalid_state', status: 'queued' },
        'transition from the wrong status',
      );
      const after = await mustExist(ctx, job.id);
      checkEqual(
        [essentials(after), after.redriveCount],
        [essentials(before), 0],
        'the job after a refused transition',
      );
    },
  },
  {
    id: 'transition/not-found',
    title: 'an unknown id reports not_found',
    async run(ctx) {
      const result = await ctx.adapter.transition(globalThis.crypto.randomUUID(), {
        from: ['queued'],
        to: 'paused',
        now: T0,
      });
      checkEqual(result, { ok: false, reason: 'not_found' }, 'transition of an unknown id');
    },
  },
  {
    id: 'transition/patch',
    title: 'applies the patch and increments with the status, and returns the updated job',
    async run(ctx) {
      const job = await enqueueJob(ctx);
      const paused = await ctx.adapter.transition(job.id, {
        from: ['queued'],
        to: 'paused',
        patch: { pausedAt: T0 + 1, pauseReason: 'maintenance' },
        now: T0 + 1,
      });
      check(paused.ok, 'pause refused');
      checkEqual(
        [paused.job.status, paused.job.pauseReason, paused.job.updatedAt],
        ['paused', 'maintenance', T0 + 1],
        'returned job',
      );
      const resumed = await ctx.adapter.transition(job.id, {
        from: ['paused'],
        to: 'queued',
        patch: { resumedAt: T0 + 2, pauseReason: null },
        increment: ['resumeCount'],
        now: T0 + 2,
      });
      check(resumed.ok, 'resume refused');
      const stored = await mustExist(ctx, job.id);
      checkEqual(
        [stored.status, stored.resumeCount, stored.resumedAt, stored.pauseReason, stored.pausedAt],
        ['queued', 1, T0 + 2, null, T0 + 1],
        'the resumed job',
      );
    },
  },
  {
    id: 'transition/redrive',
    title: 'redrive: failed → queued with attempt reset and redriveCount + 1, history kept',
    async run(ctx) {
      const job = await runningJob(ctx, { maxAttempts: 1 });
      check((await ctx.adapter.fail(job.id, failRequest(job, T0 + 1, 'dead'))).ok, 'fail refused');
      const redriven = await ctx.adapter.transition(job.id, {
        from: ['failed'],
        to: 'queued',
        patch: {
          attempt: 0,
          runAt: T0 + 10,
          failedAt: null,
          requiresUserAction: false,
          suggestedAction: null,
        },
        increment: ['redriveCount'],
        now: T0 + 10,
      });
      check(redriven.ok, 'redrive refused');
      const stored = await mustExist(ctx, job.id);
      checkEqual(
        [stored.status, stored.attempt, stored.redriveCount, stored.failedAt],
        ['queued', 0, 1, null],
        'the redriven job',
      );
      checkEqual((await storedHistory(ctx, job.id)).length, 1, 'history kept after redrive');
      const dlq = await ctx.adapter.listDeadLetters({ limit: 10 });
      checkEqual(dlq.jobs.length, 0, 'dead letters after redrive');
      const again = await claimOne(ctx, { now: T0 + 10 });
      checkEqual([again.id, again.attempt], [job.id, 1], 'the redriven job, claimed');
    },
  },
  {
    id: 'transition/many',
    title: 'transitionMany changes only matching jobs in a from status, up to limit',
    requires: 'bulkTransition',
    async run(ctx) {
      check(
        typeof ctx.adapter.transitionMany === 'function',
        'bulkTransition is claimed but transitionMany is missing',
      );
      const jobs = await enqueueJobs(ctx, [
        newJobRecord({ type: 'bulk', createdAt: T0 - 3 }),
        newJobRecord({ type: 'bulk', createdAt: T0 - 2 }),
        newJobRecord({ type: 'bulk', createdAt: T0 - 1 }),
        newJobRecord({ type: 'other' }),
      ]);
      const running = await claimOne(ctx, { types: ['bulk'] });
      const changed = await ctx.adapter.transitionMany!(
        { type: 'bulk' },
        { from: ['queued'], to: 'cancelled', now: T0 + 5, limit: 1 },
      );
      checkEqual(changed.length, 1, 'jobs changed with limit 1');
      checkEqual(changed[0]?.status, 'cancelled', 'status of a changed job');
      const rest = await ctx.adapter.transitionMany!(
        { type: 'bulk' },
        { from: ['queued'], to: 'cancelled', now: T0 + 6, limit: 10 },
      );
      checkEqual(rest.length, 1, 'jobs changed by the second call');
      checkEqual((await mustExist(ctx, running.id)).status, 'running', 'a job outside from');
      checkEqual((await mustExist(ctx, jobs[3]!.id)).status, 'queued', 'a job outside the filter');
    },
  },
];
