import { memoryAdapter } from '@redrive/adapter-memory';
import { describe, expect, it } from 'vitest';
import type { StorageAdapter } from '../adapter/storage-adapter.js';
import { systemClock } from '../clock/clock.js';
import { ValidationError } from '../errors/redrive-error.js';
import type { JobProgress } from '../job/job.js';
import { createQueue } from '../queue/create-queue.js';
import { JobRunner } from '../runner/job-runner.js';
import { describeEachAdapter, gate, networkError, once, setup, untilAborted } from './e2e-harness.js';

describeEachAdapter('runner', () => {
  describe('JobRunner.start / stop', () => {
    it('starts jobs as soon as they are enqueued (adapter wake-up, no poll wait)', async () => {
      const { clock, queue, runner } = setup();
      const r = runner({ pollIntervalMs: 3_600_000, handlers: { t: (job) => job.payload } });
      r.start();
      await clock.settle();
      const completed = once(r, 'completed');
      const job = await queue.enqueue('t', 42);
      await completed; // the clock never moves: only the adapter's wake-up can have started it
      expect(await queue.getJob(job.id)).toMatchObject({ status: 'completed', result: 42 });
      await r.stop();
    });

    it('never runs more than `concurrency` handlers at once', async () => {
      const { clock, queue, runner } = setup();
      const release = gate();
      let running = 0;
      let peak = 0;
      const r = runner({
        concurrency: 2,
        handlers: {
          t: async () => {
            running++;
            peak = Math.max(peak, running);
            await release.promise;
            running--;
          },
        },
      });
      for (let i = 0; i < 5; i++) await queue.enqueue('t', i);
      r.start();
      await clock.settle();
      expect(running).toBe(2);
      expect((await queue.stats()).counts).toMatchObject({ running: 2, queued: 3 });
      release.open();
      await clock.settle();
      expect(peak).toBe(2);
      expect((await queue.stats()).counts.completed).toBe(5);
      await r.stop();
    });

    it('runs a delayed job when its run-at arrives, and a retry when its backoff ends', async () => {
      const { clock, queue, runner } = setup({ policies: { t: { initialDelayMs: 2000, jitter: 'none' } } });
      let runs = 0;
      const r = runner({
        pollIntervalMs: 3_600_000,
        handlers: {
          t: () => {
            runs++;
            if (runs === 1) throw networkError();
          },
        },
      });
      r.start();
      await clock.settle(); // subscribed (a database's LISTEN is up) before the enqueue's wake-up
      const job = await queue.enqueue('t', {}, { delayMs: 5000 });
      await clock.advance(4999);
      expect(runs).toBe(0);
      await clock.advance(1);
      expect(runs).toBe(1);
      await clock.advance(1999);
      expect(runs).toBe(1);
      await clock.advance(1);
      expect(runs).toBe(2);
      expect((await queue.getJob(job.id)).status).toBe('completed');
      await r.stop();
    });

    it('does not lose a wake-up that arrives while the loop is busy claiming', async () => {
      const { clock, queue, runner } = setup();
      let enqueued = 0;
      const r = runner({
        pollIntervalMs: 3_600_000,
        concurrency: 4,
        handlers: {
          t: async () => {
            // Each run adds another job while the runner is mid-flight.
            if (enqueued < 20) {
              enqueued++;
              await queue.enqueue('t', enqueued);
            }
          },
        },
      });
      await queue.enqueue('t', 0);
      r.start();
      await clock.settle();
      await clock.settle();
      expect((await queue.stats()).counts).toMatchObject({ completed: 21, queued: 0 });
      await r.stop();
    });

    it('keeps going when wake-ups arrive while a slow claim fills every slot (no busy loop)', async () => {
      // A store whose claims take a macrotask, like a database round trip: wake-ups from enqueues
      // land while the claim is in flight, and the claim then fills every slot. This used to spin
      // the pump in microtasks forever (the process froze).
      const adapter = memoryAdapter();
      const slow: StorageAdapter = Object.create(adapter);
      slow.claim = (request) =>
        new Promise((resolve) => setTimeout(() => resolve(adapter.claim(request)), 1));
      const queue = createQueue({ adapter: slow, clock: systemClock });
      let done = 0;
      const runner = new JobRunner({
        queue,
        concurrency: 2,
        pollIntervalMs: 60_000,
        handlers: {
          t: async () => {
            await new Promise((resolve) => setTimeout(resolve, 2));
            done++;
          },
        },
      });
      runner.start();
      for (let i = 0; i < 40; i++) {
        await queue.enqueue('t', i);
        if (i % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      const deadline = Date.now() + 10_000;
      while (done < 40 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      await runner.stop();
      expect(done).toBe(40);
    });

    it('stop waits for running handlers, then aborts and releases the rest (attempt counted)', async () => {
      const { clock, queue, runner } = setup();
      let reason: unknown;
      const r = runner({
        handlers: {
          quick: () => 'done',
          stuck: (_job, ctx) =>
            untilAborted(ctx.signal).catch((e) => {
              reason = e;
              return new Promise(() => {}); // and even then, never finishes
            }),
        },
      });
      const stuck = await queue.enqueue('stuck', {});
      r.start();
      await clock.settle();
      expect((await queue.getJob(stuck.id)).status).toBe('running');
      const stopped = r.stop({ timeoutMs: 5000 });
      await clock.advance(4999);
      expect((await queue.getJob(stuck.id)).status).toBe('running');
      await clock.advance(1);
      await stopped;
      expect(reason).toMatchObject({ kind: 'stopped' });
      expect(await queue.getJob(stuck.id)).toMatchObject({ status: 'queued', attempt: 1, leaseOwner: null });
      expect(r.isRunning).toBe(false);
      // Nothing is claimed after stop.
      const later = await queue.enqueue('quick', {});
      await clock.advance(10_000);
      expect((await queue.getJob(later.id)).status).toBe('queued');
    });

    it('releases jobs claimed during stop without using their attempt', async () => {
      const { clock, adapter } = setup();
      const claimGate = gate();
      const slow: StorageAdapter = Object.create(adapter);
      slow.claim = async (request) => {
        await claimGate.promise; // the claim is in flight when stop() is called
        return adapter.claim(request);
      };
      const queue = createQueue({ adapter: slow, clock });
      const job = await queue.enqueue('t', {});
      let ran = false;
      const r = new JobRunner({
        queue,
        handlers: {
          t: () => {
            ran = true;
          },
        },
      });
      r.start();
      await clock.settle();
      const stopped = r.stop();
      claimGate.open();
      await stopped;
      expect(ran).toBe(false);
      expect(await queue.getJob(job.id)).toMatchObject({ status: 'queued', attempt: 0, leaseOwner: null });
    });

    it('refuses to start twice or to drain while started; stop when idle is a no-op', async () => {
      const { runner } = setup();
      const r = runner({ handlers: { t: () => 1 } });
      await r.stop();
      r.start();
      expect(() => r.start()).toThrow(/running/);
      await expect(r.drain()).rejects.toMatchObject({ code: 'INVALID_STATE' });
      await r.stop();
      await expect(r.stop({ timeoutMs: -1 })).rejects.toBeInstanceOf(ValidationError);
    });

    it('heartbeats keep a long job leased; no other worker steals it', async () => {
      const { clock, queue, runner } = setup();
      const release = gate();
      const r = runner({ leaseMs: 1000, heartbeatMs: 300, handlers: { long: () => release.promise } });
      const other = runner({ leaseMs: 1000, heartbeatMs: 300, handlers: { long: () => 'stolen' } });
      const job = await queue.enqueue('long', {});
      r.start();
      await clock.settle();
      for (let i = 0; i < 10; i++) {
        await clock.advance(500);
        expect((await other.drain()).processed).toBe(0);
      }
      const running = await queue.getJob(job.id);
      expect(running.leaseExpiresAt).toBeGreaterThan(clock.now());
      release.open();
      await clock.settle();
      expect(await queue.getJob(job.id)).toMatchObject({ status: 'completed', attempt: 1 });
      await r.stop();
    });

    it('a cancel reaches the handler through its next progress write, without waiting for a heartbeat', async () => {
      const { clock, queue, runner } = setup();
      const step = gate();
      let abortedBy: unknown;
      const r = runner({
        heartbeatMs: 10_000,
        leaseMs: 60_000,
        progressThrottleMs: 0,
        handlers: {
          t: async (_job, ctx) => {
            await step.promise;
            await ctx.progress({ percent: 50 });
            abortedBy = ctx.signal.reason;
            ctx.signal.throwIfAborted();
          },
        },
      });
      const job = await queue.enqueue('t', {});
      r.start();
      await clock.settle();
      await queue.cancelJob(job.id);
      step.open();
      await clock.settle();
      expect(abortedBy).toMatchObject({ kind: 'cancelled' });
      expect((await queue.getJob(job.id)).status).toBe('cancelled');
      await r.stop();
    });
  });

  describe('outcomes refused by the store', () => {
    it('a job cancelled while its handler finishes is reported as cancelled, not as a lost lease', async () => {
      const { queue, runner } = setup();
      const finish = gate();
      const r = runner({ heartbeatMs: 10_000, leaseMs: 60_000, handlers: { t: () => finish.promise } });
      const job = await queue.enqueue('t', {});
      const started = once(r, 'started');
      const drained = r.drain();
      await started;
      await queue.cancelJob(job.id);
      finish.open(); // returns normally, before any heartbeat told the worker
      expect(await drained).toMatchObject({ completed: 0, cancelled: 1, leaseLost: 0 });
      expect((await queue.getJob(job.id)).status).toBe('cancelled');
    });
  });

  describe('progress', () => {
    it('throttles writes, emits every call, and always writes the last value', async () => {
      const { clock, adapter, queue, runner } = setup();
      const writes: JobProgress[] = [];
      const original = adapter.progress.bind(adapter);
      adapter.progress = async (id, request) => {
        writes.push(request.progress);
        return original(id, request);
      };
      const emitted: number[] = [];
      const step = gate();
      const r = runner({
        progressThrottleMs: 250,
        handlers: {
          t: async (_job, ctx) => {
            for (let i = 1; i <= 10; i++)
              await ctx.progress({ percent: i * 10, stage: 'embedding', details: `chunk ${i} of 10` });
            await step.promise;
          },
        },
      });
      r.on('progress', (_job, p) => emitted.push(p.percent));
      const job = await queue.enqueue('t', {});
      const started = once(r, 'started');
      const drained = r.drain();
      await started;
      await clock.settle();
      expect(writes.map((w) => w.percent)).toEqual([10]);
      await clock.advance(250); // the throttle timer writes the latest value
      expect(writes.map((w) => w.percent)).toEqual([10, 100]);
      step.open();
      await drained;
      expect(emitted).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
      expect((await queue.getJob(job.id)).progress).toMatchObject({
        percent: 100,
        details: 'chunk 10 of 10',
      });
    });

    it('flushes a throttled value before completing', async () => {
      const { queue, runner } = setup();
      const r = runner({
        progressThrottleMs: 10_000,
        handlers: {
          t: async (_job, ctx) => {
            await ctx.progress({ percent: 1 });
            await ctx.progress({ percent: 99, stage: 'last' });
          },
        },
      });
      const job = await queue.enqueue('t', {});
      await r.drain();
      expect((await queue.getJob(job.id)).progress).toMatchObject({ percent: 99, stage: 'last' });
    });

    it('rejects bad progress and checkpoint input with ValidationError naming the field', async () => {
      const { queue, runner } = setup({ policies: { t: { maxAttempts: 1 } } });
      const errors: unknown[] = [];
      const r = runner({
        handlers: {
          t: async (_job, ctx) => {
            for (const call of [
              () => ctx.progress({ percent: 101 }),
              () => ctx.progress({ percent: 5, stage: 7 as never }),
              () => ctx.checkpoint('', {}),
              () => {
                const cyclic: Record<string, unknown> = {};
                cyclic.self = cyclic;
                return ctx.checkpoint('s', cyclic);
              },
              async () => ctx.snooze(-1),
            ]) {
              // Progress throws synchronously; the others reject: both are caught here.
              errors.push(
                await Promise.resolve()
                  .then(call)
                  .then(
                    () => undefined,
                    (e: unknown) => e,
                  ),
              );
            }
          },
        },
      });
      await queue.enqueue('t', {});
      await r.drain();
      expect(errors.map((e) => (e as ValidationError).issues[0]!.path)).toEqual([
        'progress.percent',
        'progress.stage',
        'checkpoint.stage',
        'checkpoint.data',
        'snooze.ms',
      ]);
    });
  });

  describe('drain', () => {
    it('stops at maxJobs and at the deadline; in-flight jobs finish first', async () => {
      const { clock, queue, runner } = setup();
      const r = runner({ concurrency: 1, handlers: { t: () => clock.advance(400) } });
      for (let i = 0; i < 10; i++) await queue.enqueue('t', i);
      expect(await r.drain({ maxJobs: 3 })).toMatchObject({ processed: 3, completed: 3, reason: 'maxJobs' });
      expect(await r.drain({ deadlineMs: 1000 })).toMatchObject({
        processed: 3,
        completed: 3,
        reason: 'deadline',
      });
      expect(await r.drain()).toMatchObject({ processed: 4, reason: 'idle' });
      expect(await r.drain()).toMatchObject({ processed: 0, reason: 'idle' });
    });

    it('recovers expired leases first; the last attempt of a crashed worker is dead-lettered', async () => {
      const { clock, adapter, queue, runner } = setup();
      const a = await queue.enqueue('t', {}, { maxAttempts: 1 });
      const b = await queue.enqueue('t', {}, { maxAttempts: 3 });
      await crashedWhileRunning(adapter, clock.now(), 2);
      await clock.advance(1000);
      const r = runner({ handlers: { t: () => 'ok' } });
      expect(await r.drain()).toMatchObject({ recovered: 2, deadLettered: 1, retried: 1, completed: 0 });
      expect(await queue.getJob(a.id)).toMatchObject({
        status: 'failed',
        errorCategory: 'transient_timeout',
      });
      // The lost attempt of b is retried after the policy's backoff, like any failed attempt.
      expect(await queue.getJob(b.id)).toMatchObject({
        status: 'queued',
        attempt: 1,
        runAt: clock.now() + 1000,
      });
      await clock.advance(1000);
      expect(await r.drain()).toMatchObject({ completed: 1 });
      expect(await queue.getJob(b.id)).toMatchObject({ status: 'completed', attempt: 2 });
    });
  });

  describe('lease recovery dead-letters like the normal path', () => {
    it('a custom backoff decides for a crashed worker’s job too: its delay, or dead', async () => {
      const asked: Array<[number, string]> = [];
      const { clock, adapter, queue, runner } = setup({
        policies: {
          t: {
            maxAttempts: 5,
            backoff: (attempt, error, job) => {
              asked.push([attempt, (error as Error).name]);
              return (job.payload as { dead: boolean }).dead ? 'dead' : 5000;
            },
          },
        },
      });
      const dead = await queue.enqueue('t', { dead: true });
      const later = await queue.enqueue('t', { dead: false });
      await crashedWhileRunning(adapter, clock.now(), 2);
      await clock.advance(1000);
      const r = runner({ handlers: { t: () => 'ok' } });
      const deadLettered: unknown[] = [];
      r.on('deadLettered', (dl, info) => deadLettered.push([dl.id, dl.job.status, info.exhausted]));
      expect(await r.drain()).toMatchObject({ recovered: 2, deadLettered: 1, retried: 1, completed: 0 });
      expect(asked).toEqual([
        [1, 'LeaseLostError'],
        [1, 'LeaseLostError'],
      ]);
      expect(await queue.getJob(dead.id)).toMatchObject({
        status: 'failed',
        attempt: 1,
        errorCategory: 'transient_timeout',
        requiresUserAction: false,
      });
      // Dead by the policy's word with attempts left: a dead letter, not an exhausted one.
      expect(deadLettered).toEqual([[dead.id, 'failed', false]]);
      expect(await queue.getJob(later.id)).toMatchObject({ status: 'queued', runAt: clock.now() + 5000 });
      expect(await queue.getRetryHistory(later.id)).toMatchObject([
        { attempt: 1, delayMs: 5000, errorCategory: 'transient_timeout', deadLettered: false },
      ]);
    });

    it('a job whose lease expired on its last attempt runs onDeadLetter / onRetriesExhausted and emits deadLettered', async () => {
      const seen: string[] = [];
      const { clock, adapter, queue, runner } = setup({
        policies: {
          t: {
            onDeadLetter: (dl) => {
              seen.push(`dl:${dl.id}:${dl.errorCategory}`);
              throw new Error('hook broke');
            },
            onRetriesExhausted: (job, error) => {
              seen.push(`ex:${job.id}:${job.status}:${(error as Error).message.includes('lease expired')}`);
            },
          },
        },
      });
      const a = await queue.enqueue('t', {}, { maxAttempts: 1 });
      await crashedWhileRunning(adapter, clock.now(), 1);
      await clock.advance(1000);
      const r = runner({ handlers: { t: () => 'ok' } });
      const events: unknown[] = [];
      r.on('deadLettered', (dl, info) => events.push([dl.id, dl.job.status, info.category, info.exhausted]));
      const errors: unknown[] = [];
      r.on('error', (e) => errors.push(e));
      expect(await r.drain()).toMatchObject({ recovered: 1, deadLettered: 1 });
      expect(events).toEqual([[a.id, 'failed', 'transient_timeout', true]]);
      expect(seen).toEqual([`dl:${a.id}:transient_timeout`, `ex:${a.id}:failed:true`]);
      expect(errors).toHaveLength(1); // the throwing hook is reported, the runner carried on
    });
  });

  describe('classifier.unknownIsRetryable', () => {
    it('false makes an unclassifiable error dead-letter at once; a type policy that says true wins', async () => {
      const { queue, runner } = setup({
        classifier: { unknownIsRetryable: false },
        policies: { lenient: { unknownIsRetryable: true } },
      });
      const strict = await queue.enqueue('strict', {});
      const lenient = await queue.enqueue('lenient', {});
      const boom = () => {
        throw new Error('boom');
      };
      await runner({ handlers: { strict: boom, lenient: boom } }).drain({ maxJobs: 2 });
      expect(await queue.getJob(strict.id)).toMatchObject({
        status: 'failed',
        attempt: 1,
        errorCategory: 'unknown',
      });
      expect(await queue.getJob(lenient.id)).toMatchObject({ status: 'queued', attempt: 1 });
    });

    it('is validated: a non-boolean is refused naming the field', () => {
      expect(() =>
        createQueue({ adapter: memoryAdapter(), classifier: { unknownIsRetryable: 'no' } as never }),
      ).toThrow(
        expect.objectContaining({
          name: 'ValidationError',
          message: expect.stringContaining('unknownIsRetryable'),
        }),
      );
    });
  });

  describe('health and the stopping worker', () => {
    it('a started runner is listed at once, its activeJobs follows its jobs, and stop() removes it', async () => {
      const { clock, queue, runner } = setup();
      const release = gate();
      const r = runner({ workerId: 'w-1', heartbeatMs: 5000, handlers: { t: () => release.promise } });
      r.start();
      await clock.settle();
      expect((await queue.health()).workers).toEqual([
        { workerId: 'w-1', lastSeenAt: clock.now(), alive: true, activeJobs: 0 },
      ]);
      await queue.enqueue('t', 1);
      await queue.enqueue('t', 2);
      await clock.settle();
      expect((await queue.health()).workers[0]?.activeJobs).toBe(2);
      release.open();
      await clock.settle();
      // No heartbeat has run since the jobs finished: the count must not be stale.
      expect((await queue.health()).workers[0]?.activeJobs).toBe(0);
      await r.stop();
      expect((await queue.health()).workers).toEqual([]);
    });

    it('drain() is listed while it runs and gone when it returns', async () => {
      const { queue, runner } = setup();
      let during: unknown;
      await queue.enqueue('t', 1);
      const r = runner({
        workerId: 'lambda-1',
        handlers: {
          t: async () => {
            during = (await queue.health()).workers.map((w) => [w.workerId, w.activeJobs]);
          },
        },
      });
      await r.drain();
      expect(during).toEqual([['lambda-1', 1]]);
      expect((await queue.health()).workers).toEqual([]);
    });
  });

  describe('a pause requested while the attempt runs', () => {
    it('a failed attempt is paused (not requeued), keeping its backoff; a completed one clears the request', async () => {
      const { clock, queue, runner } = setup({ policies: { t: { initialDelayMs: 10_000, jitter: 'none' } } });
      const fail = gate();
      const r = runner({
        heartbeatMs: 1000,
        leaseMs: 5000,
        handlers: {
          t: async (job, ctx) => {
            await ctx.checkpoint('fetched', { rows: 1 }, { pauseSafe: true });
            await fail.promise; // ignores ctx.signal: finishes before any heartbeat says "pause"
            if (job.payload === 'fail') throw networkError();
            return 'done';
          },
        },
      });
      const failing = await queue.enqueue('t', 'fail');
      const completing = await queue.enqueue('t', 'ok');
      const paused: string[] = [];
      r.on('paused', (job) => paused.push(job.id));
      r.start();
      await clock.settle();
      // Asked between two heartbeats: the worker has not heard of it when the attempt ends.
      await queue.pauseJob(failing.id, 'maintenance');
      await queue.pauseJob(completing.id, 'maintenance');
      const failedAt = clock.now();
      fail.open();
      await clock.settle();
      expect(await queue.getJob(failing.id)).toMatchObject({
        status: 'paused',
        pauseRequested: false,
        attempt: 1,
        runAt: failedAt + 10_000,
      });
      expect((await queue.getJob(failing.id))?.checkpoint).toMatchObject({ stage: 'fetched' });
      expect(await queue.getRetryHistory(failing.id)).toHaveLength(1);
      expect(paused).toEqual([failing.id]);
      expect(await queue.getJob(completing.id)).toMatchObject({ status: 'completed', pauseRequested: false });
      await r.stop();
    });
  });

  describe('options', () => {
    const queue = createQueue({ adapter: memoryAdapter() });
    const bad: Array<[string, Record<string, unknown>]> = [
      ['concurrency', { concurrency: 0 }],
      ['heartbeatMs', { leaseMs: 1000, heartbeatMs: 1000 }],
      ['types', { types: ['nope'] }],
      ['handlers', { handlers: {} }],
      ['handlers.t', { handlers: { t: 'not a function' } }],
      ['queue', { queue: {} }],
      ['pollIntervalMs', { pollIntervalMs: -5 }],
    ];
    for (const [field, override] of bad) {
      it(`rejects a bad ${field}`, () => {
        expect(() => new JobRunner({ queue, handlers: { t: () => 1 }, ...override } as never)).toThrow(
          expect.objectContaining({ name: 'ValidationError', message: expect.stringContaining(field) }),
        );
      });
    }

    it('rejects a listener that is not a function', () => {
      const r = new JobRunner({ queue, handlers: { t: () => 1 } });
      expect(() => r.on('completed', 'nope' as never)).toThrow(/listener must be a function/);
      expect(() => queue.on('paused', undefined as never)).toThrow(ValidationError);
    });

    it('rejects bad drain options', async () => {
      const r = new JobRunner({ queue, handlers: { t: () => 1 } });
      await expect(r.drain({ maxJobs: -1 })).rejects.toMatchObject({
        message: expect.stringContaining('maxJobs'),
      });
      await expect(r.drain({ deadlineMs: 1.5 })).rejects.toMatchObject({
        message: expect.stringContaining('deadlineMs'),
      });
    });
  });
});

/**
 * A worker that claimed `limit` jobs, started them (its heartbeat said so) and died: their leases
 * (1 s) expire with the attempt used.
 */
async function crashedWhileRunning(adapter: StorageAdapter, now: number, limit: number): Promise<void> {
  const jobs = await adapter.claim({ workerId: 'crashed', limit, leaseMs: 1000, now });
  await adapter.heartbeat({
    workerId: 'crashed',
    leases: jobs.map((j) => ({ id: j.id, leaseToken: j.leaseToken, started: true })),
    leaseMs: 1000,
    now,
  });
}
