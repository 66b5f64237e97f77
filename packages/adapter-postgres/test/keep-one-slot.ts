import type { StorageAdapter } from '@redrive/core';

/**
 * Works around a JobRunner busy loop (core `job-runner.ts`, `pump()`): when a wake-up arrives
 * while a claim is in flight and that claim fills every slot, `pump()` returns before clearing
 * `wakePending`, and `schedulePump` re-queues it forever in microtasks, freezing the process.
 * The memory adapter rarely hits it (its claims resolve at once); a real database does at once.
 *
 * This wrapper never lets a claim fill the runner's last slot, so `pump()` always clears the
 * flag. Run the runner with `concurrency: n + 1` to get n jobs at a time. Remove it when the
 * runner clears `wakePending` before its "no free slot" return.
 */
export function keepOneSlot<A extends StorageAdapter>(adapter: A): A {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      if (prop === 'claim') {
        return async (request: Parameters<A['claim']>[0]) =>
          request.limit <= 1 ? [] : target.claim({ ...request, limit: request.limit - 1 });
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
