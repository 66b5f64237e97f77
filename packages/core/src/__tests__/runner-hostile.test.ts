/*
 * The runner against hostile handlers and a store that goes away: hooks that never settle,
 * thrown values that throw when read, un-awaited bad progress, and a store outage longer than
 * the lease while jobs finish. On every adapter of the matrix (ADAPTERS).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StorageAdapter } from '../adapter/storage-adapter.js';
import { describeEachAdapter, setup } from './e2e-harness.js';

describeEachAdapter('the runner against hostile handlers and stores', () => {
  describe('hooks that never settle', () => {
    it('do not hold slots: good jobs keep running while onDeadLetter hangs, and the hang is reported', async () => {
      const { clock, queue, runner } = setup({
        policies: { bad: { maxAttempts: 1, onDeadLetter: () => new Promise(() => {}) } },
      });
      const r = runner({
        concurrency: 2,
        hookTimeoutMs: 10_000,
        handlers: {
          bad: async () => {
            throw new Error('nope');
          },
          good: async () => 'ok',
        },
      });
      const errors: unknown[] = [];
      r.on('error', (e) => errors.push(e));
      await queue.enqueueMany(Array.from({ length: 10 }, () => ({ type: 'bad', payload: null })));
      const good = await queue.enqueueMany(
        Array.from({ length: 100 }, () => ({ type: 'good', payload: null })),
      );
      r.start();
      await clock.advance(3_000);
      const done = await Promise.all(good.map((j) => queue.getJob(j.id)));
      expect(done.filter((j) => j.status === 'completed')).toHaveLength(100);
      expect(errors).toEqual([]);
      await clock.advance(10_000);
      expect(errors.map((e) => String(e))).toEqual(
        Array.from({ length: 10 }, () => expect.stringMatching(/did not settle within 10000 ms/)),
      );
      const stopped = r.stop();
      await clock.advance(100);
      await stopped;
    });

    it('drain() waits for a slow hook, but no longer than hookTimeoutMs', async () => {
      const { clock, queue, runner } = setup({
        policies: { bad: { maxAttempts: 1, onDeadLetter: () => new Promise(() => {}) } },
      });
      const r = runner({
        hookTimeoutMs: 5_000,
        handlers: {
          bad: async () => {
            throw new Error('nope');
          },
        },
      });
      r.on('error', () => {});
      await queue.enqueue('bad', null);
      let drained = false;
      const drain = r.drain().then(() => {
        drained = true;
      });
      await clock.advance(4_000);
      expect(drained).toBe(false);
      await clock.advance(1_000);
      await drain;
      expect(drained).toBe(true);
    });
  });

  describe('thrown values that cannot be read', () => {
    it('records the failure at once when the thrown value has a throwing name getter', async () => {
      const { queue, runner } = setup({ policies: { t: { maxAttempts: 1 } } });
      const job = await queue.enqueue('t', null);
      const r = runner({
        handlers: {
          t: async () => {
            throw Object.defineProperty({}, 'name', {
              get() {
                throw new Error('gotcha');
              },
            });
          },
        },
      });
      await r.drain();
      const failed = await queue.getJob(job.id);
      expect(failed.status).toBe('failed');
      expect(failed.error).not.toMatch(/lease expired/);
      expect(await queue.getRetryHistory(job.id)).toHaveLength(1);
    });
  });

  describe('un-awaited progress with a bad value', () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    beforeEach(() => {
      rejections.length = 0;
      process.on('unhandledRejection', onRejection);
    });
    afterEach(() => {
      process.off('unhandledRejection', onRejection);
    });

    it('fails the handler with a ValidationError instead of an unhandled rejection', async () => {
      const { queue, runner } = setup({ policies: { t: { maxAttempts: 1 } } });
      const job = await queue.enqueue('t', null);
      const r = runner({
        handlers: {
          t: async (_job, ctx) => {
            void ctx.progress({ percent: 500 });
            return 'ok';
          },
        },
      });
      await r.drain();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(rejections).toEqual([]);
      const failed = await queue.getJob(job.id);
      expect(failed.status).toBe('failed');
      expect(failed.errorCategory).toBe('permanent_validation');
      expect(failed.error).toMatch(/progress.percent/);
    });
  });
});

/** The adapter behind a switch: while `down`, every call fails as a lost connection would. */
function switchable(adapter: StorageAdapter): { setDown(down: boolean): void } {
  let down = false;
  for (const method of [
    'claim',
    'heartbeat',
    'complete',
    'fail',
    'release',
    'recoverExpiredLeases',
    'getJob',
    'progress',
  ] as const) {
    const real = (adapter[method] as (...args: unknown[]) => Promise<unknown>).bind(adapter);
    (adapter as unknown as Record<string, unknown>)[method] = (...args: unknown[]) =>
      down
        ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
        : real(...args);
  }
  return { setDown: (d) => (down = d) };
}

describeEachAdapter('a store outage longer than the lease', () => {
  it('jobs that succeeded during a 5 s outage complete with their result, never dead-lettered or re-run', async () => {
    const { clock, queue, runner, adapter } = setup({ policies: { t: { maxAttempts: 1 } } });
    const store = switchable(adapter);
    let ran = 0;
    const handlers = {
      t: async (job: { payload: unknown }) => {
        ran++;
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 1_000));
        return { n: job.payload };
      },
    };
    // Two runners: the other one would recover the first one's expired leases.
    const a = runner({ workerId: 'a', leaseMs: 4_000, heartbeatMs: 1_000, handlers });
    const b = runner({ workerId: 'b', leaseMs: 4_000, heartbeatMs: 1_000, handlers });
    for (const r of [a, b]) r.on('error', () => {});
    const jobs = await queue.enqueueMany(Array.from({ length: 20 }, (_, i) => ({ type: 't', payload: i })));
    a.start();
    b.start();
    await clock.advance(200); // every job claimed and running
    store.setDown(true);
    await clock.advance(5_000); // handlers finish at 1 s; their writes fail; leases expire at ~4 s
    store.setDown(false);
    await clock.advance(15_000);
    const stored = await Promise.all(jobs.map((j) => queue.getJob(j.id)));
    expect(stored.map((j) => j.status)).toEqual(Array(20).fill('completed'));
    expect(stored.map((j) => j.result)).toEqual(jobs.map((_, i) => ({ n: i })));
    expect(stored.map((j) => j.attempt)).toEqual(Array(20).fill(1));
    expect(ran).toBe(20);
    const stopping = Promise.all([a.stop(), b.stop()]);
    await clock.advance(100);
    await stopping;
  });
});
