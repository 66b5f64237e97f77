import { check, checkEqual } from '../assert.js';
import { claimOne, enqueueJob, mustExist, newJobRecord, runningJob, T0 } from '../fixtures.js';
import type { ConformanceCheck } from '../types.js';

/** Enqueue: what is stored, and idempotency keys (live = queued, running or paused). */
export const enqueueChecks: ConformanceCheck[] = [
  {
    id: 'enqueue/stored',
    title: 'stores every field of the record, queued with attempt 0',
    async run(ctx) {
      const record = newJobRecord({
        type: 'email',
        queue: 'mail',
        tenantId: 'tenant-1',
        payload: { to: 'a@example.com', n: [1, 2] },
        priority: 7,
        runAt: T0 + 10,
        maxAttempts: 5,
        idempotencyKey: 'stored-key',
        timeoutMs: 1500,
        title: 'Welcome mail',
        metadata: { source: 'conformance' },
        createdAt: T0,
      });
      const [result] = await ctx.adapter.enqueue([record]);
      checkEqual(result?.created, true, 'created flag of a new job');
      const stored = await mustExist(ctx, record.id);
      const {
        id,
        type,
        queue,
        tenantId,
        payload,
        priority,
        runAt,
        maxAttempts,
        idempotencyKey,
        timeoutMs,
        title,
        metadata,
        createdAt,
      } = stored;
      checkEqual(
        {
          id,
          type,
          queue,
          tenantId,
          payload,
          priority,
          runAt,
          maxAttempts,
          idempotencyKey,
          timeoutMs,
          title,
          metadata,
          createdAt,
        },
        record,
        'the stored record',
      );
      checkEqual(
        {
          status: stored.status,
          attempt: stored.attempt,
          progress: stored.progress,
          error: stored.error,
          result: stored.result,
          leaseOwner: stored.leaseOwner,
          checkpoint: stored.checkpoint,
          resumeCount: stored.resumeCount,
          redriveCount: stored.redriveCount,
          pauseRequested: stored.pauseRequested,
          failedAt: stored.failedAt,
        },
        {
          status: 'queued',
          attempt: 0,
          progress: null,
          error: null,
          result: null,
          leaseOwner: null,
          checkpoint: null,
          resumeCount: 0,
          redriveCount: 0,
          pauseRequested: false,
          failedAt: null,
        },
        'the initial state of a new job',
      );
      checkEqual(result?.job.id, record.id, 'the job enqueue returned');
    },
  },
  {
    id: 'enqueue/idempotent-live',
    title: 'a key held by a queued, running or paused job returns that job (created: false)',
    async run(ctx) {
      const first = await enqueueJob(ctx, { idempotencyKey: 'k-live' });
      const again = await ctx.adapter.enqueue([newJobRecord({ idempotencyKey: 'k-live' })]);
      checkEqual([again[0]?.created, again[0]?.job.id], [false, first.id], 'same key while queued');
      await claimOne(ctx);
      const whileRunning = await ctx.adapter.enqueue([newJobRecord({ idempotencyKey: 'k-live' })]);
      checkEqual(
        [whileRunning[0]?.created, whileRunning[0]?.job.id],
        [false, first.id],
        'same key while running',
      );
      const paused = await enqueueJob(ctx, { idempotencyKey: 'k-paused' });
      check(
        (await ctx.adapter.transition(paused.id, { from: ['queued'], to: 'paused', now: T0 })).ok,
        'pause refused',
      );
      const whilePaused = await ctx.adapter.enqueue([newJobRecord({ idempotencyKey: 'k-paused' })]);
      checkEqual(
        [whilePaused[0]?.created, whilePaused[0]?.job.id],
        [false, paused.id],
        'same key while paused',
      );
      const page = await ctx.adapter.listJobs({ limit: 100 });
      checkEqual(page.jobs.length, 2, 'jobs stored after duplicate enqueues');
    },
  },
  {
    id: 'enqueue/idempotent-batch',
    title: 'a key repeated inside one enqueue call creates one job',
    async run(ctx) {
      const a = newJobRecord({ idempotencyKey: 'k-batch' });
      const b = newJobRecord({ idempotencyKey: 'k-batch' });
      const c = newJobRecord();
      const results = await ctx.adapter.enqueue([a, b, c]);
      checkEqual(
        results.map((r) => [r.created, r.job.id]),
        [
          [true, a.id],
          [false, a.id],
          [true, c.id],
        ],
        'results in input order',
      );
    },
  },
  {
    id: 'enqueue/idempotent-finished',
    title: 'after the job holding a key completes, fails or is cancelled, the key creates a new job',
    async run(ctx) {
      const done = await runningJob(ctx, { idempotencyKey: 'k-done' });
      check(
        (await ctx.adapter.complete(done.id, { leaseToken: done.leaseToken, result: 1, now: T0 + 1 })).ok,
        'complete refused',
      );
      const afterDone = await ctx.adapter.enqueue([newJobRecord({ idempotencyKey: 'k-done' })]);
      check(
        afterDone[0]?.created === true && afterDone[0].job.id !== done.id,
        'key of a completed job did not create a new job',
      );

      const dead = await runningJob(ctx, { idempotencyKey: 'k-dead', type: 'dead' });
      check(
        (
          await ctx.adapter.fail(dead.id, {
            leaseToken: dead.leaseToken,
            now: T0 + 2,
            error: { message: 'no', stack: null, category: 'permanent_validation' },
            outcome: { kind: 'dead', requiresUserAction: true, suggestedAction: null },
            history: {
              attempt: 1,
              error: 'no',
              stack: null,
              errorCategory: 'permanent_validation',
              delayMs: 0,
              deadLettered: true,
              timestamp: T0 + 2,
            },
            historyLimit: 25,
          })
        ).ok,
        'fail refused',
      );
      const afterDead = await ctx.adapter.enqueue([newJobRecord({ idempotencyKey: 'k-dead' })]);
      check(afterDead[0]?.created === true, 'key of a dead-lettered job did not create a new job');

      const cancelled = await enqueueJob(ctx, { idempotencyKey: 'k-cancel' });
      check(
        (await ctx.adapter.transition(cancelled.id, { from: ['queued'], to: 'cancelled', now: T0 })).ok,
        'cancel refused',
      );
      const afterCancel = await ctx.adapter.enqueue([newJobRecord({ idempotencyKey: 'k-cancel' })]);
      check(afterCancel[0]?.created === true, 'key of a cancelled job did not create a new job');
    },
  },
  {
    id: 'enqueue/idempotency-per-tenant',
    title: 'idempotency keys are unique per (tenantId, key): another tenant (or no tenant) gets its own job',
    async run(ctx) {
      const a = await enqueueJob(ctx, {
        tenantId: 'tenant-a',
        idempotencyKey: 'k-shared',
        payload: { secret: 'a' },
      });
      const [b] = await ctx.adapter.enqueue([
        newJobRecord({ tenantId: 'tenant-b', idempotencyKey: 'k-shared', payload: { secret: 'b' } }),
      ]);
      check(b !== undefined, 'enqueue returned no result');
      check(
        b.created === true && b.job.id !== a.id,
        "tenant-b's enqueue returned tenant-a's job (cross-tenant leak)",
      );
      checkEqual([b.job.tenantId, b.job.payload], ['tenant-b', { secret: 'b' }], "tenant-b's new job");
      const [none] = await ctx.adapter.enqueue([
        newJobRecord({ tenantId: null, idempotencyKey: 'k-shared' }),
      ]);
      check(
        none?.created === true && none.job.tenantId === null,
        "a job without tenant reused a tenant job's key",
      );
      const [again] = await ctx.adapter.enqueue([
        newJobRecord({ tenantId: 'tenant-a', idempotencyKey: 'k-shared' }),
      ]);
      checkEqual([again?.created, again?.job.id], [false, a.id], 'same tenant, same key');
      const [noneAgain] = await ctx.adapter.enqueue([
        newJobRecord({ tenantId: null, idempotencyKey: 'k-shared' }),
      ]);
      checkEqual([noneAgain?.created, noneAgain?.job.id], [false, none?.job.id], 'no tenant, same key');
      const page = await ctx.adapter.listJobs({ limit: 100 });
      checkEqual(page.jobs.length, 3, 'jobs stored: one per tenant space');
    },
  },
];
