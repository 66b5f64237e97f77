import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../errors/redrive-error.js';
import { JOB_STATUSES, type Job, type JobStatus } from '../job/job.js';
import { createQueue } from '../queue/create-queue.js';
import { JOB_ACTIONS, type JobAction } from '../queue/transitions.js';
import { describeEachAdapter, setup, T0 } from './e2e-harness.js';

describeEachAdapter('queue', () => {
  type Ctx = ReturnType<typeof setup>;

  /** Put a fresh job in `status` through the queue and the adapter contract. */
  async function jobIn(ctx: Ctx, status: JobStatus, extra: { tenantId?: string | null } = {}): Promise<Job> {
    const { queue, adapter, clock } = ctx;
    const job = await queue.enqueue('t', { n: 1 }, { tenantId: extra.tenantId ?? null });
    if (status === 'queued') return job;
    if (status === 'paused') return queue.pauseJob(job.id, 'by test');
    if (status === 'cancelled') return queue.cancelJob(job.id);
    const [claimed] = await adapter.claim({
      workerId: 'w',
      limit: 1,
      leaseMs: 60_000,
      now: clock.now(),
      types: ['t'],
    });
    if (!claimed || claimed.id !== job.id) throw new Error('claimed another job');
    if (status === 'completed')
      await adapter.complete(job.id, { leaseToken: claimed.leaseToken, result: 1, now: clock.now() });
    if (status === 'failed') {
      await adapter.fail(job.id, {
        leaseToken: claimed.leaseToken,
        now: clock.now(),
        error: { message: 'bad input', stack: null, category: 'permanent_validation' },
        outcome: { kind: 'dead', requiresUserAction: true, suggestedAction: 'fix it' },
        history: {
          attempt: 1,
          error: 'bad input',
          stack: null,
          errorCategory: 'permanent_validation',
          delayMs: 0,
          deadLettered: true,
          timestamp: clock.now(),
        },
        historyLimit: 25,
      });
    }
    return queue.getJob(job.id);
  }

  const act = async (ctx: Ctx, action: JobAction, id: string): Promise<unknown> => {
    const q = ctx.queue;
    switch (action) {
      case 'pause':
        return q.pauseJob(id);
      case 'resume':
        return q.resumeJob(id);
      case 'cancel':
        return q.cancelJob(id);
      case 'retry':
        return q.retryJob(id);
      case 'restart':
        return q.restartJob(id);
      case 'delete':
        return q.deleteJob(id);
      case 'redrive': {
        // By ids, a refusal is listed in `failed` (not thrown): surface it like the other actions.
        const result = await q.deadLetters.redrive([id]);
        const refused = result.failed[0];
        if (refused) throw Object.assign(new Error(refused.message), { code: refused.code });
        expect(result.succeeded).toEqual([id]);
        return result;
      }
    }
  };

  describe('guarded state machine (every action × every status)', () => {
    const R = 'refused';
    const D = 'deleted';
    /** What each action does from each status, written out: a changed rule must change this table. */
    // biome-ignore format: the matrix reads as a table
    const EXPECTED: Record<JobAction, [JobStatus | 'refused' | 'deleted', ...(JobStatus | 'refused' | 'deleted')[]]> = {
      //          queued       running      paused       completed    failed       cancelled
      pause:   [ 'paused',    R,           R,           R,           R,           R          ], // running: no pause-safe checkpoint here
      resume:  [ R,           R,           'queued',    R,           R,           R          ],
      cancel:  [ 'cancelled', 'cancelled', 'cancelled', R,           R,           R          ],
      retry:   [ R,           R,           R,           R,           'queued',    'queued'   ],
      restart: [ R,           R,           R,           'queued',    'queued',    'queued'   ],
      delete:  [ D,           R,           D,           D,           D,           D          ],
      redrive: [ R,           R,           R,           R,           'queued',    R          ],
    };
    const COLUMNS: JobStatus[] = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled'];

    it('the table covers every action and every status', () => {
      expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(JOB_ACTIONS).sort());
      expect([...COLUMNS].sort()).toEqual([...JOB_STATUSES].sort());
    });

    for (const [action, row] of Object.entries(EXPECTED) as Array<[JobAction, string[]]>) {
      COLUMNS.forEach((status, column) => {
        const expected = row[column]!;
        it(`${action} on a ${status} job ${expected === R ? 'is refused and changes nothing' : `→ ${expected}`}`, async () => {
          const ctx = setup();
          const job = await jobIn(ctx, status);
          const before = await ctx.queue.getJob(job.id);
          if (expected === R) {
            const code = action === 'redrive' ? 'NOT_FOUND' : 'INVALID_STATE';
            await expect(act(ctx, action, job.id)).rejects.toMatchObject({ code });
            expect(await ctx.queue.getJob(job.id)).toEqual(before);
            return;
          }
          await act(ctx, action, job.id);
          if (expected === D) {
            await expect(ctx.queue.getJob(job.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
            return;
          }
          expect((await ctx.queue.getJob(job.id)).status).toBe(expected);
        });
      });
    }

    it('an action whose job changed after it was read is refused with InvalidStateError, the other change kept', async () => {
      const ctx = setup();
      const job = await ctx.queue.enqueue('t', { n: 1 });
      // Someone cancels the job between the pause's read and its write.
      const getJob = ctx.adapter.getJob;
      ctx.adapter.getJob = async (id) => {
        const seen = await getJob.call(ctx.adapter, id);
        ctx.adapter.getJob = getJob;
        await ctx.queue.cancelJob(id);
        return seen;
      };
      await expect(ctx.queue.pauseJob(job.id)).rejects.toMatchObject({
        code: 'INVALID_STATE',
        status: 'cancelled',
      });
      expect(await ctx.queue.getJob(job.id)).toMatchObject({ status: 'cancelled', pausedAt: null });
    });

    it('retry from failed is a redrive: attempt reset, redriveCount + 1, history kept', async () => {
      const ctx = setup();
      const job = await jobIn(ctx, 'failed');
      const retried = await ctx.queue.retryJob(job.id);
      expect(retried).toMatchObject({
        status: 'queued',
        attempt: 0,
        redriveCount: 1,
        requiresUserAction: false,
      });
      expect(await ctx.queue.getRetryHistory(job.id)).toHaveLength(1);
    });

    it('retry from cancelled does not count as a redrive', async () => {
      const ctx = setup();
      const job = await jobIn(ctx, 'cancelled');
      expect(await ctx.queue.retryJob(job.id)).toMatchObject({ status: 'queued', redriveCount: 0 });
    });

    it('restart clears attempt, checkpoint, progress and result', async () => {
      const ctx = setup();
      const job = await jobIn(ctx, 'completed');
      const restarted = await ctx.queue.restartJob(job.id);
      expect(restarted).toMatchObject({
        status: 'queued',
        attempt: 0,
        result: null,
        progress: null,
        checkpoint: null,
        completedAt: null,
      });
    });

    it('pause of a queued job is immediate; resume counts and keeps a run-at still ahead', async () => {
      const ctx = setup();
      const job = await ctx.queue.enqueue('t', {}, { delayMs: 60_000 });
      const events: string[] = [];
      ctx.queue.on('paused', () => events.push('paused'));
      ctx.queue.on('resumed', () => events.push('resumed'));
      expect(await ctx.queue.pauseJob(job.id, 'hold')).toMatchObject({
        status: 'paused',
        pauseReason: 'hold',
        pausedAt: T0,
      });
      await ctx.clock.advance(10);
      expect(await ctx.queue.resumeJob(job.id)).toMatchObject({
        status: 'queued',
        resumeCount: 1,
        resumedAt: T0 + 10,
        runAt: T0 + 60_000, // a delayed job is never claimed before its run-at
      });
      expect(events).toEqual(['paused', 'resumed']);
      expect(await ctx.adapter.claim({ workerId: 'w', limit: 1, leaseMs: 1000, now: T0 + 59_999 })).toEqual(
        [],
      );
      expect(
        await ctx.adapter.claim({ workerId: 'w', limit: 1, leaseMs: 1000, now: T0 + 60_000 }),
      ).toHaveLength(1);
    });

    it('resume of a job whose run-at has passed makes it due at once', async () => {
      const ctx = setup();
      const job = await ctx.queue.enqueue('t', {}, { delayMs: 100 });
      await ctx.queue.pauseJob(job.id, 'hold');
      await ctx.clock.advance(1000);
      await ctx.queue.resumeJob(job.id);
      const [claimed] = await ctx.adapter.claim({ workerId: 'w', limit: 1, leaseMs: 1000, now: T0 + 1000 });
      expect(claimed?.id).toBe(job.id);
    });
  });

  describe('enqueue', () => {
    it('fills defaults from the policy and the options', async () => {
      const { queue } = setup({
        policies: { mail: { maxAttempts: 7, priority: 3, queue: 'mail', timeoutMs: 900 } },
      });
      const job = await queue.enqueue(
        'mail',
        { to: 'a@b.c' },
        { title: 'Welcome', metadata: { k: 1 }, tenantId: 'acme' },
      );
      expect(job).toMatchObject({
        type: 'mail',
        queue: 'mail',
        status: 'queued',
        priority: 3,
        maxAttempts: 7,
        timeoutMs: 900,
        title: 'Welcome',
        metadata: { k: 1 },
        tenantId: 'acme',
        attempt: 0,
        runAt: T0,
        createdAt: T0,
      });
      const other = await queue.enqueue('other', null, {
        maxRetries: 2,
        priority: -1,
        runAt: new Date(T0 + 5000),
      });
      expect(other).toMatchObject({
        maxAttempts: 2,
        priority: -1,
        runAt: T0 + 5000,
        queue: 'default',
        timeoutMs: null,
      });
    });

    it('takes maxAttempts or its alias maxRetries, and refuses both with different values', async () => {
      const { queue } = setup({ policies: { t: { maxRetries: 4 } } });
      expect((await queue.enqueue('t', null)).maxAttempts).toBe(4);
      expect((await queue.enqueue('t', null, { maxAttempts: 2, maxRetries: 2 })).maxAttempts).toBe(2);
      const before = (await queue.listJobs()).jobs.length;
      const error = await queue
        .enqueue('t', null, { maxAttempts: 2, maxRetries: 3 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]?.path).toBe('maxAttempts');
      expect((error as ValidationError).message).toMatch(/maxAttempts: must equal maxRetries/);
      expect((await queue.listJobs()).jobs.length).toBe(before);
    });

    it('delays with delayMs and honours idempotency keys while the job is live', async () => {
      const { queue } = setup();
      const a = await queue.enqueue('t', 1, { delayMs: 1000, idempotencyKey: 'k' });
      const b = await queue.enqueue('t', 2, { idempotencyKey: 'k' });
      expect(a.runAt).toBe(T0 + 1000);
      expect(b.id).toBe(a.id);
      expect(b.payload).toBe(1);
      await queue.cancelJob(a.id);
      const c = await queue.enqueue('t', 3, { idempotencyKey: 'k' });
      expect(c.id).not.toBe(a.id);
    });

    it('enqueueMany stores all items in one call, or none when one is bad', async () => {
      const { queue } = setup({ policies: { strict: { schema: z.object({ n: z.number() }) } } });
      const jobs = await queue.enqueueMany([
        { type: 'a', payload: 1 },
        { type: 'b', payload: 2, options: { priority: 5 } },
      ]);
      expect(jobs.map((j) => [j.type, j.priority])).toEqual([
        ['a', 0],
        ['b', 5],
      ]);
      await expect(
        queue.enqueueMany([
          { type: 'strict', payload: { n: 1 } },
          { type: 'strict', payload: { n: 'x' } },
        ]),
      ).rejects.toMatchObject({
        name: 'ValidationError',
        message: expect.stringContaining('enqueueMany.items.1.payload.n'),
      });
      expect((await queue.stats()).total).toBe(2);
    });
  });

  describe('bad input: typed errors naming the field, nothing written', () => {
    const cases: Array<[string, (q: ReturnType<typeof setup>['queue']) => Promise<unknown>, string]> = [
      ['negative delay', (q) => q.enqueue('t', {}, { delayMs: -1 }), 'delayMs'],
      ['runAt and delayMs together', (q) => q.enqueue('t', {}, { runAt: T0, delayMs: 5 }), 'delayMs'],
      ['empty type', (q) => q.enqueue('', {}), 'type'],
      ['unknown option', (q) => q.enqueue('t', {}, { prority: 1 } as never), 'prority'],
      ['fractional priority', (q) => q.enqueue('t', {}, { priority: 1.5 }), 'priority'],
      ['maxAttempts 0', (q) => q.enqueue('t', {}, { maxAttempts: 0 }), 'maxAttempts'],
      ['payload failing its schema', (q) => q.enqueue('typed', { email: 'nope' }), 'payload.email'],
      ['enqueueMany with a non-array', (q) => q.enqueueMany('x' as never), 'items'],
      ['list limit 0', (q) => q.listJobs({ limit: 0 }), 'limit'],
      ['unknown status filter', (q) => q.listJobs({ status: 'done' as never }), 'status'],
      ['bulk with unknown action', (q) => q.bulk('explode' as never, {}, 10), 'action'],
      ['purge with a negative age', (q) => q.deadLetters.purge({ olderThanMs: -5 }), 'olderThanMs'],
      ['redrive with an empty id', (q) => q.deadLetters.redrive(['']), 'ids'],
      ['a malformed scope', (q) => q.getJob('x', { tenant: 'a' } as never), 'tenant'],
    ];
    for (const [name, call, field] of cases) {
      it(`${name} → ValidationError naming ${field}`, async () => {
        const { queue } = setup({ policies: { typed: { schema: z.object({ email: z.string().email() }) } } });
        const error = await call(queue).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).message).toContain(field);
        expect((error as ValidationError).message).toMatch(/^\[redrive\]/);
        expect((await queue.stats()).total).toBe(0);
      });
    }

    it('rejects a bad policy at createQueue, naming the policy and field', () => {
      const { adapter } = setup();
      expect(() => createQueue({ adapter, policies: { mail: { maxRetries: 0 } } })).toThrow(
        /policies\.mail\.maxRetries/,
      );
      expect(() => createQueue({ adapter, policies: { mail: { timeoutMs: -1 } } })).toThrow(/timeoutMs/);
      expect(() => createQueue({ adapter, policies: { mail: { backoff: 5 as never } } })).toThrow(/backoff/);
      expect(() => createQueue({ adapter: {} as never })).toThrow(/adapter/);
      expect(() => createQueue({ adapter, historyLimit: 0 })).toThrow(/historyLimit/);
      expect(() => createQueue({ adapter, polices: {} } as never)).toThrow(/polices/);
    });

    it('unknown job ids → NotFoundError for every read and action', async () => {
      const { queue } = setup();
      const missing = 'no-such-job';
      for (const call of [
        () => queue.getJob(missing),
        () => queue.getRetryHistory(missing),
        () => queue.pauseJob(missing),
        () => queue.resumeJob(missing),
        () => queue.cancelJob(missing),
        () => queue.retryJob(missing),
        () => queue.restartJob(missing),
        () => queue.deleteJob(missing),
        () => queue.deadLetters.get(missing),
      ]) {
        await expect(call()).rejects.toMatchObject({ name: 'NotFoundError', code: 'NOT_FOUND' });
      }
      expect(await queue.deadLetters.redrive([missing])).toMatchObject({
        succeeded: [],
        failed: [{ id: missing, code: 'NOT_FOUND' }],
      });
    });

    it('redrive / delete by ids apply to the dead letters and list the other ids in failed', async () => {
      const ctx = setup();
      const dead = await jobIn(ctx, 'failed');
      const alsoDead = await jobIn(ctx, 'failed');
      const live = await jobIn(ctx, 'queued');
      const redriven = await ctx.queue.deadLetters.redrive([dead.id, 'nope', live.id]);
      expect(redriven).toEqual({
        succeeded: [dead.id],
        failed: [
          { id: 'nope', code: 'NOT_FOUND', message: expect.any(String) },
          { id: live.id, code: 'NOT_FOUND', message: expect.stringContaining('not a dead letter') },
        ],
      });
      expect((await ctx.queue.getJob(dead.id)).status).toBe('queued');
      expect((await ctx.queue.getJob(live.id)).status).toBe('queued');
      const deleted = await ctx.queue.deadLetters.delete([alsoDead.id, live.id]);
      expect(deleted.succeeded).toEqual([alsoDead.id]);
      expect(deleted.failed.map((f) => [f.id, f.code])).toEqual([[live.id, 'NOT_FOUND']]);
      expect((await ctx.queue.getJob(live.id)).status).toBe('queued');
    });
  });

  describe('tenant scope', () => {
    it("another tenant's job behaves exactly like a missing one; listings and stats are restricted", async () => {
      const ctx = setup();
      const mine = await jobIn(ctx, 'queued', { tenantId: 'a' });
      const theirs = await jobIn(ctx, 'queued', { tenantId: 'b' });
      const a = { tenantId: 'a' };
      expect((await ctx.queue.getJob(mine.id, a)).id).toBe(mine.id);
      await expect(ctx.queue.getJob(theirs.id, a)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(ctx.queue.cancelJob(theirs.id, a)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await ctx.queue.getJob(theirs.id)).status).toBe('queued');
      expect((await ctx.queue.listJobs({}, a)).jobs.map((j) => j.id)).toEqual([mine.id]);
      expect((await ctx.queue.listJobs({ tenantId: 'b' }, a)).jobs.map((j) => j.id)).toEqual([mine.id]);
      expect((await ctx.queue.stats({}, a)).total).toBe(1);
      const created = await ctx.queue.enqueue('t', {}, { tenantId: 'b' }, a);
      expect(created.tenantId).toBe('a');
      const bulk = await ctx.queue.bulk('cancel', {}, 100, a);
      expect(bulk.succeeded.sort()).toEqual([mine.id, created.id].sort());
      expect((await ctx.queue.getJob(theirs.id)).status).toBe('queued');
    });

    it('DLQ operations are scoped too', async () => {
      const ctx = setup();
      const mine = await jobIn(ctx, 'failed', { tenantId: 'a' });
      const theirs = await jobIn(ctx, 'failed', { tenantId: 'b' });
      const a = { tenantId: 'a' };
      expect((await ctx.queue.deadLetters.list({}, a)).deadLetters.map((d) => d.id)).toEqual([mine.id]);
      expect(await ctx.queue.deadLetters.count({}, a)).toBe(1);
      await expect(ctx.queue.deadLetters.get(theirs.id, a)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await ctx.clock.advance(8 * 24 * 3600_000);
      expect(await ctx.queue.deadLetters.purge({}, a)).toEqual({ deleted: 1 });
      expect((await ctx.queue.getJob(theirs.id)).status).toBe('failed');
    });
  });

  describe('reads, DLQ, bulk, stats, health', () => {
    it('lists newest first with keyset pagination and text search', async () => {
      const { queue, clock } = setup();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await queue.enqueue('report', { i }, { title: `Report ${i}` })).id);
        await clock.advance(1);
      }
      const p1 = await queue.listJobs({ limit: 2 });
      const p2 = await queue.listJobs({ limit: 2, cursor: p1.nextCursor });
      const p3 = await queue.listJobs({ limit: 2, cursor: p2.nextCursor });
      expect([...p1.jobs, ...p2.jobs, ...p3.jobs].map((j) => j.id)).toEqual([...ids].reverse());
      expect(p3.nextCursor).toBeNull();
      expect((await queue.listJobs({ q: 'report 3' })).jobs.map((j) => j.id)).toEqual([ids[3]]);
    });

    it('DLQ: list with filters, delete by filter, purge by age, count', async () => {
      const ctx = setup();
      const d1 = await jobIn(ctx, 'failed');
      await ctx.clock.advance(3 * 24 * 3600_000);
      const d2 = await jobIn(ctx, 'failed');
      const listed = await ctx.queue.deadLetters.list({ errorCategory: 'permanent_validation' });
      expect(listed.deadLetters.map((d) => d.id)).toEqual([d2.id, d1.id]);
      expect(listed.deadLetters[0]).toMatchObject({
        requiresUserAction: true,
        suggestedAction: 'fix it',
        attempts: 1,
      });
      expect(await ctx.queue.deadLetters.count()).toBe(2);
      await ctx.clock.advance(5 * 24 * 3600_000); // d1 is now 8 days old, d2 5 days
      expect(await ctx.queue.deadLetters.purge()).toEqual({ deleted: 1 });
      expect(await ctx.queue.deadLetters.count()).toBe(1);
      expect(await ctx.queue.deadLetters.delete({ filter: { type: 't' } })).toEqual({
        succeeded: [d2.id],
        failed: [],
      });
      expect(await ctx.queue.deadLetters.count()).toBe(0);
    });

    it('redrive by filter honours the limit', async () => {
      const ctx = setup();
      for (let i = 0; i < 3; i++) await jobIn(ctx, 'failed');
      const result = await ctx.queue.deadLetters.redrive({ filter: { type: 't' } }, { limit: 2 });
      expect(result.succeeded).toHaveLength(2);
      expect(await ctx.queue.deadLetters.count()).toBe(1);
    });

    it('an empty set is a no-op: redrive, delete and bulk of no ids return empty results and touch nothing', async () => {
      const ctx = setup();
      const dead = await jobIn(ctx, 'failed');
      const queued = await jobIn(ctx, 'queued');
      const empty = { succeeded: [], failed: [] };
      expect(await ctx.queue.deadLetters.redrive([])).toEqual(empty);
      expect(await ctx.queue.deadLetters.redrive({ ids: [] })).toEqual(empty);
      expect(await ctx.queue.deadLetters.delete([])).toEqual(empty);
      expect(await ctx.queue.deadLetters.redrive({ filter: { type: 'nothing-of-this-type' } })).toEqual(
        empty,
      );
      for (const action of ['retry', 'cancel', 'delete'] as const)
        expect(await ctx.queue.bulk(action, { ids: [] }, 100)).toEqual(empty);
      // The common "redrive this category" code on an empty dead-letter queue:
      const { deadLetters } = await ctx.queue.deadLetters.list({ errorCategory: 'permanent_auth' });
      expect(await ctx.queue.deadLetters.redrive(deadLetters.map((d) => d.id))).toEqual(empty);
      expect((await ctx.queue.getJob(dead.id)).status).toBe('failed');
      expect((await ctx.queue.getJob(queued.id)).status).toBe('queued');
    });

    it('bulk retry / delete act on matching jobs only', async () => {
      const ctx = setup();
      const failed = await jobIn(ctx, 'failed');
      const cancelled = await jobIn(ctx, 'cancelled');
      const queued = await jobIn(ctx, 'queued');
      const retried = await ctx.queue.bulk('retry', {}, 100);
      expect(retried.succeeded.sort()).toEqual([failed.id, cancelled.id].sort());
      expect((await ctx.queue.getJob(queued.id)).status).toBe('queued');
      const deleted = await ctx.queue.bulk('delete', { ids: [queued.id] }, 100);
      expect(deleted.succeeded).toEqual([queued.id]);
    });

    it('bulk retry / cancel go through transitionMany when the adapter declares it, with the single-job patches and events', async () => {
      const ctx = setup();
      const calls = { transition: 0, transitionMany: 0 };
      for (const method of ['transition', 'transitionMany'] as const) {
        const original = ctx.adapter[method]!.bind(ctx.adapter) as (...args: never[]) => Promise<never>;
        (ctx.adapter as unknown as Record<string, unknown>)[method] = (...args: never[]) => {
          calls[method]++;
          return original(...args);
        };
      }
      const failed = await jobIn(ctx, 'failed');
      const cancelled = await jobIn(ctx, 'cancelled');
      const events: string[] = [];
      for (const event of ['redriven', 'retried', 'cancelled'] as const)
        ctx.queue.on(event, (job) => events.push(`${event}:${job.id}`));
      const before = { ...calls };
      const retried = await ctx.queue.bulk('retry', {}, 100);
      expect(retried.succeeded.sort()).toEqual([failed.id, cancelled.id].sort());
      expect(calls.transition - before.transition).toBe(0);
      expect(calls.transitionMany - before.transitionMany).toBe(2); // one per status group
      expect(events.sort()).toEqual([`redriven:${failed.id}`, `retried:${cancelled.id}`].sort());
      expect(await ctx.queue.getJob(failed.id)).toMatchObject({
        status: 'queued',
        attempt: 0,
        redriveCount: 1,
      });
      expect(await ctx.queue.getJob(cancelled.id)).toMatchObject({ status: 'queued', redriveCount: 0 });
      const limited = await ctx.queue.bulk('cancel', {}, 1);
      expect(limited.succeeded).toHaveLength(1);
    });

    it('stats count statuses, types, retries scheduled and the backlog age', async () => {
      const ctx = setup();
      await jobIn(ctx, 'completed');
      await jobIn(ctx, 'failed');
      await ctx.queue.enqueue('other', {});
      await ctx.clock.advance(2000);
      const stats = await ctx.queue.stats();
      expect(stats.counts).toMatchObject({ queued: 1, completed: 1, failed: 1, running: 0 });
      expect(stats.byType.other).toMatchObject({ queued: 1 });
      expect(stats.byType.t).toMatchObject({ completed: 1, failed: 1 });
      expect(stats.deadLetters).toBe(1);
      expect(stats.oldestQueuedAgeMs).toBe(2000);
      expect(stats.successRate).toBe(0.5);
      expect(stats.total).toBe(3);
    });

    it('health: adapter reachable, workers alive from their heartbeats', async () => {
      const ctx = setup();
      await ctx.adapter.heartbeat({ workerId: 'w1', leases: [], leaseMs: 1000, now: ctx.clock.now() });
      await ctx.clock.advance(60_000);
      await ctx.adapter.heartbeat({ workerId: 'w2', leases: [], leaseMs: 1000, now: ctx.clock.now() });
      const health = await ctx.queue.health();
      expect(health.ok).toBe(true);
      expect(health.adapter.ok).toBe(true);
      const byId = Object.fromEntries(health.workers.map((w) => [w.workerId, w.alive]));
      expect(byId).toEqual({ w1: false, w2: true });
      await ctx.adapter.close?.();
      const down = await ctx.queue.health();
      expect(down).toMatchObject({
        ok: false,
        adapter: { ok: false, error: expect.stringContaining('closed') },
      });
    });

    it('wraps store failures in AdapterError with the cause kept', async () => {
      const ctx = setup();
      await ctx.adapter.close?.();
      await expect(ctx.queue.enqueue('t', {})).rejects.toMatchObject({ code: 'ADAPTER_ERROR' });
    });
  });

  describe('enqueue refuses what a store cannot hold', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const bad: Array<[string, unknown]> = [
      ['a BigInt', 10n],
      ['a BigInt inside', { n: 10n }],
      ['a cycle', cyclic],
      ['a function', () => 1],
      ['a symbol', Symbol('x')],
      ['a BigInt deep inside', { a: { b: { c: [1n] } } }],
      [
        'a getter that throws',
        Object.defineProperty({}, 'x', {
          enumerable: true,
          get() {
            throw new Error('no');
          },
        }),
      ],
      ['a toJSON giving nothing', { toJSON: () => undefined }],
    ];
    for (const [what, payload] of bad) {
      it(`a payload with ${what}: ValidationError naming payload, nothing stored`, async () => {
        const { queue } = setup();
        await expect(queue.enqueue('t', payload)).rejects.toMatchObject({
          name: 'ValidationError',
          message: expect.stringContaining('payload'),
        });
        await expect(
          queue.enqueueMany([
            { type: 't', payload: 1 },
            { type: 't', payload },
          ]),
        ).rejects.toThrow(/enqueueMany\.items\.1\.payload/);
        expect((await queue.listJobs()).jobs).toHaveLength(0);
      });
    }

    it('metadata that is not JSON is refused naming metadata', async () => {
      const { queue } = setup();
      await expect(queue.enqueue('t', 1, { metadata: { big: 1n } })).rejects.toMatchObject({
        name: 'ValidationError',
        message: expect.stringContaining('metadata'),
      });
    });

    it('`db` is refused when the adapter does not declare transactionalEnqueue', async () => {
      const { queue } = setup();
      await expect(queue.enqueue('t', 1, { db: {} })).rejects.toMatchObject({
        name: 'ValidationError',
        message: expect.stringContaining('db'),
      });
      await expect(queue.enqueueMany([{ type: 't', payload: 1, options: { db: {} } }])).rejects.toThrow(
        ValidationError,
      );
      expect((await queue.listJobs()).jobs).toHaveLength(0);
    });
  });
});
