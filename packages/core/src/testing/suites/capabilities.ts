import type { WakeUp } from '../../adapter/storage-adapter.js';
import { check, checkEqual } from '../assert.js';
import { enqueueJobs, mustExist, newJobRecord, runningJob, T0 } from '../fixtures.js';
import type { ConformanceCheck } from '../types.js';

/** How long an asynchronous wake-up (e.g. LISTEN/NOTIFY) may take to arrive. */
const WAKE_UP_TIMEOUT_MS = 5000;
/** How long to watch for a wake-up that must not come. */
const QUIET_MS = 150;

function nextTick(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Optional capabilities: checked only for adapters that claim them. */
export const capabilityChecks: ConformanceCheck[] = [
  {
    id: 'subscribe/enqueue',
    title: 'subscribe wakes listeners on enqueue with the earliest runAt, and unsubscribe stops it',
    requires: 'subscribe',
    async run(ctx) {
      check(typeof ctx.adapter.subscribe === 'function', 'subscribe is claimed but missing');
      const received: WakeUp[] = [];
      const unsubscribe = ctx.adapter.subscribe!((wakeUp) => received.push(wakeUp));
      try {
        await enqueueJobs(ctx, [newJobRecord({ runAt: T0 + 500 }), newJobRecord({ runAt: T0 + 200 })]);
        for (let waited = 0; received.length === 0 && waited < WAKE_UP_TIMEOUT_MS; waited += 10)
          await nextTick(10);
        check(received.length > 0, `no wake-up within ${WAKE_UP_TIMEOUT_MS} ms of an enqueue`);
        const runAts = received.map((w) => w.runAt).filter((r): r is number => r !== undefined);
        // A wake-up may omit runAt; when it gives one it must not be later than the earliest job.
        for (const runAt of runAts)
          check(runAt <= T0 + 200, `a wake-up at ${runAt} is later than the earliest runAt`);
      } finally {
        unsubscribe();
      }
      const count = received.length;
      await enqueueJobs(ctx, [newJobRecord()]);
      await nextTick(QUIET_MS);
      checkEqual(received.length, count, 'wake-ups after unsubscribe');
    },
  },
  {
    id: 'workers/list',
    title: 'listWorkers lists workers seen through heartbeats since a time, with their active jobs',
    requires: 'workers',
    async run(ctx) {
      check(typeof ctx.adapter.listWorkers === 'function', 'workers is claimed but listWorkers is missing');
      const job = await runningJob(ctx, {}, { workerId: 'worker-hb' });
      await ctx.adapter.heartbeat({
        workerId: 'worker-hb',
        leases: [{ id: job.id, leaseToken: job.leaseToken }],
        leaseMs: 1000,
        now: T0 + 10,
      });
      await ctx.adapter.heartbeat({ workerId: 'worker-idle', leases: [], leaseMs: 1000, now: T0 + 5 });
      const recent = await ctx.adapter.listWorkers!({ since: T0 + 6 });
      checkEqual(
        recent,
        [{ workerId: 'worker-hb', lastSeenAt: T0 + 10, activeJobs: 1 }],
        'workers seen since T0+6',
      );
      const all = await ctx.adapter.listWorkers!({ since: T0 });
      checkEqual(all.map((w) => w.workerId).sort(), ['worker-hb', 'worker-idle'], 'workers seen since T0');
    },
  },
  {
    id: 'workers/release-worker',
    title: 'releaseWorker forgets the worker and leaves every job it holds as it is',
    requires: 'releaseWorker',
    async run(ctx) {
      check(typeof ctx.adapter.releaseWorker === 'function', 'releaseWorker is claimed but missing');
      const held = await runningJob(ctx, {}, { workerId: 'worker-stop' });
      await ctx.adapter.heartbeat({
        workerId: 'worker-stop',
        leases: [{ id: held.id, leaseToken: held.leaseToken }],
        leaseMs: 1000,
        now: T0 + 1,
      });
      await ctx.adapter.heartbeat({ workerId: 'worker-other', leases: [], leaseMs: 1000, now: T0 + 1 });
      await ctx.adapter.releaseWorker!('worker-stop', { now: T0 + 2 });
      const stored = await mustExist(ctx, held.id);
      checkEqual([stored.status, stored.attempt], ['running', 1], 'the claimed job after releaseWorker');
      check(
        (await ctx.adapter.complete(held.id, { leaseToken: held.leaseToken, result: 'done', now: T0 + 3 }))
          .ok,
        "the runner's lease no longer works after releaseWorker",
      );
      if (ctx.capabilities.workers && ctx.adapter.listWorkers) {
        const seen = await ctx.adapter.listWorkers({ since: T0 });
        checkEqual(
          seen.map((w) => w.workerId),
          ['worker-other'],
          'workers listed after releaseWorker',
        );
      }
      // An unknown worker is not an error.
      await ctx.adapter.releaseWorker!('worker-never-seen', { now: T0 + 4 });
    },
  },
  {
    id: 'workers/active-jobs-current',
    title: 'listWorkers reports activeJobs 0 once the worker has no running job, with no heartbeat since',
    requires: 'workers',
    async run(ctx) {
      const job = await runningJob(ctx, {}, { workerId: 'worker-done' });
      await ctx.adapter.heartbeat({
        workerId: 'worker-done',
        leases: [{ id: job.id, leaseToken: job.leaseToken }],
        leaseMs: 1000,
        now: T0 + 1,
      });
      check(
        (await ctx.adapter.complete(job.id, { leaseToken: job.leaseToken, result: null, now: T0 + 2 })).ok,
        'complete refused',
      );
      const seen = await ctx.adapter.listWorkers!({ since: T0 });
      checkEqual(
        seen.map((w) => [w.workerId, w.activeJobs]),
        [['worker-done', 0]],
        'activeJobs after the only job completed',
      );
    },
  },
];
