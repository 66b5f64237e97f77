import { memoryAdapter } from '@redrive/adapter-memory';
import { describe, expect, it } from 'vitest';
import type { StorageAdapter } from '../adapter/storage-adapter.js';
import { gate, networkError, setup } from './e2e-harness.js';

type Method = 'complete' | 'fail' | 'claim';

/** The memory adapter, with one method that throws the next `times` calls, or hangs / is slow. */
function flaky(method: Method, behaviour: { throwTimes?: number; delayMs?: number; hang?: boolean }) {
  const adapter = memoryAdapter();
  const real = (adapter[method] as (...args: unknown[]) => Promise<unknown>).bind(adapter);
  let left = behaviour.throwTimes ?? 0;
  let calls = 0;
  (adapter as unknown as Record<Method, unknown>)[method] = async (...args: unknown[]) => {
    calls++;
    if (behaviour.hang) return new Promise(() => {});
    if (left > 0) {
      left--;
      throw new Error(`${method} down`);
    }
    if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
    return real(...args);
  };
  return { adapter: adapter as StorageAdapter, calls: () => calls };
}

describe('JobRunner when the store fails', () => {
  it('tries a failed completion again: a handler that succeeded is not lost or dead-lettered', async () => {
    const store = flaky('complete', { throwTimes: 2 });
    const { clock, queue, runner } = setup({ adapter: store.adapter });
    const r = runner({ leaseMs: 30_000, handlers: { t: () => 'ok' } });
    const errors: unknown[] = [];
    r.on('error', (e) => errors.push(e));
    const job = await queue.enqueue('t', null, { maxAttempts: 1 });
    r.start();
    await clock.advance(5_000);
    expect(await queue.getJob(job.id)).toMatchObject({ status: 'completed', result: 'ok' });
    expect(errors).toHaveLength(2);
    await r.stop();
  });

  it('tries a failed fail() again, so the real error is in the history', async () => {
    const store = flaky('fail', { throwTimes: 1 });
    const { clock, queue, runner } = setup({ adapter: store.adapter });
    const r = runner({
      handlers: {
        t: () => {
          throw networkError('socket hang up');
        },
      },
    });
    r.on('error', () => {});
    const job = await queue.enqueue('t', null);
    r.start();
    await clock.advance(200);
    const history = await queue.getRetryHistory(job.id);
    expect(history[0]).toMatchObject({
      attempt: 1,
      error: 'socket hang up',
      errorCategory: 'transient_network',
    });
    await r.stop();
  });

  it('drain() resolves after a claim error, once the running jobs have finished', async () => {
    let claims = 0;
    const adapter = memoryAdapter();
    const claim = adapter.claim.bind(adapter);
    adapter.claim = (request) => (++claims === 2 ? Promise.reject(new Error('claim down')) : claim(request));
    const { queue, runner } = setup({ adapter, clock: undefined });
    const r = runner({
      concurrency: 2,
      claimBatchSize: 1,
      handlers: { t: () => new Promise((resolve) => setTimeout(resolve, 50)) },
    });
    const errors: unknown[] = [];
    r.on('error', (e) => errors.push(e));
    const a = await queue.enqueue('t', 1);
    await queue.enqueue('t', 2);
    const summary = await r.drain();
    expect(summary.reason).toBe('error');
    expect(errors.map(String)).toEqual(['Error: claim down']);
    expect((await queue.getJob(a.id)).status).toBe('completed');
  });

  it('stop() lets a failure being written land (history kept, backoff kept)', async () => {
    const store = flaky('fail', { delayMs: 200 });
    const { queue, runner } = setup({ adapter: store.adapter, clock: undefined });
    const r = runner({
      handlers: {
        t: () => {
          throw networkError();
        },
      },
    });
    const job = await queue.enqueue('t', null);
    r.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await r.stop({ timeoutMs: 10 });
    // stop() gave up waiting, but did not release the job under the write: the write lands.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stored = await queue.getJob(job.id);
    expect(stored.status).toBe('queued');
    expect(stored.runAt).toBeGreaterThan(Date.now());
    expect(await queue.getRetryHistory(job.id)).toHaveLength(1);
  });

  it('stop() resolves even when a completion write hangs', async () => {
    const store = flaky('complete', { hang: true });
    const { queue, runner } = setup({ adapter: store.adapter, clock: undefined });
    const r = runner({ handlers: { t: () => 1 } });
    await queue.enqueue('t', null);
    r.start();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const started = Date.now();
    await r.stop({ timeoutMs: 100 });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('JobRunner and handler results', () => {
  it('a result that cannot be stored as JSON fails the attempt as permanent_validation (DLQ), not a store error', async () => {
    const { clock, queue, runner } = setup();
    const r = runner({ handlers: { t: () => ({ total: 10n }) } });
    const errors: unknown[] = [];
    r.on('error', (e) => errors.push(e));
    const job = await queue.enqueue('t', null);
    r.start();
    await clock.advance(100);
    expect(await queue.getJob(job.id)).toMatchObject({
      status: 'failed',
      errorCategory: 'permanent_validation',
    });
    expect((await queue.getJob(job.id)).error).toContain('result');
    expect(errors).toEqual([]);
    await r.stop();
  });
});

describe('JobRunner slot accounting and ambiguous writes', () => {
  it('a completion that landed and then threw is reported as completed, not as a lost lease', async () => {
    const adapter = memoryAdapter();
    const complete = adapter.complete.bind(adapter);
    let calls = 0;
    adapter.complete = async (id, request) => {
      const ok = await complete(id, request);
      if (++calls === 1) throw new Error('connection reset after commit');
      return ok;
    };
    const { clock, queue, runner } = setup({ adapter });
    const r = runner({ handlers: { t: () => 'done' } });
    const events: string[] = [];
    for (const e of ['error', 'completed', 'leaseLost'] as const) r.on(e, () => void events.push(e));
    const job = await queue.enqueue('t', null);
    r.start();
    await clock.advance(1_000);
    expect(events).toEqual(['error', 'completed']);
    expect(await queue.getJob(job.id)).toMatchObject({ status: 'completed', result: 'done' });
    await r.stop();
  });

  it('a run whose job was re-claimed while its completion was pending does not leak a slot', async () => {
    const adapter = memoryAdapter();
    const complete = adapter.complete.bind(adapter);
    const firstWrite = gate();
    let calls = 0;
    adapter.complete = async (id, request) => {
      if (++calls === 1) await firstWrite.promise; // a slow store: the lease expires meanwhile
      return complete(id, request);
    };
    adapter.heartbeat = () => Promise.reject(new Error('heartbeats down'));
    const { clock, queue, runner } = setup({ adapter });
    const release = gate();
    let running = 0;
    let peak = 0;
    const r = runner({
      concurrency: 2,
      leaseMs: 200,
      heartbeatMs: 50,
      handlers: {
        quick: () => 'ok',
        gated: async () => {
          running++;
          peak = Math.max(peak, running);
          await release.promise;
          running--;
        },
      },
    });
    r.on('error', () => {});
    const quick = await queue.enqueue('quick', null);
    r.start();
    // The lease expired and was recovered; no heartbeat reported the run started (heartbeats are
    // down), so its attempt was given back; re-claimed and completed by this runner.
    await clock.advance(2_500);
    expect(await queue.getJob(quick.id)).toMatchObject({ status: 'completed', attempt: 1 });
    firstWrite.open(); // the first run's write is refused now, and that run ends
    await clock.advance(10);
    for (let i = 0; i < 4; i++) await queue.enqueue('gated', i);
    await clock.advance(100);
    expect(peak).toBe(2);
    release.open();
    await clock.advance(100);
    await r.stop();
  });
});
