/**
 * The contract's v2 clauses are checked, not just written: each behaviour the two adapters had
 * before (a copy of it, emulated over the intact memory adapter) fails the check of its clause,
 * and the intact adapter passes every one of them.
 */
import { memoryAdapter } from '@redrive/adapter-memory';
import {
  type ClaimedJob,
  type FailRequest,
  type Job,
  type JobFilter,
  type PurgeRequest,
  REQUIRED_ADAPTER_METHODS,
  type RecoverRequest,
  type ReleaseRequest,
  type StorageAdapter,
  type TransitionRequest,
} from '@redrive/core';
import { conformanceChecks, runConformanceCheck } from '@redrive/core/testing';
import { describe, expect, it } from 'vitest';

const OPTIONAL = ['transitionMany', 'subscribe', 'listWorkers', 'releaseWorker', 'ping', 'close'] as const;

/** A plain object forwarding every method to a fresh memory adapter, with some replaced. */
function v1(overrides: (inner: StorageAdapter) => Partial<StorageAdapter>): () => StorageAdapter {
  return () => {
    const inner = memoryAdapter();
    const wrapped: Record<string, unknown> = { name: 'v1-copy', capabilities: inner.capabilities };
    for (const method of [...REQUIRED_ADAPTER_METHODS, ...OPTIONAL]) {
      const fn = inner[method] as ((...args: unknown[]) => unknown) | undefined;
      if (fn) wrapped[method] = fn.bind(inner);
    }
    return Object.assign(wrapped, overrides(inner)) as unknown as StorageAdapter;
  };
}

const ALL = Number.MAX_SAFE_INTEGER;

/** Before v2, each adapter's own answer to the questions the contract left open. */
const BEFORE: Record<string, { clause: string; createAdapter: () => StorageAdapter }> = {
  'memory: purge without a limit deleted everything': {
    clause: 'clauses/purge-limit-required',
    createAdapter: v1((inner) => ({
      purge: (r: PurgeRequest) => inner.purge({ ...r, limit: r.limit ?? ALL }),
    })),
  },
  'postgres: purge without a limit deleted 1,000': {
    clause: 'clauses/purge-limit-required',
    createAdapter: v1((inner) => ({
      purge: (r: PurgeRequest) => inner.purge({ ...r, limit: r.limit ?? 1000 }),
    })),
  },
  'memory: purge deleted in insertion order': {
    clause: 'clauses/purge-oldest-first',
    createAdapter: v1((inner) => {
      const inserted: string[] = [];
      return {
        async enqueue(records, options) {
          const results = await inner.enqueue(records, options);
          for (const r of results) if (r.created) inserted.push(r.job.id);
          return results;
        },
        async purge(r: PurgeRequest) {
          const doomed: string[] = [];
          for (const id of inserted) {
            const job = await inner.getJob(id);
            if (job && r.status.includes(job.status) && job.updatedAt < r.olderThan) doomed.push(id);
          }
          return inner.deleteJobs(doomed.slice(0, r.limit));
        },
      };
    }),
  },
  'memory: recoverExpiredLeases without a limit took every expired lease': {
    clause: 'clauses/recover-limit-required',
    createAdapter: v1((inner) => ({
      recoverExpiredLeases: (r: RecoverRequest) =>
        inner.recoverExpiredLeases({ ...r, limit: r.limit ?? ALL }),
    })),
  },
  'postgres: recoverExpiredLeases without a limit took 1,000': {
    clause: 'clauses/recover-limit-required',
    createAdapter: v1((inner) => ({
      recoverExpiredLeases: (r: RecoverRequest) =>
        inner.recoverExpiredLeases({ ...r, limit: r.limit ?? 1000 }),
    })),
  },
  'both: recovery decided retry or dead in the adapter': {
    clause: 'recovery/hands-back',
    createAdapter: v1((inner) => ({
      async recoverExpiredLeases(r: RecoverRequest) {
        const taken = await inner.recoverExpiredLeases(r);
        for (const job of taken) await inner.fail(job.id, adapterDecision(job, r.now));
        return [] as ClaimedJob[];
      },
    })),
  },
  'memory: transitionMany took the oldest jobs first': {
    clause: 'clauses/transition-many-newest-first',
    createAdapter: v1((inner) => ({
      async transitionMany(filter: JobFilter, request: TransitionRequest & { limit: number }) {
        const { jobs } = await inner.listJobs({ ...filter, status: [...request.from], limit: 1000 });
        const changed: Job[] = [];
        for (const job of jobs.reverse().slice(0, request.limit)) {
          const result = await inner.transition(job.id, request);
          if (result.ok) changed.push(result.job);
        }
        return changed;
      },
    })),
  },
  'memory: release after a cancel answered true': {
    clause: 'clauses/release-after-cancel',
    createAdapter: v1((inner) => ({
      async release(id: string, request: ReleaseRequest) {
        const answer = await inner.release(id, request);
        return !answer.ok && answer.cancelled ? { ok: true, status: 'queued' } : answer;
      },
    })),
  },
  'postgres: fail accepted historyLimit 0': {
    clause: 'clauses/history-limit-zero',
    createAdapter: v1((inner) => ({
      fail: (id: string, r: FailRequest) =>
        inner.fail(id, { ...r, historyLimit: Math.max(1, r.historyLimit) }),
    })),
  },
  'both: a release to paused overwrote the pause reason': {
    clause: 'heartbeat/release-to-paused',
    createAdapter: v1((inner) => ({
      async release(id: string, request: ReleaseRequest) {
        const answer = await inner.release(id, request);
        if (answer.ok && answer.status === 'paused')
          await inner.transition(id, {
            from: ['paused'],
            to: 'paused',
            patch: { pauseReason: null },
            now: request.now,
          });
        return answer;
      },
    })),
  },
  'both: writes answered a boolean': {
    clause: 'clauses/writes-report',
    createAdapter: v1((inner) => ({
      complete: async (id, r) => (await inner.complete(id, r)).ok as never,
      fail: async (id, r) => (await inner.fail(id, r)).ok as never,
      release: async (id, r) => (await inner.release(id, r)).ok as never,
    })),
  },
};

/** What the adapters computed before v2: dead on the last attempt, requiresUserAction by category. */
function adapterDecision(job: ClaimedJob, now: number): FailRequest {
  const dead = job.attempt >= job.maxAttempts;
  const error = { message: 'lease expired', stack: null, category: 'transient_timeout' as const };
  return {
    leaseToken: job.leaseToken,
    now,
    error,
    outcome: dead
      ? { kind: 'dead', requiresUserAction: false, suggestedAction: null }
      : { kind: 'retry', runAt: now },
    history: {
      attempt: job.attempt,
      error: error.message,
      stack: null,
      errorCategory: error.category,
      delayMs: 0,
      deadLettered: dead,
      timestamp: now,
    },
    historyLimit: 25,
  };
}

function byId(id: string) {
  const found = conformanceChecks.find((c) => c.id === id);
  if (!found) throw new Error(`no conformance check ${id}`);
  return found;
}

describe('each v2 clause fails against a copy of a pre-v2 behaviour', () => {
  for (const [behaviour, { clause, createAdapter }] of Object.entries(BEFORE)) {
    it(`${clause} catches "${behaviour}"`, async () => {
      await expect(runConformanceCheck(byId(clause), { createAdapter })).rejects.toThrow(/\[conformance\]/);
    });
  }

  it('the intact memory adapter passes every one of those checks', async () => {
    const clauses = [...new Set(Object.values(BEFORE).map((b) => b.clause))];
    expect(clauses.length).toBeGreaterThanOrEqual(8);
    for (const clause of clauses) {
      await expect(
        runConformanceCheck(byId(clause), { createAdapter: () => memoryAdapter() }),
        clause,
      ).resolves.toBe(true);
    }
  });

  it('every check of the clauses group has a pre-v2 behaviour it catches', () => {
    const covered = new Set(Object.values(BEFORE).map((b) => b.clause));
    const clauseIds = conformanceChecks.filter((c) => c.id.startsWith('clauses/')).map((c) => c.id);
    expect(clauseIds.filter((id) => !covered.has(id))).toEqual([]);
  });
});
