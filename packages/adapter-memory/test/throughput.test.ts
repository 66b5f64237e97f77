/** The throughput conformance check can fail: an adapter that buckets jobs by creation time is caught. */
import { memoryAdapter } from '@redrive/adapter-memory';
import type { StorageAdapter, ThroughputRequest } from '@redrive/core';
import { conformanceChecks, runConformanceCheck } from '@redrive/core/testing';
import { expect, it } from 'vitest';

const check = conformanceChecks.find((c) => c.id === 'throughput/per-minute')!;

it('the throughput check rejects an adapter that counts by createdAt and accepts the memory adapter', async () => {
  const byCreation = (): StorageAdapter => {
    const inner = memoryAdapter();
    return Object.create(inner, {
      throughput: {
        // Shifts the window by the 20 ms between a job's creation and its finish in the check.
        value: (r: ThroughputRequest) =>
          inner.throughput!({ ...r, since: r.since + 20, until: r.until + 20 }),
      },
    }) as StorageAdapter;
  };
  await expect(runConformanceCheck(check, { createAdapter: byCreation })).rejects.toThrow(/every job/);
  await expect(runConformanceCheck(check, { createAdapter: () => memoryAdapter() })).resolves.toBe(true);
});
