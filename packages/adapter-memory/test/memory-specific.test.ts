import { memoryAdapter, memoryInternals } from '@redrive/adapter-memory';
import type { NewJobRecord } from '@redrive/core';
import { describe, expect, it } from 'vitest';

function record(i: number, overrides: Partial<NewJobRecord> = {}): NewJobRecord {
  return {
    id: `job-${i}`,
    type: 'noop',
    queue: 'default',
    tenantId: null,
    payload: { i },
    priority: 0,
    runAt: 0,
    maxAttempts: 3,
    idempotencyKey: null,
    timeoutMs: null,
    title: null,
    metadata: {},
    createdAt: 0,
    ...overrides,
  };
}

/** A small deterministic generator so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('memory adapter: ready queue', () => {
  it('claims 20,000 shuffled jobs in exact (priority desc, createdAt asc) order', async () => {
    const adapter = memoryAdapter();
    const rand = lcg(7);
    const records = Array.from({ length: 20_000 }, (_, i) =>
      record(i, { priority: Math.floor(rand() * 10), createdAt: Math.floor(rand() * 1_000_000) }),
    );
    await adapter.enqueue(records);
    const expected = [...records]
      .sort((a, b) => b.priority - a.priority || a.createdAt - b.createdAt)
      .map((r) => `${r.priority}/${r.createdAt}`);
    const got: string[] = [];
    for (;;) {
      const batch = await adapter.claim({ workerId: 'w', limit: 37, leaseMs: 1000, now: 2_000_000 });
      if (batch.length === 0) break;
      for (const job of batch) got.push(`${job.priority}/${job.createdAt}`);
    }
    expect(got).toEqual(expected);
  });

  it('moves delayed jobs to the due heap only when the clock reaches their runAt', async () => {
    const adapter = memoryAdapter();
    await adapter.enqueue([
      record(1, { runAt: 300, priority: 5 }),
      record(2, { runAt: 100 }),
      record(3, { runAt: 200, priority: 1 }),
    ]);
    const claimAt = async (now: number) =>
      (await adapter.claim({ workerId: 'w', limit: 10, leaseMs: 1000, now })).map((j) => j.id);
    expect(await claimAt(99)).toEqual([]);
    expect(await claimAt(100)).toEqual(['job-2']);
    expect(await claimAt(250)).toEqual(['job-3']);
    expect(await claimAt(299)).toEqual([]);
    expect(await claimAt(300)).toEqual(['job-1']);
  });

  it('sends a due job back to waiting when the caller claims with an earlier clock', async () => {
    const adapter = memoryAdapter();
    await adapter.enqueue([record(1, { runAt: 100 })]);
    expect(await adapter.claim({ workerId: 'w', limit: 1, leaseMs: 10, now: 500 })).toHaveLength(1);
    await adapter.enqueue([record(2, { runAt: 100, createdAt: 0 })]);
    expect(await adapter.claim({ workerId: 'w', limit: 1, leaseMs: 10, now: 50 })).toHaveLength(0);
    expect((await adapter.claim({ workerId: 'w', limit: 1, leaseMs: 10, now: 100 }))[0]?.id).toBe('job-2');
  });
});

describe('memory adapter: memory', () => {
  it('drops every internal entry after its jobs are completed and purged', async () => {
    const adapter = memoryAdapter();
    const n = 5_000;
    await adapter.enqueue(Array.from({ length: n }, (_, i) => record(i, { idempotencyKey: `k${i}` })));
    // Half of them leave `queued` without a claim (lazy deletion), half run to completion.
    for (let i = 0; i < n; i += 2) {
      await adapter.transition(`job-${i}`, { from: ['queued'], to: 'cancelled', now: 1 });
    }
    for (;;) {
      const batch = await adapter.claim({ workerId: 'w', limit: 100, leaseMs: 1000, now: 1 });
      if (batch.length === 0) break;
      for (const job of batch)
        await adapter.complete(job.id, { leaseToken: job.leaseToken, result: null, now: 2 });
    }
    const purged = await adapter.purge({ status: ['completed', 'cancelled'], olderThan: 10, limit: n });
    expect(purged).toBe(n);
    expect(memoryInternals(adapter).sizes()).toEqual({
      jobs: 0,
      order: 0,
      readyEntries: 0,
      running: 0,
      keys: 0,
    });
  });

  it('compacts stale entries of jobs that never surface', async () => {
    const adapter = memoryAdapter();
    const n = 4_000;
    // Far-future jobs never reach the top of a heap, so only compaction can drop their entries.
    await adapter.enqueue(Array.from({ length: n }, (_, i) => record(i, { runAt: 1e12 })));
    // Delete three quarters: stale heap entries and insertion-order tombstones stay bounded.
    await adapter.deleteJobs(Array.from({ length: 3_000 }, (_, i) => `job-${i}`));
    const partly = memoryInternals(adapter).sizes();
    expect(partly.jobs).toBe(1_000);
    expect(partly.readyEntries).toBeLessThanOrEqual(1_000 + COMPACT_BOUND);
    expect(partly.order).toBeLessThanOrEqual(1_000 + COMPACT_BOUND);
    const page = await adapter.listJobs({ limit: 5 });
    expect(page.jobs.map((j) => j.id)).toEqual(['job-3999', 'job-3998', 'job-3997', 'job-3996', 'job-3995']);
    await adapter.deleteJobs(Array.from({ length: n }, (_, i) => `job-${i}`));
    expect(memoryInternals(adapter).sizes().readyEntries).toBeLessThan(COMPACT_BOUND);
    expect(memoryInternals(adapter).sizes().order).toBe(0);
  });
});

/** Compaction runs once stale entries are 1024 or more and at least half of all entries. */
const COMPACT_BOUND = 1024;
