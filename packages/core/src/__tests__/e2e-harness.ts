// Shared set-up for the queue/runner end-to-end tests: a real memory adapter, a fake clock, and
// helpers to wait for events without sleeping.
import { memoryAdapter } from '@redrive/adapter-memory';
import { FakeClock } from '../clock/fake-clock.js';
import { createQueue } from '../queue/create-queue.js';
import type { CreateQueueOptions } from '../queue/types.js';
import { JobRunner } from '../runner/job-runner.js';
import type { JobRunnerOptions, RunnerEvents } from '../runner/types.js';

export const T0 = Date.UTC(2026, 0, 1);

export function setup(options: Partial<CreateQueueOptions> = {}) {
  const clock = new FakeClock(T0);
  const adapter = options.adapter ?? memoryAdapter();
  const queue = createQueue({ adapter, clock, random: () => 0.5, ...options });
  const runner = (opts: Omit<JobRunnerOptions, 'queue'>) => new JobRunner({ queue, ...opts });
  return { clock, adapter, queue, runner };
}

/** Resolves the next time `runner` emits `event` (with its arguments). */
export function once<K extends keyof RunnerEvents>(
  runner: JobRunner,
  event: K,
): Promise<Parameters<RunnerEvents[K]>> {
  return new Promise((resolve) => {
    const off = runner.on(event, ((...args: Parameters<RunnerEvents[K]>) => {
      off();
      resolve(args);
    }) as RunnerEvents[K]);
  });
}

/** A promise the test settles by hand. */
export function gate<T = void>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Rejects when the signal aborts (with its reason): what a well-behaved handler awaits. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

export function networkError(message = 'socket hang up') {
  return Object.assign(new Error(message), { code: 'ECONNRESET' });
}
