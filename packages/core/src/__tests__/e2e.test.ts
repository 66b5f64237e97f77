import { describe, expect, it, vi } from 'vitest';
import { getSuggestedAction } from '../classify/index.js';
import { FakeClock } from '../clock/fake-clock.js';
import { SnoozeError } from '../errors/job-errors.js';
import type { DeadLetter } from '../job/job.js';
import { JobAbortError } from '../runner/abort-reasons.js';
import { describeEachAdapter, gate, networkError, once, setup, T0, untilAborted } from './e2e-harness.js';

describeEachAdapter('end to end', () => {
  describe('end to end with a fake clock', () => {
    it('retries transient errors on the policy schedule, then completes', async () => {
      const { clock, queue, runner } = setup({
        policies: { fetch: { maxAttempts: 5, initialDelayMs: 1000, jitter: 'none' } },
      });
      let runs = 0;
      const r = runner({
        handlers: {
          fetch: () => {
            runs++;
            if (runs <= 2) throw networkError();
            return { ok: true };
          },
        },
      });
      const job = await queue.enqueue('fetch', { url: 'https://example.com' });

      expect(await r.drain()).toMatchObject({ processed: 1, retried: 1, completed: 0 });
      let stored = await queue.getJob(job.id);
      expect(stored).toMatchObject({
        status: 'queued',
        attempt: 1,
        runAt: T0 + 1000,
        errorCategory: 'transient_network',
      });

      await clock.advance(999);
      expect((await r.drain()).processed).toBe(0); // not due yet: never claimed before its run-at
      await clock.advance(1);
      expect(await r.drain()).toMatchObject({ processed: 1, retried: 1 });
      stored = await queue.getJob(job.id);
      expect(stored.runAt).toBe(T0 + 1000 + 2000); // doubled

      await clock.advance(2000);
      expect(await r.drain()).toMatchObject({ processed: 1, completed: 1 });
      stored = await queue.getJob(job.id);
      expect(stored).toMatchObject({ status: 'completed', attempt: 3, result: { ok: true } });
      const history = await queue.getRetryHistory(job.id);
      expect(history.map((h) => [h.attempt, h.errorCategory, h.delayMs, h.deadLettered])).toEqual([
        [1, 'transient_network', 1000, false],
        [2, 'transient_network', 2000, false],
      ]);
      expect(history[0]!.error).toBe('socket hang up');
      expect(history[0]!.timestamp).toBe(T0);
    });

    it('dead-letters a permanent error after one run, with requiresUserAction and a suggested action', async () => {
      const onDeadLetter = vi.fn();
      const { queue, runner } = setup({ policies: { charge: { maxAttempts: 5, onDeadLetter } } });
      const r = runner({
        handlers: {
          charge: () => {
            throw Object.assign(new Error('invalid api key'), { status: 401 });
          },
        },
      });
      const events: DeadLetter[] = [];
      r.on('deadLettered', (dl) => events.push(dl));
      const job = await queue.enqueue('charge', { amount: 5 });
      expect(await r.drain()).toMatchObject({ processed: 1, deadLettered: 1, retried: 0 });

      const dl = await queue.deadLetters.get(job.id);
      expect(dl).toMatchObject({
        id: job.id,
        type: 'charge',
        payload: { amount: 5 },
        errorCategory: 'permanent_auth',
        attempts: 1,
        requiresUserAction: true,
        suggestedAction: getSuggestedAction('permanent_auth'),
      });
      expect(dl.suggestedAction).toMatch(/\w/);
      expect(dl.history).toHaveLength(1);
      expect(dl.history![0]).toMatchObject({ attempt: 1, deadLettered: true, delayMs: 0 });
      expect(events.map((e) => e.id)).toEqual([job.id]);
      expect(onDeadLetter).toHaveBeenCalledTimes(1);
      expect(onDeadLetter.mock.calls[0]![0]).toMatchObject({ id: job.id, requiresUserAction: true });
      expect((await queue.stats()).deadLetters).toBe(1);
    });

    it('sends a job to the DLQ after exactly maxAttempts executions, then redrive runs it to completion', async () => {
      const onRetriesExhausted = vi.fn();
      const onDeadLetter = vi.fn();
      const { clock, queue, runner } = setup({
        policies: {
          sync: { maxAttempts: 3, initialDelayMs: 100, jitter: 'none', onRetriesExhausted, onDeadLetter },
        },
      });
      let runs = 0;
      let healthy = false;
      const r = runner({
        handlers: {
          sync: () => {
            runs++;
            if (!healthy) throw new Error('503 upstream unavailable');
            return 'synced';
          },
        },
      });
      const job = await queue.enqueue('sync', null);
      for (let i = 0; i < 10; i++) {
        await r.drain();
        await clock.advance(10_000);
      }
      expect(runs).toBe(3);
      const dead = await queue.getJob(job.id);
      expect(dead).toMatchObject({ status: 'failed', attempt: 3, requiresUserAction: false });
      expect(onRetriesExhausted).toHaveBeenCalledTimes(1);
      expect(onDeadLetter).toHaveBeenCalledTimes(1);
      expect((await queue.getRetryHistory(job.id)).map((h) => h.deadLettered)).toEqual([false, false, true]);

      healthy = true;
      const result = await queue.deadLetters.redrive([job.id]);
      expect(result).toEqual({ succeeded: [job.id], failed: [] });
      const redriven = await queue.getJob(job.id);
      expect(redriven).toMatchObject({
        status: 'queued',
        attempt: 0,
        redriveCount: 1,
        requiresUserAction: false,
      });
      expect(await r.drain()).toMatchObject({ processed: 1, completed: 1 });
      expect(await queue.getJob(job.id)).toMatchObject({ status: 'completed', attempt: 1, result: 'synced' });
      expect(await queue.getRetryHistory(job.id)).toHaveLength(3); // history kept across the redrive
      expect(runs).toBe(4);
    });

    it('with the default policy a failing job runs exactly 5 times (DEFAULT_RETRY_CONFIG.maxRetries), waiting 1, 2, 4, 8 s', async () => {
      const { clock, queue, runner } = setup({ defaultPolicy: { jitter: 'none' } });
      let runs = 0;
      const r = runner({
        handlers: {
          flaky: () => {
            runs++;
            throw networkError();
          },
        },
      });
      const job = await queue.enqueue('flaky', {});
      for (let i = 0; i < 20; i++) {
        await r.drain();
        await clock.advance(1000);
      }
      expect(runs).toBe(5);
      expect(await queue.getJob(job.id)).toMatchObject({ status: 'failed', attempt: 5, maxAttempts: 5 });
      expect((await queue.getRetryHistory(job.id)).map((h) => h.delayMs)).toEqual([
        1000, 2000, 4000, 8000, 0,
      ]);
    });

    it('cancel aborts a running handler through ctx.signal', async () => {
      const { clock, queue, runner } = setup();
      const r = runner({
        handlers: { long: (_job, ctx) => untilAborted(ctx.signal) },
        heartbeatMs: 1000,
        leaseMs: 5000,
      });
      const reasons: unknown[] = [];
      r.on('error', (e) => reasons.push(e));
      const job = await queue.enqueue('long', {});
      const started = once(r, 'started');
      const cancelled = once(r, 'cancelled');
      const drained = r.drain();
      await started;
      expect((await queue.getJob(job.id)).status).toBe('running');
      await queue.cancelJob(job.id);
      await clock.advance(1000); // the next heartbeat tells the worker
      await cancelled;
      const summary = await drained;
      expect(summary).toMatchObject({ processed: 1, cancelled: 1, completed: 0, failed: 0 });
      expect(await queue.getJob(job.id)).toMatchObject({ status: 'cancelled' });
      expect(await queue.getRetryHistory(job.id)).toEqual([]);
      expect(reasons).toEqual([]);
    });

    it('pauses at a pause-safe checkpoint, and resume continues with checkpointData', async () => {
      const { clock, queue, runner } = setup();
      const seen: unknown[] = [];
      let abortReason: unknown;
      const r = runner({
        heartbeatMs: 1000,
        leaseMs: 5000,
        handlers: {
          ingest: async (_job, ctx) => {
            seen.push(ctx.checkpointData);
            if (ctx.checkpointData) return { resumedAt: ctx.checkpointStage };
            await ctx.checkpoint('chunks-embedded', { chunks: 234 }, { pauseSafe: true });
            try {
              return await untilAborted(ctx.signal);
            } catch (error) {
              abortReason = error;
              throw error;
            }
          },
        },
      });
      const job = await queue.enqueue('ingest', { doc: 'a.pdf' });
      const checkpointed = once(r, 'checkpoint');
      const paused = once(r, 'paused');
      const drained = r.drain();
      await checkpointed;
      const requested = await queue.pauseJob(job.id, 'maintenance');
      expect(requested).toMatchObject({ status: 'running', pauseRequested: true });
      await clock.advance(1000);
      await paused;
      expect(await drained).toMatchObject({ paused: 1, completed: 0, failed: 0 });
      expect(abortReason).toBeInstanceOf(JobAbortError);
      expect((abortReason as JobAbortError).kind).toBe('paused');
      const pausedJob = await queue.getJob(job.id);
      expect(pausedJob).toMatchObject({ status: 'paused', pauseReason: 'maintenance', attempt: 0 });
      expect(pausedJob.checkpoint).toMatchObject({ stage: 'chunks-embedded', pauseSafe: true });

      expect((await r.drain()).processed).toBe(0); // paused jobs are not claimed
      const resumed = await queue.resumeJob(job.id);
      expect(resumed).toMatchObject({ status: 'queued', resumeCount: 1 });
      expect(await r.drain()).toMatchObject({ processed: 1, completed: 1 });
      expect(seen).toEqual([undefined, { chunks: 234 }]);
      expect(await queue.getJob(job.id)).toMatchObject({
        status: 'completed',
        result: { resumedAt: 'chunks-embedded' },
      });
    });

    it('refuses to pause a running job without a pause-safe checkpoint', async () => {
      const { queue, runner } = setup();
      const release = gate();
      const r = runner({ handlers: { work: () => release.promise } });
      const job = await queue.enqueue('work', {});
      const started = once(r, 'started');
      const drained = r.drain();
      await started;
      await expect(queue.pauseJob(job.id)).rejects.toMatchObject({
        name: 'InvalidStateError',
        code: 'INVALID_STATE',
      });
      expect(await queue.getJob(job.id)).toMatchObject({ status: 'running', pauseRequested: false });
      release.open();
      await drained;
      expect((await queue.getJob(job.id)).status).toBe('completed');
    });

    it('falls back to a fresh run when the stored checkpoint fails its hash check', async () => {
      const { clock, adapter, queue, runner } = setup();
      const job = await queue.enqueue('resumable', {});
      // Store a checkpoint whose hash does not match its data, through the contract itself.
      const [claimed] = await adapter.claim({
        workerId: 'tamper',
        limit: 1,
        leaseMs: 1000,
        now: clock.now(),
      });
      await adapter.checkpoint(job.id, {
        leaseToken: claimed!.leaseToken,
        checkpoint: {
          stage: 'step-2',
          data: { rows: 10 },
          hash: 'f'.repeat(64),
          pauseSafe: true,
          savedAt: clock.now(),
        },
        now: clock.now(),
      });
      await adapter.release(job.id, {
        leaseToken: claimed!.leaseToken,
        now: clock.now(),
        to: 'queued',
        refundAttempt: true,
      });

      const seen: unknown[] = [];
      const r = runner({
        handlers: { resumable: (_job, ctx) => void seen.push(ctx.checkpointData ?? 'fresh') },
      });
      const invalid: string[] = [];
      r.on('checkpointInvalid', (_job, reason) => invalid.push(reason));
      expect(await r.drain()).toMatchObject({ completed: 1 });
      expect(seen).toEqual(['fresh']);
      expect(invalid).toHaveLength(1);
      expect(invalid[0]).toMatch(/step-2.*SHA-256/);
    });

    it('hands a valid checkpoint back on the next run (hash matches)', async () => {
      const { clock, queue, runner } = setup({ policies: { step: { initialDelayMs: 10, jitter: 'none' } } });
      const seen: unknown[] = [];
      const r = runner({
        handlers: {
          step: async (_job, ctx) => {
            seen.push(ctx.checkpointData);
            if (!ctx.checkpointData) {
              await ctx.checkpoint('half', { b: 2, a: [1, { y: 1, x: 0 }] });
              throw networkError();
            }
          },
        },
      });
      await queue.enqueue('step', {});
      await r.drain();
      await clock.advance(10);
      await r.drain();
      expect(seen).toEqual([undefined, { b: 2, a: [1, { y: 1, x: 0 }] }]);
    });

    it('fails an attempt that runs past its timeout as a retryable transient_timeout, even if the handler ignores the signal', async () => {
      const { clock, queue, runner } = setup({
        policies: { slow: { timeoutMs: 1000, initialDelayMs: 500, jitter: 'none' } },
      });
      let signalReason: unknown;
      const r = runner({
        heartbeatMs: 300,
        leaseMs: 10_000,
        handlers: {
          slow: (_job, ctx) => {
            ctx.signal.addEventListener('abort', () => {
              signalReason = ctx.signal.reason;
            });
            return new Promise(() => {}); // never settles, ignores the signal
          },
        },
      });
      const job = await queue.enqueue('slow', {});
      const retried = once(r, 'retryScheduled');
      const drained = r.drain();
      await clock.advance(999);
      expect((await queue.getJob(job.id)).status).toBe('running');
      await clock.advance(1);
      const [, info] = await retried;
      expect(info).toMatchObject({ category: 'transient_timeout', delayMs: 500 });
      expect(await drained).toMatchObject({ processed: 1, retried: 1 });
      expect(signalReason).toMatchObject({ name: 'TimeoutError', kind: 'timeout' });
      expect(await queue.getJob(job.id)).toMatchObject({
        status: 'queued',
        attempt: 1,
        errorCategory: 'transient_timeout',
      });
      expect((await queue.getRetryHistory(job.id))[0]).toMatchObject({
        errorCategory: 'transient_timeout',
        delayMs: 500,
      });
    });

    it('a job option timeoutMs overrides the policy', async () => {
      const { clock, queue, runner } = setup();
      const r = runner({ handlers: { slow: () => new Promise(() => {}) } });
      const job = await queue.enqueue('slow', {}, { timeoutMs: 50 });
      const drained = r.drain();
      await clock.advance(50);
      expect(await drained).toMatchObject({ retried: 1 });
      expect((await queue.getJob(job.id)).errorCategory).toBe('transient_timeout');
    });

    it('snooze reschedules without consuming an attempt (ctx.snooze and a thrown SnoozeError)', async () => {
      const { clock, queue, runner } = setup({ policies: { poll: { maxAttempts: 1 } } });
      let runs = 0;
      const r = runner({
        handlers: {
          poll: (_job, ctx) => {
            runs++;
            if (runs === 1) ctx.snooze(5000);
            if (runs === 2) throw new SnoozeError(1000);
            return ctx.attempt;
          },
        },
      });
      const snoozed: number[] = [];
      r.on('snoozed', (_job, info) => snoozed.push(info.delayMs));
      const job = await queue.enqueue('poll', {});
      expect(await r.drain()).toMatchObject({ processed: 1, snoozed: 1, failed: 0 });
      expect(await queue.getJob(job.id)).toMatchObject({ status: 'queued', attempt: 0, runAt: T0 + 5000 });
      await clock.advance(4999);
      expect((await r.drain()).processed).toBe(0);
      await clock.advance(1);
      expect(await r.drain()).toMatchObject({ snoozed: 1 });
      await clock.advance(1000);
      expect(await r.drain()).toMatchObject({ completed: 1 });
      // maxAttempts 1, snoozed twice: still completed on its single counted attempt.
      expect(await queue.getJob(job.id)).toMatchObject({ status: 'completed', attempt: 1, result: 1 });
      expect(snoozed).toEqual([5000, 1000]);
      expect(await queue.getRetryHistory(job.id)).toEqual([]);
    });

    it('caps the retry history at historyLimit (newest kept) and truncates stacks', async () => {
      const { queue, runner } = setup({
        historyLimit: 3,
        policies: { flaky: { maxAttempts: 10, backoff: () => 0 } },
      });
      const r = runner({
        maxStackLength: 200,
        handlers: {
          flaky: (job) => {
            const error = networkError(`try ${job.attempt}`);
            error.stack = 'x'.repeat(10_000);
            throw error;
          },
        },
      });
      const job = await queue.enqueue('flaky', {});
      expect(await r.drain()).toMatchObject({ processed: 10, retried: 9, deadLettered: 1 });
      const history = await queue.getRetryHistory(job.id);
      expect(history.map((h) => h.attempt)).toEqual([8, 9, 10]);
      expect(history.map((h) => h.error)).toEqual(['try 8', 'try 9', 'try 10']);
      for (const h of history) expect(h.stack!.length).toBeLessThanOrEqual(200);
    });

    it('a custom backoff sees the error and the job, and may dead-letter early', async () => {
      const backoff = vi.fn((attempt: number, error: unknown, _job: unknown) =>
        (error as Error).message.includes('give up') ? ('dead' as const) : attempt * 7,
      );
      const { clock, queue, runner } = setup({ policies: { custom: { maxAttempts: 5, backoff } } });
      let runs = 0;
      const r = runner({
        handlers: {
          custom: () => {
            runs++;
            throw networkError(runs === 1 ? 'blip' : 'give up now');
          },
        },
      });
      const job = await queue.enqueue('custom', { n: 1 });
      await r.drain();
      expect((await queue.getJob(job.id)).runAt).toBe(T0 + 7);
      await clock.advance(7);
      await r.drain();
      expect(await queue.getJob(job.id)).toMatchObject({
        status: 'failed',
        attempt: 2,
        requiresUserAction: false,
      });
      expect(backoff.mock.calls[0]![2]).toMatchObject({ id: job.id, payload: { n: 1 } });
    });

    it('classifies with the type rules first, then the queue rules, then the built-ins', async () => {
      const { queue, runner } = setup({
        classifier: { rules: [{ category: 'permanent_quota', message: /credits/ }] },
        policies: {
          billing: {
            maxAttempts: 5,
            rules: [{ category: 'transient_server', message: /credits exhausted, retry/ }],
          },
        },
      });
      const r = runner({
        handlers: {
          billing: (job) => {
            throw new Error(job.payload as string);
          },
          other: (job) => {
            throw new Error(job.payload as string);
          },
        },
      });
      const typeRule = await queue.enqueue('billing', 'credits exhausted, retry later');
      const queueRule = await queue.enqueue('other', 'no credits left');
      const builtin = await queue.enqueue('other', 'ETIMEDOUT');
      await r.drain();
      expect(await queue.getJob(typeRule.id)).toMatchObject({
        status: 'queued',
        errorCategory: 'transient_server',
      });
      expect(await queue.getJob(queueRule.id)).toMatchObject({
        status: 'failed',
        errorCategory: 'permanent_quota',
      });
      expect(await queue.getJob(builtin.id)).toMatchObject({
        status: 'queued',
        errorCategory: 'transient_network',
      });
    });

    it('honours Retry-After on a rate-limited attempt', async () => {
      const { queue, runner } = setup({ policies: { api: { maxAttempts: 3 } } });
      const r = runner({
        handlers: {
          api: () => {
            throw Object.assign(new Error('too many requests'), {
              status: 429,
              headers: { 'retry-after': '42' },
            });
          },
        },
      });
      const job = await queue.enqueue('api', {});
      await r.drain();
      expect(await queue.getJob(job.id)).toMatchObject({
        runAt: T0 + 42_000,
        errorCategory: 'transient_rate_limit',
      });
    });

    it('a throwing hook or listener does not break the runner', async () => {
      const { queue, runner } = setup({
        policies: {
          bad: {
            maxAttempts: 1,
            onDeadLetter: () => {
              throw new Error('hook broke');
            },
          },
        },
      });
      const r = runner({
        handlers: {
          bad: () => {
            throw new Error('boom');
          },
          good: () => 'ok',
        },
        concurrency: 1,
      });
      const errors: unknown[] = [];
      r.on('error', (e) => errors.push(e));
      r.on('completed', () => {
        throw new Error('listener broke');
      });
      await queue.enqueue('bad', {}, { priority: 1 });
      const good = await queue.enqueue('good', {});
      expect(await r.drain()).toMatchObject({ processed: 2, completed: 1, deadLettered: 1 });
      expect((await queue.getJob(good.id)).status).toBe('completed');
      expect(errors.map((e) => (e as Error).message).sort()).toEqual(['hook broke', 'listener broke']);
    });

    it('lease expiry: another runner re-runs the job and the stale worker’s completion is refused', async () => {
      const { adapter, clock: clockB, queue: queueB, runner: runnerB } = setup();
      // Worker A shares the store but has its own clock, which we advance only once: one heartbeat
      // reports its run started, then it never fires again, exactly like a stalled process.
      const clockA = new FakeClock(T0);
      const { queue: queueA, runner: runnerA } = setup({ adapter, clock: clockA });
      const a = runnerA({
        workerId: 'A',
        leaseMs: 1000,
        heartbeatMs: 500,
        handlers: { job: async () => release.promise },
      });
      const release = gate<string>();
      const job = await queueB.enqueue('job', {});
      const lost = once(a, 'leaseLost');
      const startedA = once(a, 'started');
      const drainA = a.drain();
      await startedA;
      expect(await queueA.getJob(job.id)).toMatchObject({ status: 'running', leaseOwner: 'A' });
      await clockA.advance(500); // A's one heartbeat: lease until T0 + 1500, its run reported started

      await clockB.advance(1501); // past A's lease, by B's clock
      const b = runnerB({ workerId: 'B', handlers: { job: () => 'from B' } });
      // The lost attempt is a failed attempt: retried after the policy's backoff (1 s for attempt 1).
      expect(await b.drain()).toMatchObject({ recovered: 1, retried: 1, completed: 0 });
      await clockB.advance(1000);
      expect(await b.drain()).toMatchObject({ completed: 1 });
      expect(await queueB.getJob(job.id)).toMatchObject({
        status: 'completed',
        result: 'from B',
        attempt: 2,
      });
      expect((await queueB.getRetryHistory(job.id))[0]).toMatchObject({
        attempt: 1,
        errorCategory: 'transient_timeout',
      });

      release.open('from A');
      await lost;
      expect(await drainA).toMatchObject({ completed: 0, leaseLost: 1 });
      expect(await queueB.getJob(job.id)).toMatchObject({ status: 'completed', result: 'from B' });
    });

    it('a stale worker’s failure is refused too: no history entry, no status change', async () => {
      const { adapter, clock: clockB, queue, runner: runnerB } = setup();
      const { runner: runnerA } = setup({ adapter, clock: new FakeClock(T0) });
      const release = gate();
      const a = runnerA({
        workerId: 'A',
        leaseMs: 1000,
        heartbeatMs: 500,
        handlers: {
          job: async () => {
            await release.promise;
            throw networkError('late failure from A');
          },
        },
      });
      const job = await queue.enqueue('job', {});
      const startedA = once(a, 'started');
      const drainA = a.drain();
      await startedA;
      await clockB.advance(1001);
      const b = runnerB({ workerId: 'B', handlers: { job: () => 'B' } });
      await b.drain(); // recovers A's expired lease: retried after the backoff
      await clockB.advance(1000);
      await b.drain();
      const historyBefore = await queue.getRetryHistory(job.id);
      release.open();
      expect(await drainA).toMatchObject({ leaseLost: 1, failed: 0, retried: 0 });
      expect(await queue.getJob(job.id)).toMatchObject({ status: 'completed', result: 'B' });
      expect(await queue.getRetryHistory(job.id)).toEqual(historyBefore);
    });
  });
});
