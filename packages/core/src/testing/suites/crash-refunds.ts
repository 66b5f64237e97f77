import type { RecoveredJob } from '../../adapter/requests.js';
import { check, checkEqual } from '../assert.js';
import {
  claimOne,
  enqueueJobs,
  failRequest,
  mustExist,
  newJobRecord,
  recoverRequest,
  T0,
} from '../fixtures.js';
import type { ConformanceCheck, ConformanceContext } from '../types.js';

/** Recover at `now` and key the jobs handed back by id, with the two stored facts. */
async function recoveredFacts(ctx: ConformanceContext, now: number) {
  const taken = await ctx.adapter.recoverExpiredLeases(recoverRequest(now, 100, 1000));
  return new Map<string, RecoveredJob>(taken.map((job) => [job.id, job]));
}

function facts(job: RecoveredJob | undefined): [boolean | undefined, number | undefined] {
  return [job?.startReported, job?.crashRefunds];
}

/**
 * The facts core's crash refund reads (`capabilities.crashRefunds`): whether a heartbeat reported
 * an expired lease's run started, and how many crash refunds the job had. The store keeps and
 * hands back facts; core decides what they mean (refund or charge).
 */
export const crashRefundChecks: ConformanceCheck[] = [
  {
    id: 'crash-refunds/start-reported',
    title:
      'recovery hands back startReported: true once a heartbeat listed the lease without started: false, false otherwise',
    requires: 'crashRefunds',
    async run(ctx) {
      const [a, b, c, d] = await enqueueJobs(
        ctx,
        ['a', 'b', 'c', 'd'].map((type) => newJobRecord({ type })),
      );
      const leases = [];
      for (const job of [a!, b!, c!, d!])
        leases.push(await claimOne(ctx, { types: [job.type], leaseMs: 1000 }));
      const [la, lb, , ld] = leases;
      await ctx.adapter.heartbeat({
        workerId: 'worker-a',
        leases: [
          { id: la!.id, leaseToken: la!.leaseToken, started: true },
          { id: lb!.id, leaseToken: lb!.leaseToken, started: false },
          { id: ld!.id, leaseToken: ld!.leaseToken }, // no flag: started
        ],
        leaseMs: 1000,
        now: T0 + 100,
      });
      // A later heartbeat that lists `a` as not started does not take its start back.
      await ctx.adapter.heartbeat({
        workerId: 'worker-a',
        leases: [{ id: la!.id, leaseToken: la!.leaseToken, started: false }],
        leaseMs: 1000,
        now: T0 + 200,
      });
      const taken = await recoveredFacts(ctx, T0 + 1200);
      checkEqual(
        [a, b, c, d].map((job) => facts(taken.get(job!.id))),
        [
          [true, 0],
          [false, 0],
          [false, 0],
          [true, 0],
        ],
        '[startReported, crashRefunds] of the jobs handed back (started, not started, never listed, no flag)',
      );
    },
  },
  {
    id: 'crash-refunds/per-lease',
    title: 'the start fact belongs to one lease: a take-over keeps it, the next claim starts unreported',
    requires: 'crashRefunds',
    async run(ctx) {
      await enqueueJobs(ctx, [newJobRecord({ maxAttempts: 5 })]);
      const job = await claimOne(ctx, { leaseMs: 1000 });
      await ctx.adapter.heartbeat({
        workerId: 'worker-a',
        leases: [{ id: job.id, leaseToken: job.leaseToken, started: true }],
        leaseMs: 1000,
        now: T0 + 100,
      });
      const first = (await recoveredFacts(ctx, T0 + 1100)).get(job.id);
      checkEqual(facts(first), [true, 0], 'facts of the lease reported started');
      // Nobody wrote for the recovered lease (the recoverer died too): taken over again, same facts.
      const second = (await recoveredFacts(ctx, T0 + 2100)).get(job.id);
      checkEqual(facts(second), [true, 0], 'facts after a second take-over');
      const retried = await ctx.adapter.fail(job.id, failRequest(second!, T0 + 2100, T0 + 2100));
      check(retried.ok, 'fail (retry) of the recovered job refused');
      const again = await claimOne(ctx, { now: T0 + 2200, leaseMs: 1000 });
      checkEqual(again.id, job.id, 'the retried job, claimed again');
      const third = (await recoveredFacts(ctx, T0 + 3200)).get(job.id);
      checkEqual(facts(third), [false, 0], 'facts of the new lease, never reported started');
    },
  },
  {
    id: 'crash-refunds/count',
    title:
      'release with crashRefund gives the attempt back and counts 1 more crash refund; other writes keep the count',
    requires: 'crashRefunds',
    async run(ctx) {
      const [record] = await enqueueJobs(ctx, [newJobRecord({ maxAttempts: 5 })]);
      let now = T0;
      /** Claim the job, let its lease expire, take it over: its facts. */
      const crash = async () => {
        await claimOne(ctx, { now, leaseMs: 1000 });
        now += 1000;
        const taken = (await recoveredFacts(ctx, now)).get(record!.id);
        check(taken !== undefined, 'the expired job was not handed back');
        return taken;
      };
      const first = await crash();
      checkEqual(facts(first), [false, 0], 'facts at the first crash');
      checkEqual(
        await ctx.adapter.release(first.id, {
          leaseToken: first.leaseToken,
          now,
          to: 'queued',
          runAt: first.runAt,
          refundAttempt: true,
          crashRefund: true,
        }),
        { ok: true, status: 'queued' },
        'answer of the crash refund',
      );
      const refunded = await mustExist(ctx, first.id);
      checkEqual([refunded.status, refunded.attempt], ['queued', 0], 'the job after its crash refund');
      const second = await crash();
      checkEqual(facts(second), [false, 1], 'facts at the second crash (one refund so far)');
      // A release without crashRefund (a stop, a snooze) and a failed attempt keep the count.
      check(
        (
          await ctx.adapter.release(second.id, {
            leaseToken: second.leaseToken,
            now,
            to: 'queued',
            runAt: now,
            refundAttempt: true,
          })
        ).ok,
        'plain release refused',
      );
      const third = await crash();
      checkEqual(facts(third), [false, 1], 'facts after a plain release');
      check((await ctx.adapter.fail(third.id, failRequest(third, now, now))).ok, 'fail (retry) refused');
      const fourth = await crash();
      checkEqual(facts(fourth), [false, 1], 'facts after a failed attempt');
    },
  },
];
