// The public Queue shows what users call; the store, clock and policies stay inside core.
import { memoryAdapter } from '@redrive/adapter-memory';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/redrive-error.js';
import { createQueue } from '../queue/create-queue.js';
import { queueInternals } from '../queue/internals.js';
import type { Queue } from '../queue/types.js';
import { JobRunner } from '../runner/job-runner.js';

const INTERNAL_NAMES = ['adapter', 'clock', 'classifier', 'policyFor', 'historyLimit', 'random'];

describe('the public Queue', () => {
  it('has no internal members, in its keys, a spread or its JSON', () => {
    const queue = createQueue({ adapter: memoryAdapter() });
    for (const name of INTERNAL_NAMES) {
      expect(Object.keys(queue)).not.toContain(name);
      expect(name in queue).toBe(false);
    }
    expect(Object.keys({ ...queue })).toEqual(Object.keys(queue));
    expect(JSON.stringify(Object.keys(queue))).not.toContain('adapter');
  });

  it('does not declare them in its type', () => {
    const queue: Queue = createQueue({ adapter: memoryAdapter() });
    // @ts-expect-error the store is not public API
    void queue.adapter;
    // @ts-expect-error policies are resolved inside core
    void queue.policyFor;
    // @ts-expect-error the clock is not public API
    void queue.clock;
    expect(typeof queue.enqueue).toBe('function');
  });

  it("keeps them for the runner: a job runs under its type's policy", async () => {
    const adapter = memoryAdapter();
    const queue = createQueue({ adapter, historyLimit: 3, policies: { t: { maxAttempts: 1 } } });
    const internals = queueInternals(queue);
    expect(internals.adapter).toBe(adapter);
    expect(internals.historyLimit).toBe(3);
    expect(internals.policyFor('t').retry.maxRetries).toBe(1);
    const job = await queue.enqueue('t', {});
    const runner = new JobRunner({
      queue,
      handlers: {
        t: () => {
          throw new Error('boom');
        },
      },
      pollIntervalMs: 10,
    });
    await runner.drain();
    // One execution, as the type's policy says (the default policy would re-queue it).
    expect((await queue.getJob(job.id)).status).toBe('failed');
  });

  it('refuses a look-alike object that was not made by createQueue', () => {
    const adapter = memoryAdapter();
    const real = createQueue({ adapter });
    const lookAlike = { ...real, adapter, policyFor: () => undefined };
    expect(() => new JobRunner({ queue: lookAlike as unknown as Queue, handlers: { t: () => {} } })).toThrow(
      ValidationError,
    );
    expect(() => queueInternals(lookAlike as unknown as Queue)).toThrow(
      /queue: must be a queue from createQueue/,
    );
  });
});
