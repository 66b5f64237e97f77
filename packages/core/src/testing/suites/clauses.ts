import type { PurgeRequest, RecoverRequest } from '../../adapter/requests.js';
import { check, checkEqual, checkRejects } from '../assert.js';
import {
  enqueueJobs,
  failRequest,
  mustExist,
  newJobRecord,
  runningJob,
  storedHistory,
  T0,
} from '../fixtures.js';
import type { ConformanceCheck, ConformanceContext } from '../types.js';

/** A refusal must be a ValidationError (by name: it may come from another copy of core). */
async function checkValidationError(promise: Promise<unknown>, what: string): Promise<void> {
  const error = await checkRejects(promise, `${what} was accepted`);
  checkEqual((error as { name?: unknown })?.name, 'ValidationError', `error name of ${what}`);
}

async function completedJobs(ctx: ConformanceContext, createdAts: number[]): Promise<string[]> {
  const jobs = await enqueueJobs(
    ctx,
    createdAts.map((createdAt) => newJobRecord({ type: 'done', createdAt, runAt: T0 })),
  );
  const claimed = await ctx.adapter.claim({
    workerId: 'w',
    types: ['done'],
    limit: 10,
    leaseMs: 1000,
    now: T0,
  });
  for (const job of claimed) {
    check(
      (await ctx.adapter.complete(job.id, { leaseToken: job.leaseToken, result: null, now: T0 + 1 })).ok,
      'complete refused',
    );
  }
  return jobs.map((j) => j.id);
}

/**
 * The clauses where two reasonable stores could differ (and the first two adapters did): each
 * is written in the contract's TSDoc, and checked here.
 */
export const clauseChecks: ConformanceCheck[] = [
  {
    id: 'clauses/purge-limit-required',
    title: 'purge without a limit is refused with a ValidationError and deletes nothing (no adapter default)',
    async run(ctx) {
      const ids = await completedJobs(ctx, [T0, T0]);
      await checkValidationError(
        ctx.adapter.purge({ status: ['completed'], olderThan: T0 + 10 } as PurgeRequest),
        'purge without limit',
      );
      for (const id of ids)
        checkEqual((await mustExist(ctx, id)).status, 'completed', 'a job after the refusal');
    },
  },
  {
    id: 'clauses/purge-oldest-first',
    title: 'purge with a limit deletes the oldest jobs first (createdAt ascending)',
    async run(ctx) {
      // Enqueued newest first, so insertion order and age disagree.
      const [newer, older, oldest] = await completedJobs(ctx, [T0 - 10, T0 - 20, T0 - 30]);
      checkEqual(
        await ctx.adapter.purge({ status: ['completed'], olderThan: T0 + 10, limit: 2 }),
        2,
        'purged',
      );
      checkEqual((await ctx.adapter.getJob(oldest!)) === null, true, 'the oldest job is gone');
      checkEqual((await ctx.adapter.getJob(older!)) === null, true, 'the second oldest job is gone');
      checkEqual((await mustExist(ctx, newer!)).status, 'completed', 'the newest job is kept');
    },
  },
  {
    id: 'clauses/recover-limit-required',
    title: 'recoverExpiredLeases without a limit is refused with a ValidationError and takes nothing over',
    async run(ctx) {
      const job = await runningJob(ctx, {}, { leaseMs: 100 });
      await checkValidationError(
        ctx.adapter.recoverExpiredLeases({ workerId: 'r', now: T0 + 1000, leaseMs: 1000 } as RecoverRequest),
        'recoverExpiredLeases without limit',
      );
      const stored = await mustExist(ctx, job.id);
      checkEqual(
        [stored.leaseOwner, stored.leaseExpiresAt],
        ['worker-a', T0 + 100],
        'the expired job after the refusal',
      );
    },
  },
  {
    id: 'clauses/transition-many-newest-first',
    title: 'transitionMany with a limit changes the newest matching jobs first and returns them newest first',
    requires: 'bulkTransition',
    async run(ctx) {
      const [a, b, c] = await enqueueJobs(ctx, [
        newJobRecord({ createdAt: T0 + 1 }),
        newJobRecord({ createdAt: T0 + 3 }),
        newJobRecord({ createdAt: T0 + 2 }),
      ]);
      const changed = await ctx.adapter.transitionMany!(
        {},
        { from: ['queued'], to: 'cancelled', now: T0 + 10, limit: 2 },
      );
      checkEqual(
        changed.map((j) => j.id),
        [b!.id, c!.id],
        'jobs changed, in order',
      );
      checkEqual((await mustExist(ctx, a!.id)).status, 'queued', 'the oldest job, past the limit');
    },
  },
  {
    id: 'clauses/release-after-cancel',
    title:
      'release of a job cancelled under its lease answers { ok: false, cancelled: true } and changes nothing',
    async run(ctx) {
      const job = await runningJob(ctx);
      check(
        (await ctx.adapter.transition(job.id, { from: ['running'], to: 'cancelled', now: T0 + 1 })).ok,
        'cancel',
      );
      const before = await mustExist(ctx, job.id);
      checkEqual(
        await ctx.adapter.release(job.id, {
          leaseToken: job.leaseToken,
          now: T0 + 2,
          to: 'queued',
          refundAttempt: true,
        }),
        { ok: false, cancelled: true },
        'answer of the release',
      );
      checkEqual(await mustExist(ctx, job.id), before, 'the job after the release');
      const beat = await ctx.adapter.heartbeat({
        workerId: 'worker-a',
        leases: [{ id: job.id, leaseToken: job.leaseToken }],
        leaseMs: 1000,
        now: T0 + 3,
      });
      checkEqual(beat.cancelled, [job.id], 'the heartbeat still reports the cancel');
    },
  },
  {
    id: 'clauses/history-limit-zero',
    title: 'fail with historyLimit 0 is refused with a ValidationError: the job keeps its lease, no history',
    async run(ctx) {
      const job = await runningJob(ctx);
      await checkValidationError(
        ctx.adapter.fail(job.id, failRequest(job, T0 + 1, T0 + 10, 0)),
        'fail with historyLimit 0',
      );
      checkEqual((await mustExist(ctx, job.id)).status, 'running', 'status after the refusal');
      checkEqual(await storedHistory(ctx, job.id), [], 'history after the refusal');
    },
  },
  {
    id: 'clauses/writes-report',
    title:
      'complete, fail and release answer the status they left the job in; fail (dead) answers the stored job',
    async run(ctx) {
      const done = await runningJob(ctx, { type: 'done' });
      checkEqual(
        await ctx.adapter.complete(done.id, { leaseToken: done.leaseToken, result: 1, now: T0 + 1 }),
        { ok: true, status: 'completed' },
        'answer of complete',
      );
      const retried = await runningJob(ctx, { type: 'retried' });
      checkEqual(
        await ctx.adapter.fail(retried.id, failRequest(retried, T0 + 1, T0 + 100)),
        { ok: true, status: 'queued' },
        'answer of fail (retry)',
      );
      const dead = await runningJob(ctx, { type: 'dead' });
      const answer = await ctx.adapter.fail(dead.id, failRequest(dead, T0 + 2, 'dead'));
      check(answer.ok && answer.status === 'failed', 'answer of fail (dead)');
      checkEqual(answer.job, await mustExist(ctx, dead.id), 'the job fail (dead) answered with');
      const snoozed = await runningJob(ctx, { type: 'snoozed' });
      checkEqual(
        await ctx.adapter.release(snoozed.id, {
          leaseToken: snoozed.leaseToken,
          now: T0 + 3,
          to: 'queued',
          runAt: T0 + 50,
          refundAttempt: true,
        }),
        { ok: true, status: 'queued' },
        'answer of release',
      );
      checkEqual(
        await ctx.adapter.complete(done.id, { leaseToken: done.leaseToken, result: 2, now: T0 + 4 }),
        { ok: false, cancelled: false },
        'answer of a stale complete',
      );
    },
  },
];
