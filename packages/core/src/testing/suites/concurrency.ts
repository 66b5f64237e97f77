import { check, checkEqual } from '../assert.js';
import { enqueueJobs, LEASE_MS, newJobRecord, recoverRequest, T0 } from '../fixtures.js';
import type { ConformanceCheck } from '../types.js';

const JOBS = 120;
const CLAIMERS = 16;

/** Concurrency: parallel claimers and parallel recoveries never hand out a job twice. */
export const concurrencyChecks: ConformanceCheck[] = [
  {
    id: 'concurrency/parallel-claims',
    title: `${CLAIMERS} parallel claimers never get the same job, and together get every job`,
    async run(ctx) {
      await enqueueJobs(
        ctx,
        Array.from({ length: JOBS }, (_, i) => newJobRecord({ priority: i % 3, createdAt: T0 - i })),
      );
      const seen = new Map<string, string>();
      const tokens = new Set<string>();
      // Rounds of simultaneous claims until the queue is empty: every round races all claimers.
      for (let round = 0; round < JOBS; round++) {
        const batches = await Promise.all(
          Array.from({ length: CLAIMERS }, (_, w) =>
            ctx.adapter.claim({ workerId: `w${w}`, limit: 3, leaseMs: LEASE_MS, now: T0 }),
          ),
        );
        let claimed = 0;
        batches.forEach((batch, w) => {
          for (const job of batch) {
            const previous = seen.get(job.id);
            check(previous === undefined, `job ${job.id} claimed by w${w} and by ${previous}`);
            seen.set(job.id, `w${w}`);
            tokens.add(job.leaseToken);
            claimed++;
          }
        });
        if (claimed === 0) break;
      }
      checkEqual(seen.size, JOBS, 'jobs claimed in total');
      checkEqual(tokens.size, JOBS, 'distinct lease tokens');
    },
  },
  {
    id: 'concurrency/parallel-recovery',
    title: 'parallel recoverExpiredLeases calls hand each expired job to exactly one caller',
    async run(ctx) {
      await enqueueJobs(
        ctx,
        Array.from({ length: 20 }, () => newJobRecord({ maxAttempts: 5 })),
      );
      const claimed = await ctx.adapter.claim({ workerId: 'w', limit: 20, leaseMs: 1000, now: T0 });
      checkEqual(claimed.length, 20, 'jobs claimed');
      const results = await Promise.all(
        Array.from({ length: 6 }, () => ctx.adapter.recoverExpiredLeases(recoverRequest(T0 + 1000))),
      );
      const taken = results.flatMap((r) => r.map((job) => job.id));
      checkEqual(new Set(taken).size, taken.length, 'jobs taken over by more than one call');
      checkEqual(taken.length, 20, 'jobs taken over in total');
      const tokens = new Set(results.flatMap((r) => r.map((job) => job.leaseToken)));
      checkEqual(tokens.size, 20, 'distinct lease tokens of the jobs taken over');
    },
  },
];
