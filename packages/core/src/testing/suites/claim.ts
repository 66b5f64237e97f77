import { check, checkEqual } from '../assert.js';
import { claimOne, enqueueJob, enqueueJobs, LEASE_MS, mustExist, newJobRecord, T0 } from '../fixtures.js';
import type { ConformanceCheck } from '../types.js';

/** Claim: order, run-at, filters, limit, and what a claim writes. */
export const claimChecks: ConformanceCheck[] = [
  {
    id: 'claim/order',
    title: 'claims higher priority first, then the oldest',
    async run(ctx) {
      const [low, highNew, highOld, mid] = await enqueueJobs(ctx, [
        newJobRecord({ priority: 0, createdAt: T0 - 4000, runAt: T0 - 4000 }),
        newJobRecord({ priority: 10, createdAt: T0 - 1000, runAt: T0 - 1000 }),
        newJobRecord({ priority: 10, createdAt: T0 - 3000, runAt: T0 - 3000 }),
        newJobRecord({ priority: 5, createdAt: T0 - 2000, runAt: T0 - 2000 }),
      ]);
      const order: string[] = [];
      for (let i = 0; i < 4; i++) order.push((await claimOne(ctx)).id);
      checkEqual(order, [highOld!.id, highNew!.id, mid!.id, low!.id], 'claim order one by one');
    },
  },
  {
    id: 'claim/order-batch',
    title: 'a batch claim returns jobs in claim order',
    async run(ctx) {
      const jobs = await enqueueJobs(
        ctx,
        [3, 1, 4, 1, 5, 9, 2, 6].map((priority, i) => newJobRecord({ priority, createdAt: T0 - 100 + i })),
      );
      const claimed = await ctx.adapter.claim({ workerId: 'w', limit: 8, leaseMs: LEASE_MS, now: T0 });
      const expected = [...jobs].sort((a, b) => b.priority - a.priority || a.createdAt - b.createdAt);
      checkEqual(
        claimed.map((j) => j.id),
        expected.map((j) => j.id),
        'batch claim order',
      );
    },
  },
  {
    id: 'claim/run-at',
    title: 'does not claim a job before its runAt, and claims it from runAt on',
    async run(ctx) {
      const job = await enqueueJob(ctx, { runAt: T0 + 60_000 });
      const early = await ctx.adapter.claim({
        workerId: 'w',
        limit: 10,
        leaseMs: LEASE_MS,
        now: T0 + 59_999,
      });
      checkEqual(early.length, 0, 'jobs claimed before their runAt');
      const due = await claimOne(ctx, { now: T0 + 60_000 });
      checkEqual(due.id, job.id, 'the delayed job once due');
    },
  },
  {
    id: 'claim/filters',
    title: 'claims only the requested types and queues',
    async run(ctx) {
      const [a, b, c] = await enqueueJobs(ctx, [
        newJobRecord({ type: 'alpha', queue: 'q1', priority: 1 }),
        newJobRecord({ type: 'beta', queue: 'q1', priority: 2 }),
        newJobRecord({ type: 'alpha', queue: 'q2', priority: 3 }),
      ]);
      const byType = await ctx.adapter.claim({
        workerId: 'w',
        types: ['alpha'],
        queues: ['q1'],
        limit: 10,
        leaseMs: LEASE_MS,
        now: T0,
      });
      checkEqual(
        byType.map((j) => j.id),
        [a!.id],
        'claim with types [alpha] and queues [q1]',
      );
      const byQueue = await ctx.adapter.claim({
        workerId: 'w',
        queues: ['q2'],
        limit: 10,
        leaseMs: LEASE_MS,
        now: T0,
      });
      checkEqual(
        byQueue.map((j) => j.id),
        [c!.id],
        'claim with queues [q2]',
      );
      const none = await ctx.adapter.claim({
        workerId: 'w',
        types: ['gamma'],
        limit: 10,
        leaseMs: LEASE_MS,
        now: T0,
      });
      checkEqual(none.length, 0, 'claim of a type that has no jobs');
      checkEqual((await mustExist(ctx, b!.id)).status, 'queued', 'a job outside the filters stays queued');
    },
  },
  {
    id: 'claim/limit',
    title: 'claims at most limit jobs',
    async run(ctx) {
      await enqueueJobs(
        ctx,
        Array.from({ length: 5 }, () => newJobRecord()),
      );
      const first = await ctx.adapter.claim({ workerId: 'w', limit: 3, leaseMs: LEASE_MS, now: T0 });
      checkEqual(first.length, 3, 'jobs claimed with limit 3 out of 5');
      const rest = await ctx.adapter.claim({ workerId: 'w', limit: 3, leaseMs: LEASE_MS, now: T0 });
      checkEqual(rest.length, 2, 'jobs claimed with limit 3 out of the 2 left');
    },
  },
  {
    id: 'claim/lease',
    title: 'a claim leases the job: running, attempt + 1, owner, expiry, startedAt, a fresh token',
    async run(ctx) {
      const job = await enqueueJob(ctx);
      const claimed = await claimOne(ctx, { now: T0 + 5, workerId: 'worker-x', leaseMs: 1234 });
      checkEqual(
        {
          status: claimed.status,
          attempt: claimed.attempt,
          leaseOwner: claimed.leaseOwner,
          leaseExpiresAt: claimed.leaseExpiresAt,
          startedAt: claimed.startedAt,
        },
        {
          status: 'running',
          attempt: 1,
          leaseOwner: 'worker-x',
          leaseExpiresAt: T0 + 5 + 1234,
          startedAt: T0 + 5,
        },
        'the claimed job',
      );
      check(
        typeof claimed.leaseToken === 'string' && claimed.leaseToken.length > 0,
        'claim issued no lease token',
      );
      const stored = await mustExist(ctx, job.id);
      checkEqual(
        {
          status: stored.status,
          attempt: stored.attempt,
          leaseOwner: stored.leaseOwner,
          leaseExpiresAt: stored.leaseExpiresAt,
        },
        { status: 'running', attempt: 1, leaseOwner: 'worker-x', leaseExpiresAt: T0 + 5 + 1234 },
        'the stored job after its claim',
      );
    },
  },
  {
    id: 'claim/unique-tokens',
    title: 'every claim issues a new token, even for the same job and attempt',
    async run(ctx) {
      await enqueueJobs(
        ctx,
        Array.from({ length: 3 }, () => newJobRecord()),
      );
      const tokens = new Set<string>();
      const claimed = await ctx.adapter.claim({ workerId: 'w', limit: 3, leaseMs: LEASE_MS, now: T0 });
      for (const job of claimed) tokens.add(job.leaseToken);
      // Released with the attempt refunded, the job is claimed again at the same attempt number.
      const first = claimed[0]!;
      check(
        (
          await ctx.adapter.release(first.id, {
            leaseToken: first.leaseToken,
            now: T0,
            to: 'queued',
            refundAttempt: true,
          })
        ).ok,
        'release with a valid token returned false',
      );
      const again = await claimOne(ctx, { now: T0 });
      checkEqual(again.attempt, first.attempt, 'attempt after a refunded release and a new claim');
      tokens.add(again.leaseToken);
      checkEqual(tokens.size, 4, 'distinct lease tokens over 4 claims');
    },
  },
  {
    id: 'claim/not-queued',
    title: 'never claims paused, running, completed, failed or cancelled jobs',
    async run(ctx) {
      const paused = await enqueueJob(ctx, { priority: 9 });
      const r = await ctx.adapter.transition(paused.id, { from: ['queued'], to: 'paused', now: T0 });
      check(r.ok, 'transition queued → paused refused');
      await enqueueJob(ctx);
      const running = await claimOne(ctx);
      checkEqual(running.status, 'running', 'the only queued job');
      const more = await ctx.adapter.claim({ workerId: 'w', limit: 10, leaseMs: LEASE_MS, now: T0 + 1 });
      checkEqual(more.length, 0, 'jobs claimed among paused and running ones');
      const resumed = await ctx.adapter.transition(paused.id, {
        from: ['paused'],
        to: 'queued',
        now: T0 + 2,
        increment: ['resumeCount'],
      });
      check(resumed.ok, 'transition paused → queued refused');
      checkEqual((await claimOne(ctx, { now: T0 + 2 })).id, paused.id, 'the resumed job is claimable');
    },
  },
];
