import { type Job, type RetryHistoryEntry, type StorageAdapter, ValidationError } from '@redrive/core';
import { MemoryAdapter } from './memory-adapter.js';
import { copyJob } from './stored-job.js';

/** Raw views of a memory adapter's store, bypassing its methods: for conformance `inspect` and memory tests. */
export interface MemoryInternals {
  /** The stored job, decoded from the store's own record (a copy: payload, metadata, result fresh). */
  getJob(id: string): Job | null;
  getRetryHistory(id: string): RetryHistoryEntry[];
  /**
   * Sizes of the internal structures: jobs, the insertion-order list (with tombstones), ready-queue
   * entries (live and stale), the running set, idempotency keys.
   */
  sizes(): { jobs: number; order: number; readyEntries: number; running: number; keys: number };
}

/**
 * The raw store behind an adapter made by {@link memoryAdapter}, for tests that check writes
 * against the store itself (the `inspect` option of `runAdapterConformance`).
 * Throws a `ValidationError` naming `adapter` for any other adapter.
 *
 * @example
 * runAdapterConformance({ describe, it, createAdapter: () => memoryAdapter(), inspect: memoryInternals });
 */
export function memoryInternals(adapter: StorageAdapter): MemoryInternals {
  if (!(adapter instanceof MemoryAdapter)) {
    throw new ValidationError('[redrive] [memory] memoryInternals: adapter is not a memory adapter', {
      issues: [{ path: 'adapter', message: 'not made by memoryAdapter()' }],
    });
  }
  return {
    getJob: (id) => {
      const stored = adapter.store.get(id);
      return stored === undefined ? null : copyJob(stored.job);
    },
    getRetryHistory: (id) => adapter.store.get(id)?.history ?? [],
    sizes: () => adapter.internals,
  };
}
