// Shared set-up for the queue/runner end-to-end suites: each suite runs once per adapter of the
// matrix (adapter-registry.ts), with a fake clock and helpers to wait for events without sleeping.
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import type { StorageAdapter } from '../adapter/storage-adapter.js';
import { FakeClock } from '../clock/fake-clock.js';
import { createQueue } from '../queue/create-queue.js';
import type { CreateQueueOptions } from '../queue/types.js';
import { JobRunner } from '../runner/job-runner.js';
import type { JobRunnerOptions, RunnerEvents } from '../runner/types.js';
import { ADAPTER_FACTORIES, type AdapterFactory, selectedAdapters } from './adapter-registry.js';

export const T0 = Date.UTC(2026, 0, 1);

let current: { name: string; factory: AdapterFactory } | undefined;
const opened: StorageAdapter[] = [];

/**
 * Register `body` (describes and its) once per adapter of the matrix; inside it, {@link setup}
 * and {@link adapterName} use that adapter.
 */
export function describeEachAdapter(title: string, body: () => void): void {
  for (const name of selectedAdapters()) {
    describe(`${title} [${name}]`, () => {
      const factory = ADAPTER_FACTORIES[name]!();
      beforeAll(async () => {
        await factory.start();
        current = { name, factory };
      });
      afterEach(async () => {
        await Promise.all(opened.splice(0).map((a) => a.close?.().catch(() => {})));
      });
      afterAll(async () => {
        current = undefined;
        await factory.stop();
      });
      body();
    });
  }
}

/** The adapter the running test uses. */
export function adapterName(): string {
  if (!current) throw new Error('adapterName() outside describeEachAdapter');
  return current.name;
}

/**
 * A queue over a fresh store of the current adapter (or `options.adapter`), a fake clock that
 * waits for the store's in-flight calls between timers, and a runner factory.
 */
export function setup(options: Partial<CreateQueueOptions> = {}) {
  const adapter = options.adapter ?? fresh();
  // In-process stores answer within the fake clock's settle; a database needs waiting for.
  const storeIdle = options.adapter === undefined ? current?.factory.idle : undefined;
  let idle: (() => Promise<void>) | undefined;
  if (storeIdle) {
    const calls = track(adapter);
    idle = async () => {
      await calls();
      await storeIdle();
    };
  }
  const clock = new FakeClock(T0, idle ? { idle } : undefined);
  const queue = createQueue({ clock, random: () => 0.5, ...options, adapter });
  const runner = (opts: Omit<JobRunnerOptions, 'queue'>) => new JobRunner({ queue, ...opts });
  return { clock, adapter, queue, runner };
}

function fresh(): StorageAdapter {
  // Outside the matrix (a suite about one store's failures), the memory adapter.
  const adapter = (current?.factory ?? ADAPTER_FACTORIES.memory!()).create();
  opened.push(adapter);
  return adapter;
}

/**
 * The same adapter object, its method calls counted while they are in flight, so the fake clock
 * can wait for a database's answers the way it waits for promises. Methods are replaced on the
 * object itself: tests that replace a method afterwards (a faulty store) still go through it.
 */
function track(adapter: StorageAdapter): () => Promise<void> {
  const pending = new Set<Promise<unknown>>();
  if (!(adapter as { __tracked?: boolean }).__tracked) {
    for (const key of Object.getOwnPropertyNames(Object.getPrototypeOf(adapter)).concat(
      Object.keys(adapter),
    )) {
      const fn = (adapter as unknown as Record<string, unknown>)[key];
      if (key === 'constructor' || key === 'subscribe' || typeof fn !== 'function') continue;
      (adapter as unknown as Record<string, unknown>)[key] = function (this: unknown, ...args: unknown[]) {
        const result = (fn as (...a: unknown[]) => unknown).apply(adapter, args);
        if (result instanceof Promise) {
          pending.add(result);
          void result.finally(() => pending.delete(result)).catch(() => {});
        }
        return result;
      };
    }
    Object.defineProperty(adapter, '__tracked', { value: pending });
  }
  const inFlight = (adapter as unknown as { __tracked: Set<Promise<unknown>> }).__tracked;
  return async () => {
    // Bounded: a call a test holds on purpose (a hung store) must not hang the clock.
    for (let i = 0; i < 100 && inFlight.size > 0; i++) {
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise<void>((resolve) => setTimeout(resolve, 20)),
      ]);
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
  };
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
