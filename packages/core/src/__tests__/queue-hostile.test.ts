/*
 * Hostile values through the queue and the runner's options: absurd Retry-After values, durations
 * no timer can hold, job types and keys named after Object.prototype members. On every adapter of
 * the matrix (ADAPTERS), since each store must keep what core lets through.
 */
import { describe, expect, it } from 'vitest';
import { RetryableError, SnoozeError } from '../errors/job-errors.js';
import { createQueue } from '../queue/create-queue.js';
import { JobRunner } from '../runner/job-runner.js';
import { hashCheckpointData } from '../util/sha256.js';
import { describeEachAdapter, setup, T0 } from './e2e-harness.js';

describeEachAdapter('hostile values through the queue', () => {
  describe('Retry-After', () => {
    it('caps an absurd Retry-After at maxRetryAfterMs (default 1 h) instead of parking the job forever', async () => {
      const { clock, queue } = setup();
      const job = await queue.enqueue('call', null);
      let runs = 0;
      const runner = new JobRunner({
        queue,
        handlers: {
          call: async () => {
            runs++;
            if (runs === 1) throw new RetryableError('busy', { retryAfterMs: 1e28 });
            return 'done';
          },
        },
      });
      await runner.drain();
      const waiting = await queue.getJob(job.id);
      expect(waiting.status).toBe('queued');
      expect(waiting.runAt).toBe(T0 + 3_600_000);
      await clock.advance(3_600_000);
      await runner.drain();
      expect((await queue.getJob(job.id)).status).toBe('completed');
    });

    it("dead-letters past maxRetryAfterMs when the policy says 'dead-letter'", async () => {
      const { queue } = setup({
        policies: { call: { maxRetryAfterMs: 60_000, retryAfterBeyondMax: 'dead-letter' } },
      });
      const far = await queue.enqueue('call', { wait: 120 });
      const near = await queue.enqueue('call', { wait: 30 });
      const runner = new JobRunner({
        queue,
        handlers: {
          call: async (j) => {
            // An HTTP 503 with a Retry-After header in seconds.
            throw Object.assign(new Error('unavailable'), {
              status: 503,
              headers: { 'retry-after': String((j.payload as { wait: number }).wait) },
            });
          },
        },
      });
      await runner.drain();
      expect((await queue.getJob(far.id)).status).toBe('failed');
      const retried = await queue.getJob(near.id);
      expect(retried.status).toBe('queued');
      expect(retried.runAt).toBe(T0 + 30_000);
    });
  });

  describe('snoozes', () => {
    it('refuses an absurd ctx.snooze and keeps a thrown SnoozeError of 1e300 ms storable', async () => {
      const { queue } = setup({ policies: { s: { maxAttempts: 1 } } });
      const refused = await queue.enqueue('s', 'ctx');
      const thrown = await queue.enqueue('s', 'thrown');
      const runner = new JobRunner({
        queue,
        handlers: {
          s: async (job, ctx) => {
            if (job.payload === 'ctx') ctx.snooze(1e300);
            throw new SnoozeError(1e300);
          },
        },
      });
      await runner.drain();
      const a = await queue.getJob(refused.id);
      expect(a.status).toBe('failed');
      expect(a.error).toMatch(/snooze.ms/);
      const b = await queue.getJob(thrown.id);
      expect(b.status).toBe('queued');
      expect(b.runAt).toBe(8_640_000_000_000_000);
    });
  });

  describe('durations that reach a timer', () => {
    const TOO_LONG = 2 ** 31;
    it('refuses every duration option above 2^31-1 ms, naming it', async () => {
      const { queue, adapter } = setup();
      const handlers = { a: async () => null };
      for (const option of [
        'leaseMs',
        'heartbeatMs',
        'pollIntervalMs',
        'recoverIntervalMs',
        'progressThrottleMs',
      ]) {
        expect(() => new JobRunner({ queue, handlers, [option]: TOO_LONG }), option).toThrow(
          new RegExp(`${option}: must be at most 2147483647 ms`),
        );
      }
      await expect(queue.enqueue('a', null, { timeoutMs: 30 * 24 * 3_600_000 })).rejects.toThrow(
        /timeoutMs: must be at most 2147483647 ms/,
      );
      expect(() => createQueue({ adapter, policies: { a: { timeoutMs: TOO_LONG } } })).toThrow(
        /timeoutMs: must be at most 2147483647 ms/,
      );
      const runner = new JobRunner({ queue, handlers });
      await expect(runner.stop({ timeoutMs: TOO_LONG })).rejects.toThrow(/stop.timeoutMs/);
    });

    it('runs a job with the longest timeout a timer holds to completion, not timed out at once', async () => {
      const { queue } = setup();
      const job = await queue.enqueue('slow', null, { timeoutMs: 2 ** 31 - 1 });
      const runner = new JobRunner({
        queue,
        handlers: { slow: () => new Promise((resolve) => setTimeout(() => resolve('ok'), 20)) },
      });
      await runner.drain();
      expect((await queue.getJob(job.id)).status).toBe('completed');
    });
  });

  describe('keys named after Object.prototype members', () => {
    it('refuses a runner type that has no own handler (toString, constructor)', () => {
      const { queue } = setup();
      for (const type of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
        expect(
          () => new JobRunner({ queue, handlers: { a: async () => null }, types: [type] }),
          type,
        ).toThrow(new RegExp(`types: has no handler for "${type}"`));
      }
    });

    it('runs a handler registered for the type __proto__', async () => {
      const { queue } = setup();
      const job = await queue.enqueue('__proto__', 1);
      // JSON.parse makes `__proto__` an own key, as a config file read at run time would have it.
      const handlers = JSON.parse('{"__proto__": 0}');
      Object.defineProperty(handlers, '__proto__', { value: async () => 'ran', enumerable: true });
      const runner = new JobRunner({ queue, handlers });
      await runner.drain();
      const done = await queue.getJob(job.id);
      expect(done.status).toBe('completed');
      expect(done.result).toBe('ran');
    });

    it('keeps a __proto__ key in metadata and payload, and in the checkpoint hash', async () => {
      const { queue } = setup();
      const metadata = JSON.parse('{"__proto__": {"admin": true}, "a": 1}');
      const payload = JSON.parse('{"__proto__": {"x": 1}}');
      const job = await queue.enqueue('a', payload, { metadata });
      const stored = await queue.getJob(job.id);
      expect(Object.hasOwn(stored.metadata, '__proto__')).toBe(true);
      expect(Object.getOwnPropertyDescriptor(stored.metadata, '__proto__')?.value).toEqual({ admin: true });
      expect(Object.hasOwn(stored.payload as object, '__proto__')).toBe(true);
      expect(({} as { admin?: unknown }).admin).toBeUndefined();
      expect(await hashCheckpointData(JSON.parse('{"__proto__": {"x": 1}}'))).not.toBe(
        await hashCheckpointData({}),
      );
    });
  });
});
