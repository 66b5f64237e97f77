// A wall-clock test (30,000 jobs, handlers that burn CPU): run by `pnpm test:slow`, not `npm test`.
import { memoryAdapter } from '@redrive/adapter-memory';
import { describe, expect, it } from 'vitest';
import type { StorageAdapter } from '../adapter/storage-adapter.js';
import { systemClock } from '../clock/clock.js';
import { createQueue } from '../queue/create-queue.js';
import { JobRunner } from '../runner/job-runner.js';

describe('under load with the real clock', () => {
  it('keeps heartbeating while a busy loop processes thousands of jobs (timers are not starved)', async () => {
    const adapter = memoryAdapter();
    let heartbeats = 0;
    const counted: StorageAdapter = Object.create(adapter);
    counted.heartbeat = (request) => {
      heartbeats++;
      return adapter.heartbeat(request);
    };
    const queue = createQueue({ adapter: counted, clock: systemClock });
    const total = 30_000;
    for (let i = 0; i < total; i += 5000) {
      await queue.enqueueMany(Array.from({ length: 5000 }, (_, j) => ({ type: 'spin', payload: i + j })));
    }
    // Each handler burns ~20 µs of CPU synchronously: the loop is busy for well over the heartbeat period.
    const spin = () => {
      const end = performance.now() + 0.02;
      while (performance.now() < end);
    };
    const runner = new JobRunner({
      queue,
      concurrency: 10,
      leaseMs: 200,
      heartbeatMs: 20,
      handlers: { spin },
    });
    const started = performance.now();
    const summary = await runner.drain();
    const elapsed = performance.now() - started;
    expect(summary.completed).toBe(total);
    expect(summary.leaseLost).toBe(0);
    expect(heartbeats).toBeGreaterThanOrEqual(Math.floor(elapsed / 20 / 4));
  });
});
