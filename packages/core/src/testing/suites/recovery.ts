import { check, checkEqual } from '../assert.js';
import {
  claimOne,
  enqueueJobs,
  failRequest,
  mustExist,
  newJobRecord,
  recoverRequest,
  runningJob,
  storedHistory,
  T0,
} from '../fixtures.js';
import type { ConformanceCheck } from '../types.js';

/**
 * Lease expiry: the adapter hands expired leases back to core (re-leased to the recovering
 * worker under a fresh token) and decides nothing; core records each through `fail`.
 */
export const recoveryChecks: ConformanceCheck[] = [
  {
    id: 'recovery/hands-back',
    title:
      'an expired lease is handed back re-leased to the caller under a fresh token, attempt, status and history untouched',
    async run(ctx) {
      const job = await runningJob(ctx, { maxAttempts: 1 }, { leaseMs: 1000 });
      const live = await runningJob(ctx, { maxAttempts: 3 }, { leaseMs: 10_000 });
      const early = await ctx.adapter.recoverExpiredLeases(recoverRequest(T0 + 999));
      checkEqual(early, [], 'recovery before the lease expired');
      const taken = await ctx.adapter.recoverExpiredLeases(recoverRequest(T0 + 1000, 10, 5000));
      checkEqual(
        taken.map((j) => [j.id, j.status, j.attempt, j.leaseOwner, j.leaseExpiresAt]),
        [[job.id, 'running', 1, 'recoverer', T0 + 6000]],
        'the job handed back (its last attempt: the adapter must not dead-letter it)',
      );
      check(
        taken[0]!.leaseToken !== job.leaseToken,
        'the job was handed back under the crashed worker’s token',
      );
      const stored = await mustExist(ctx, job.id);
      checkEqual(
        [stored.status, stored.attempt, stored.leaseOwner, stored.failedAt, stored.error],
        ['running', 1, 'recoverer', null, null],
        'the stored job after recovery',
      );
      checkEqual(await storedHistory(ctx, job.id), [], 'history written by recovery (core writes it)');
      checkEqual((await mustExist(ctx, live.id)).status, 'running', 'a job with a live lease');
      checkEqual(
        await ctx.adapter.recoverExpiredLeases(recoverRequest(T0 + 1000)),
        [],
        'a job taken over is not handed out again while its new lease holds',
      );
    },
  },
  {
    id: 'recovery/then-fail',
    title: 'core records a recovered job through fail with the new token: retried or dead-lettered as told',
    async run(ctx) {
      const retried = await runningJob(ctx, { maxAttempts: 3, type: 'r' }, { leaseMs: 1000 });
      const dead = await runningJob(ctx, { maxAttempts: 3, type: 'd' }, { leaseMs: 1000 });
      const taken = await ctx.adapter.recoverExpiredLeases(recoverRequest(T0 + 1000));
      const byId = new Map(taken.map((j) => [j.id, j]));
      const r = byId.get(retried.id);
      const d = byId.get(dead.id);
      check(r !== undefined && d !== undefined, 'both expired jobs handed back');
      checkEqual(
        await ctx.adapter.fail(r.id, failRequest(r, T0 + 1000, T0 + 1000)),
        { ok: true, status: 'queued' },
        'fail (retry) of a recovered job',
      );
      const deadAnswer = await ctx.adapter.fail(d.id, failRequest(d, T0 + 1000, 'dead'));
      check(deadAnswer.ok && deadAnswer.status === 'failed', 'fail (dead) of a recovered job');
      const again = await claimOne(ctx, { now: T0 + 1000, types: ['r'] });
      checkEqual([again.id, again.attempt], [retried.id, 2], 'the retried job, claimed again');
      checkEqual(
        (await storedHistory(ctx, dead.id)).map((h) => [h.attempt, h.deadLettered]),
        [[1, true]],
        'history of the dead-lettered job',
      );
      checkEqual(
        (await ctx.adapter.fail(retried.id, failRequest(retried, T0 + 1001, T0 + 1001))).ok,
        false,
        "the crashed worker's late fail",
      );
    },
  },
  {
    id: 'recovery/paused',
    title: 'a recovered job asked to pause is paused by the retry core records for it',
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
      const [taken] = await ctx.adapter.recoverExpiredLeases(recoverRequest(T0 + 1001));
      check(taken !== undefined && taken.id === job.id, 'the expired job handed back');
      checkEqual(taken.pauseRequested, true, 'pauseRequested of the job handed back');
      checkEqual(
        await ctx.adapter.fail(job.id, failRequest(taken, T0 + 1001, T0 + 1001)),
        { ok: true, status: 'paused' },
        'answer of the retry of a job asked to pause',
      );
      checkEqual((await mustExist(ctx, job.id)).status, 'paused', 'status');
    },
  },
  {
    id: 'recovery/limit',
    title: 'hands back at most limit jobs per call, oldest expiry first',
    async run(ctx) {
      const records = Array.from({ length: 5 }, () => newJobRecord({ maxAttempts: 3 }));
      await enqueueJobs(ctx, records);
      const claimed = [];
      // Leases expiring at T0+500, +400, …: the last claimed expires first.
      for (let i = 0; i < 5; i++) claimed.push(await claimOne(ctx, { leaseMs: 500 - i * 100 }));
      const first = await ctx.adapter.recoverExpiredLeases(recoverRequest(T0 + 500, 2));
      checkEqual(
        first.map((j) => j.id),
        [claimed[4]!.id, claimed[3]!.id],
        'jobs handed back with limit 2 (oldest expiry first)',
      );
      const rest = await ctx.adapter.recoverExpiredLeases(recoverRequest(T0 + 500));
      checkEqual(rest.length, 3, 'jobs handed back by the next call');
    },
  },
];
