import { memoryAdapter } from '@redrive/adapter-memory';
import { describe, expect, it } from 'vitest';
import { gate, setup } from './e2e-harness.js';

/** A memory adapter whose completions wait until the test opens the gate (a slow store). */
function slowCompletions() {
  const adapter = memoryAdapter();
  const writes = gate();
  let pending = 0;
  const complete = adapter.complete.bind(adapter);
  adapter.complete = async (id, request) => {
    pending++;
    await writes.promise;
    pending--;
    return complete(id, request);
  };
  return { adapter, writes, pending: () => pending };
}

describe('JobRunner: a slot is free as soon as the handler returns', () => {
  it('starts the next job while the previous completion is still being written', async () => {
    const slow = slowCompletions();
    const { clock, queue, runner } = setup({ adapter: slow.adapter });
    const started: number[] = [];
    // No claim-ahead: the counts below are about slots, and a claimed-ahead job is `running` too.
    const r = runner({
      concurrency: 1,
      claimAhead: 0,
      handlers: { t: (job) => void started.push(job.payload as number) },
    });
    for (let i = 0; i < 3; i++) await queue.enqueue('t', i);
    r.start();
    await clock.settle();
    // Concurrency 1: one handler at a time, and at most 2 × concurrency runs in flight, so the
    // second job ran while the first completion waited; the third waits until a write lands.
    expect(started).toEqual([0, 1]);
    expect(slow.pending()).toBe(2);
    expect((await queue.stats()).counts).toMatchObject({ running: 2, queued: 1 });
    slow.writes.open();
    await clock.settle();
    expect(started).toEqual([0, 1, 2]);
    expect((await queue.stats()).counts.completed).toBe(3);
    await r.stop();
  });

  it('keeps heartbeating a lease whose completion is pending, and stop() waits for the write', async () => {
    const slow = slowCompletions();
    const { clock, queue, runner } = setup({ adapter: slow.adapter });
    const r = runner({ concurrency: 1, leaseMs: 1_000, heartbeatMs: 200, handlers: { t: () => 'done' } });
    const job = await queue.enqueue('t', null);
    r.start();
    await clock.settle();
    await clock.advance(5_000); // five lease periods: only heartbeats keep it ours
    expect((await queue.getJob(job.id)).status).toBe('running');
    const stopping = r.stop({ timeoutMs: 10 });
    await clock.advance(100);
    slow.writes.open();
    await stopping;
    // Not released back to the queue by stop(): the completion landed.
    expect(await queue.getJob(job.id)).toMatchObject({ status: 'completed', result: 'done', attempt: 1 });
  });
});
