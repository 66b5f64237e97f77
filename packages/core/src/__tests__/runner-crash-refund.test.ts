/*
 * Core's crash refund on every adapter of the matrix: a worker that dies (SIGKILL: no release, no
 * more heartbeats) costs an attempt only to the jobs it had started. Jobs it held claimed ahead get
 * their attempt back when recovery takes their expired lease over, and a job that kills its worker
 * as it starts is refunded at most MAX_CRASH_REFUNDS times, then charged and dead-lettered.
 */
import { memoryAdapter } from '@redrive/adapter-memory';
import { describe, expect, it } from 'vitest';
import { REQUIRED_ADAPTER_METHODS, type StorageAdapter } from '../adapter/storage-adapter.js';
import { systemClock } from '../clock/clock.js';
import { createQueue } from '../queue/create-queue.js';
import { JobRunner } from '../runner/job-runner.js';
import { MAX_CRASH_REFUNDS } from '../runner/recover-leases.js';
import type { RecoveredLeases } from '../runner/types.js';
import { describeEachAdapter, gate, setup } from './e2e-harness.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachAdapter('crash refunds', () => {
  it('maxAttempts 1: the jobs a dead worker held unstarted go back with their attempt; the started ones are charged', async () => {
    const { clock, adapter, queue, runner } = setup();
    for (let i = 0; i < 4; i++) await queue.enqueue('t', i, { maxAttempts: 1 });
    const held = await adapter.claim({ workerId: 'dead', limit: 4, leaseMs: 1000, now: clock.now() });
    // Its last heartbeat: two runs started, two jobs waiting in its claim-ahead buffer.
    await adapter.heartbeat({
      workerId: 'dead',
      leases: held.map((j, i) => ({ id: j.id, leaseToken: j.leaseToken, started: i < 2 })),
      leaseMs: 1000,
      now: clock.now(),
    });
    const [startedIds, waitingIds] = [held.slice(0, 2).map((j) => j.id), held.slice(2).map((j) => j.id)];
    await clock.advance(1000);

    // A runner for another type recovers the leases but claims none of these jobs.
    const sweeper = runner({ handlers: { other: () => 'ok' } });
    const summaries: RecoveredLeases[] = [];
    sweeper.on('recovered', (s) => summaries.push(s));
    expect(await sweeper.drain()).toMatchObject({ recovered: 4, deadLettered: 2, retried: 0 });
    expect(summaries).toHaveLength(1);
    expect([...summaries[0]!.refunded].sort()).toEqual([...waitingIds].sort());
    expect([...summaries[0]!.requeued].sort()).toEqual([...waitingIds].sort());
    expect([...summaries[0]!.deadLettered].sort()).toEqual([...startedIds].sort());
    for (const id of waitingIds) {
      expect(await queue.getJob(id)).toMatchObject({ status: 'queued', attempt: 0, leaseOwner: null });
      expect(await queue.getRetryHistory(id)).toEqual([]);
    }
    for (const id of startedIds) {
      expect(await queue.getJob(id)).toMatchObject({
        status: 'failed',
        attempt: 1,
        errorCategory: 'transient_timeout',
      });
    }

    // The refunded jobs still have their one attempt: they run and complete.
    expect(await runner({ handlers: { t: () => 'ok' } }).drain()).toMatchObject({ completed: 2 });
    for (const id of waitingIds)
      expect(await queue.getJob(id)).toMatchObject({ status: 'completed', attempt: 1 });
  });

  it('a job that kills its worker as it starts is refunded at most MAX_CRASH_REFUNDS times, then dead-lettered', async () => {
    const { clock, adapter, queue, runner } = setup();
    const job = await queue.enqueue('t', {}, { maxAttempts: 1 });
    const sweeper = runner({ handlers: { other: () => 'ok' } });
    for (let crash = 1; crash <= MAX_CRASH_REFUNDS + 1; crash++) {
      // Claimed and started, and its worker dies before any heartbeat can report the start.
      const [claimed] = await adapter.claim({
        workerId: `w${crash}`,
        limit: 1,
        leaseMs: 1000,
        now: clock.now(),
      });
      expect(claimed).toMatchObject({ id: job.id, attempt: 1 });
      await clock.advance(1000);
      await sweeper.drain();
      expect(await queue.getJob(job.id)).toMatchObject(
        crash <= MAX_CRASH_REFUNDS
          ? { status: 'queued', attempt: 0 }
          : { status: 'failed', attempt: 1, errorCategory: 'transient_timeout' },
      );
    }
    expect((await queue.getRetryHistory(job.id)).map((h) => [h.attempt, h.deadLettered])).toEqual([
      [1, true],
    ]);
  });

  it('a job asked to pause while it waited unstarted is paused by the refund, attempt given back', async () => {
    const { clock, adapter, queue, runner } = setup();
    const job = await queue.enqueue('t', {}, { maxAttempts: 1 });
    await adapter.claim({ workerId: 'dead', limit: 1, leaseMs: 1000, now: clock.now() });
    // A pause asked for while it waited (what pauseJob records for a running job).
    await adapter.transition(job.id, {
      from: ['running'],
      to: 'running',
      patch: { pauseRequested: true },
      now: clock.now(),
    });
    await clock.advance(1000);
    const summaries: RecoveredLeases[] = [];
    const sweeper = runner({ handlers: { other: () => 'ok' } });
    sweeper.on('recovered', (s) => summaries.push(s));
    await sweeper.drain();
    expect(summaries).toEqual([{ requeued: [], deadLettered: [], paused: [job.id], refunded: [job.id] }]);
    expect(await queue.getJob(job.id)).toMatchObject({ status: 'paused', attempt: 0, pauseRequested: false });
  });

  it('SIGKILL-style: a runner dies with two jobs running and more claimed ahead; only the two are charged', async () => {
    const { adapter, queue } = setup({ clock: systemClock });
    await queue.enqueueMany(
      Array.from({ length: 400 }, (_, i) => ({ type: 't', payload: i, options: { maxAttempts: 1 } })),
    );
    const victim = killable(adapter);
    const started = new Set<string>();
    const never = gate();
    const dying = new JobRunner({
      queue: createQueue({ adapter: victim.adapter, clock: systemClock }),
      workerId: 'victim',
      concurrency: 2,
      leaseMs: 1000,
      heartbeatMs: 100,
      pollIntervalMs: 50,
      handlers: {
        t: async (job) => {
          started.add(job.id);
          // Short jobs first (the runner learns to claim ahead), then two that never end.
          if (started.size > 200) await never.promise;
        },
      },
    });
    dying.on('error', () => {});
    dying.start();
    await until(() => started.size >= 202 && dying.ahead.size > 0, 'two blocked runs and a buffer');
    await sleep(300); // heartbeats report the two runs started, the buffer not started
    const running = [...dying.active.keys()];
    const buffered = dying.ahead.leases().map((l) => l.id);
    expect(running).toHaveLength(2);
    expect(buffered.length).toBeGreaterThan(0);
    victim.kill(); // from now on nothing it sends reaches the store
    await sleep(1300); // its leases expire

    const ran = new Set<string>();
    const survivor = new JobRunner({
      queue,
      workerId: 'survivor',
      handlers: { t: (job) => void ran.add(job.id) },
    });
    const summaries: RecoveredLeases[] = [];
    survivor.on('recovered', (s) => summaries.push(s));
    const summary = await survivor.drain();
    expect(summary).toMatchObject({ deadLettered: 2, reason: 'idle' });
    const refunded = new Set(summaries.flatMap((s) => s.refunded));
    for (const id of buffered) expect(refunded.has(id)).toBe(true);
    expect(summaries.flatMap((s) => s.deadLettered).sort()).toEqual([...running].sort());
    for (const id of buffered) {
      expect(ran.has(id)).toBe(true);
      expect(await queue.getJob(id)).toMatchObject({ status: 'completed', attempt: 1 });
      expect(await queue.getRetryHistory(id)).toEqual([]);
    }
    // Dead-lettered: only the two runs that had started (no job lost an attempt it did not use).
    const dead = (await queue.listJobs({ status: 'failed', limit: 1000 })).jobs;
    expect(dead.map((j) => j.id).sort()).toEqual([...running].sort());
    for (const job of dead) expect(job.error).toMatch(/lease expired/);
    expect((await queue.stats()).counts).toMatchObject({ completed: 398, failed: 2, running: 0, queued: 0 });

    never.open();
    await dying.stop({ timeoutMs: 0 });
  }, 30_000);
});

describe('crash refunds need the store’s facts', () => {
  it('an adapter without capabilities.crashRefunds: every expired lease costs its attempt, as before', async () => {
    const inner = memoryAdapter();
    const adapter: StorageAdapter = Object.create(inner);
    Object.defineProperty(adapter, 'capabilities', { value: { ...inner.capabilities, crashRefunds: false } });
    const { clock, queue, runner } = setup({ adapter });
    const job = await queue.enqueue('t', {}, { maxAttempts: 1 });
    await adapter.claim({ workerId: 'dead', limit: 1, leaseMs: 1000, now: clock.now() });
    await clock.advance(1000);
    expect(await runner({ handlers: { other: () => 'ok' } }).drain()).toMatchObject({ deadLettered: 1 });
    expect(await queue.getJob(job.id)).toMatchObject({ status: 'failed', attempt: 1 });
  });
});

/** The adapter as a process sees it: `kill()` and every later call fails without reaching the store. */
function killable(inner: StorageAdapter): { adapter: StorageAdapter; kill(): void } {
  let dead = false;
  const adapter: Record<string, unknown> = { name: inner.name, capabilities: inner.capabilities };
  for (const method of [
    ...REQUIRED_ADAPTER_METHODS,
    'listWorkers',
    'releaseWorker',
    'transitionMany',
  ] as const) {
    const fn = inner[method] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (!fn) continue;
    adapter[method] = async (...args: unknown[]) => {
      // A claim takes a few ms, as a database round trip does: the runner then claims ahead.
      if (method === 'claim') await sleep(3);
      if (dead) throw new Error('the process was killed');
      return fn.apply(inner, args);
    };
  }
  return {
    adapter: adapter as unknown as StorageAdapter,
    kill: () => {
      dead = true;
    },
  };
}

async function until(done: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
