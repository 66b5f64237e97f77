import type { ClaimedJob } from '../../job/job.js';
import { check, checkEqual } from '../assert.js';
import {
  claimOne,
  essentials,
  failRequest,
  mustExist,
  recoverAsCore,
  runningJob,
  storedHistory,
  T0,
} from '../fixtures.js';
import type { ConformanceCheck, ConformanceContext } from '../types.js';

/**
 * Every fenced write with `token`; each must be refused (false / ok: false) and change nothing.
 * Returns the methods that accepted the stale token.
 */
async function staleWrites(
  ctx: ConformanceContext,
  id: string,
  token: string,
  now: number,
): Promise<string[]> {
  const accepted: string[] = [];
  const attempt = 1;
  if (
    await ctx.adapter.progress(id, { leaseToken: token, progress: { percent: 99 }, now }).then((r) => r.ok)
  ) {
    accepted.push('progress');
  }
  const cp = { stage: 'stale', data: { x: 1 }, hash: '00', pauseSafe: true, savedAt: now };
  if (await ctx.adapter.checkpoint(id, { leaseToken: token, checkpoint: cp, now }).then((r) => r.ok)) {
    accepted.push('checkpoint');
  }
  if ((await ctx.adapter.fail(id, failRequest({ leaseToken: token, attempt }, now, now + 1000))).ok)
    accepted.push('fail');
  if ((await ctx.adapter.release(id, { leaseToken: token, now, to: 'queued', refundAttempt: true })).ok) {
    accepted.push('release');
  }
  if ((await ctx.adapter.complete(id, { leaseToken: token, result: 'stale', now })).ok)
    accepted.push('complete');
  return accepted;
}

/** Claim a job, let its lease expire, recover it and re-claim it: returns the stale and the fresh claim. */
async function expireAndReclaim(ctx: ConformanceContext): Promise<{ stale: ClaimedJob; fresh: ClaimedJob }> {
  const stale = await runningJob(ctx, { maxAttempts: 5 }, { workerId: 'worker-old', leaseMs: 1000 });
  const recovered = await recoverAsCore(ctx, T0 + 1000);
  checkEqual(
    recovered.map((job) => job.id),
    [stale.id],
    'jobs taken over after the lease expired',
  );
  const accepted = await staleWrites(ctx, stale.id, stale.leaseToken, T0 + 1500);
  checkEqual(accepted, [], 'fenced writes accepted after lease recovery, before any re-claim');
  const fresh = await claimOne(ctx, { now: T0 + 2000, workerId: 'worker-new' });
  checkEqual(fresh.id, stale.id, 'the re-claimed job');
  check(fresh.leaseToken !== stale.leaseToken, 're-claim reused the stale lease token');
  return { stale, fresh };
}

/** Fencing: a stale or wrong lease token changes nothing, and the adapter says so. */
export const fencingChecks: ConformanceCheck[] = [
  {
    id: 'fencing/after-reclaim',
    title: "after lease expiry and re-claim, the old worker's writes change nothing and return false",
    async run(ctx) {
      const { stale, fresh } = await expireAndReclaim(ctx);
      const before = await mustExist(ctx, fresh.id);
      const historyBefore = await storedHistory(ctx, fresh.id);
      const accepted = await staleWrites(ctx, stale.id, stale.leaseToken, T0 + 2500);
      checkEqual(accepted, [], 'fenced writes that accepted a stale token');
      checkEqual(
        essentials(await mustExist(ctx, fresh.id)),
        essentials(before),
        'the job after stale writes',
      );
      checkEqual(
        (await storedHistory(ctx, fresh.id)).length,
        historyBefore.length,
        'history entries after a stale fail',
      );
      check(
        (
          await ctx.adapter.complete(fresh.id, {
            leaseToken: fresh.leaseToken,
            result: 'fresh',
            now: T0 + 3000,
          })
        ).ok,
        'the current lease holder could not complete',
      );
      const done = await mustExist(ctx, fresh.id);
      checkEqual(
        [done.status, done.result],
        ['completed', 'fresh'],
        'the job completed by the current holder',
      );
    },
  },
  {
    id: 'fencing/wrong-token',
    title: 'a token that was never issued changes nothing',
    async run(ctx) {
      const job = await runningJob(ctx);
      const before = await mustExist(ctx, job.id);
      const accepted = await staleWrites(ctx, job.id, `${job.leaseToken}-forged`, T0 + 10);
      checkEqual(accepted, [], 'fenced writes that accepted a forged token');
      checkEqual(essentials(await mustExist(ctx, job.id)), essentials(before), 'the job after forged writes');
    },
  },
  {
    id: 'fencing/after-complete',
    title: 'once completed, the same token cannot complete, fail or release again',
    async run(ctx) {
      const job = await runningJob(ctx);
      check(
        (await ctx.adapter.complete(job.id, { leaseToken: job.leaseToken, result: 1, now: T0 + 1 })).ok,
        'complete refused',
      );
      const before = await mustExist(ctx, job.id);
      const accepted = await staleWrites(ctx, job.id, job.leaseToken, T0 + 2);
      checkEqual(accepted, [], 'writes accepted on a completed job');
      checkEqual(
        essentials(await mustExist(ctx, job.id)),
        essentials(before),
        'the completed job after late writes',
      );
    },
  },
  {
    id: 'fencing/after-cancel',
    title:
      "a job cancelled while running refuses its worker's complete and fail with { ok: false, cancelled: true } and changes nothing",
    async run(ctx) {
      const job = await runningJob(ctx);
      const cancelled = await ctx.adapter.transition(job.id, {
        from: ['running'],
        to: 'cancelled',
        now: T0 + 1,
      });
      check(cancelled.ok, 'cancel of a running job refused');
      checkEqual(
        [cancelled.job.leaseOwner, cancelled.job.leaseExpiresAt],
        [null, null],
        'lease owner and expiry after leaving running',
      );
      const progress = await ctx.adapter.progress(job.id, {
        leaseToken: job.leaseToken,
        progress: { percent: 5 },
        now: T0 + 2,
      });
      checkEqual(progress.ok, false, 'progress on a cancelled job');
      const refused = { ok: false, cancelled: true };
      checkEqual(
        await ctx.adapter.complete(job.id, { leaseToken: job.leaseToken, result: 1, now: T0 + 2 }),
        refused,
        'answer of complete on a cancelled job',
      );
      checkEqual(
        await ctx.adapter.fail(job.id, failRequest(job, T0 + 2, T0 + 10)),
        refused,
        'answer of fail on a cancelled job',
      );
      const beat = await ctx.adapter.heartbeat({
        workerId: 'worker-a',
        leases: [{ id: job.id, leaseToken: job.leaseToken }],
        leaseMs: 1000,
        now: T0 + 3,
      });
      checkEqual(beat.cancelled, [job.id], 'heartbeat cancelled list');
      checkEqual((await mustExist(ctx, job.id)).status, 'cancelled', 'status after late writes');
    },
  },
  {
    id: 'fencing/valid-writes',
    title: 'the lease holder can store progress and checkpoints (the last checkpoint replaces the previous)',
    async run(ctx) {
      const job = await runningJob(ctx);
      const p = await ctx.adapter.progress(job.id, {
        leaseToken: job.leaseToken,
        progress: { percent: 40, stage: 'embed', details: 'chunk 4 of 10' },
        now: T0 + 1,
      });
      checkEqual(p.ok, true, 'progress with the current token');
      const first = { stage: 'a', data: { i: 1 }, hash: 'h1', pauseSafe: false, savedAt: T0 + 2 };
      const second = { stage: 'b', data: { i: 2 }, hash: 'h2', pauseSafe: true, savedAt: T0 + 3 };
      checkEqual(
        (await ctx.adapter.checkpoint(job.id, { leaseToken: job.leaseToken, checkpoint: first, now: T0 + 2 }))
          .ok,
        true,
        'first checkpoint',
      );
      checkEqual(
        (
          await ctx.adapter.checkpoint(job.id, {
            leaseToken: job.leaseToken,
            checkpoint: second,
            now: T0 + 3,
          })
        ).ok,
        true,
        'second checkpoint',
      );
      const stored = await mustExist(ctx, job.id);
      checkEqual(
        stored.progress,
        { percent: 40, stage: 'embed', details: 'chunk 4 of 10' },
        'stored progress',
      );
      checkEqual(stored.checkpoint, second, 'stored checkpoint');
    },
  },
];
