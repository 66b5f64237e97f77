/**
 * Proof that the conformance suite can fail: the same check functions
 * that `runAdapterConformance` registers are run against deliberately broken adapters, built by
 * wrapping a correct memory adapter with one classic bug each, and must reject.
 */
import { memoryAdapter } from '@redrive/adapter-memory';
import {
  type ClaimedJob,
  type ClaimRequest,
  type HeartbeatRequest,
  REQUIRED_ADAPTER_METHODS,
  type RecoveredJob,
  type RecoverRequest,
  type ReleaseRequest,
  type StorageAdapter,
} from '@redrive/core';
import {
  type ConformanceCheck,
  conformanceChecks,
  runAdapterConformance,
  runConformanceCheck,
} from '@redrive/core/testing';
import { describe, expect, it } from 'vitest';

/** Every method of the contract: the required list core exports, then the optional ones. */
const METHODS = [
  ...REQUIRED_ADAPTER_METHODS,
  'transitionMany',
  'subscribe',
  'listWorkers',
  'releaseWorker',
  'ping',
  'close',
] as const;

/** A plain object forwarding every method to `inner`, with some replaced. */
function wrap(inner: StorageAdapter, overrides: Partial<StorageAdapter>): StorageAdapter {
  const wrapped: Record<string, unknown> = { name: `broken-${inner.name}`, capabilities: inner.capabilities };
  for (const method of METHODS) {
    const fn = inner[method] as ((...args: unknown[]) => unknown) | undefined;
    if (fn) wrapped[method] = fn.bind(inner);
  }
  return Object.assign(wrapped, overrides) as unknown as StorageAdapter;
}

/**
 * The classic missing row lock: a claim that starts while another is in flight reads the same
 * due rows and hands out the same jobs (a SELECT then UPDATE without FOR UPDATE SKIP LOCKED).
 */
function doubleClaiming(inner: StorageAdapter): StorageAdapter {
  let inFlight: Promise<ClaimedJob[]> | null = null;
  return wrap(inner, {
    claim(request: ClaimRequest) {
      if (inFlight) return inFlight;
      const current = inner.claim(request).finally(() => {
        inFlight = null;
      });
      inFlight = current;
      return current;
    },
  });
}

/**
 * Fenced writes that trust the job id alone: the wrapper swaps whatever token the caller
 * presents for the job's current one, as an adapter would that forgot `AND lease_token = $2`.
 */
function ignoringFencing(inner: StorageAdapter): StorageAdapter {
  const current = new Map<string, string>();
  const withCurrent = <R extends { leaseToken: string }>(id: string, request: R): R => ({
    ...request,
    leaseToken: current.get(id) ?? request.leaseToken,
  });
  return wrap(inner, {
    async claim(request) {
      const jobs = await inner.claim(request);
      for (const job of jobs) current.set(job.id, job.leaseToken);
      return jobs;
    },
    async recoverExpiredLeases(request) {
      const jobs = await inner.recoverExpiredLeases(request);
      for (const job of jobs) current.set(job.id, job.leaseToken);
      return jobs;
    },
    complete: (id, request) => inner.complete(id, withCurrent(id, request)),
    fail: (id, request) => inner.fail(id, withCurrent(id, request)),
    release: (id, request) => inner.release(id, withCurrent(id, request)),
    progress: (id, request) => inner.progress(id, withCurrent(id, request)),
    checkpoint: (id, request) => inner.checkpoint(id, withCurrent(id, request)),
  });
}

/** Wrong ways to keep the facts of core's crash refund, each over an intact memory adapter. */
const CRASH_REFUND_BUGS: Record<string, { check: string; createAdapter: () => StorageAdapter }> = {
  'hands back no start fact (a store that does not keep it, yet claims the capability)': {
    check: 'crash-refunds/start-reported',
    createAdapter: () => {
      const inner = memoryAdapter();
      return wrap(inner, {
        async recoverExpiredLeases(request: RecoverRequest) {
          return (await inner.recoverExpiredLeases(request)).map(
            ({ startReported: _s, crashRefunds: _c, ...job }) => job as RecoveredJob,
          );
        },
      });
    },
  },
  'records every heartbeat lease as started (started: false ignored)': {
    check: 'crash-refunds/start-reported',
    createAdapter: () => {
      const inner = memoryAdapter();
      return wrap(inner, {
        heartbeat: (request: HeartbeatRequest) =>
          inner.heartbeat({ ...request, leases: request.leases.map((l) => ({ ...l, started: true })) }),
      });
    },
  },
  'decides the refund itself (the removed Postgres prefetch did): refunds and hides unstarted leases': {
    check: 'crash-refunds/start-reported',
    createAdapter: () => {
      const inner = memoryAdapter();
      return wrap(inner, {
        async recoverExpiredLeases(request: RecoverRequest) {
          const handed: RecoveredJob[] = [];
          for (const job of await inner.recoverExpiredLeases(request)) {
            if (job.startReported) handed.push(job);
            else
              await inner.release(job.id, {
                leaseToken: job.leaseToken,
                now: request.now,
                to: 'queued',
                runAt: job.runAt,
                refundAttempt: true,
                crashRefund: true,
              });
          }
          return handed;
        },
      });
    },
  },
  'keeps the start fact per job, not per lease (a claim does not reset it)': {
    check: 'crash-refunds/per-lease',
    createAdapter: () => {
      const inner = memoryAdapter();
      const everStarted = new Set<string>();
      return wrap(inner, {
        async heartbeat(request: HeartbeatRequest) {
          const result = await inner.heartbeat(request);
          for (const l of request.leases)
            if (l.started !== false && !result.lost.includes(l.id)) everStarted.add(l.id);
          return result;
        },
        async recoverExpiredLeases(request: RecoverRequest) {
          return (await inner.recoverExpiredLeases(request)).map((job) => ({
            ...job,
            startReported: everStarted.has(job.id),
          }));
        },
      });
    },
  },
  'release ignores crashRefund (the refund is never counted)': {
    check: 'crash-refunds/count',
    createAdapter: () => {
      const inner = memoryAdapter();
      return wrap(inner, {
        release: (id: string, { crashRefund: _c, ...request }: ReleaseRequest) => inner.release(id, request),
      });
    },
  },
};

describe('each crash-refund check fails against a store that keeps the facts wrongly', () => {
  for (const [bug, { check, createAdapter }] of Object.entries(CRASH_REFUND_BUGS)) {
    it(`${check} catches a store that ${bug}`, async () => {
      await expect(runConformanceCheck(byId(check), { createAdapter })).rejects.toThrow(/\[conformance\]/);
    });
  }

  it('every crash-refund check has a wrong store it catches, and the intact memory adapter passes them', async () => {
    const ids = conformanceChecks.filter((c) => c.id.startsWith('crash-refunds/')).map((c) => c.id);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect(ids.filter((id) => !Object.values(CRASH_REFUND_BUGS).some((b) => b.check === id))).toEqual([]);
    for (const id of ids) {
      await expect(runConformanceCheck(byId(id), { createAdapter: () => memoryAdapter() }), id).resolves.toBe(
        true,
      );
    }
  });
});

function byId(id: string): ConformanceCheck {
  const found = conformanceChecks.find((c) => c.id === id);
  if (!found) throw new Error(`no conformance check ${id}`);
  return found;
}

describe('the conformance suite fails against broken adapters', () => {
  it('catches an adapter that hands one job to two parallel claimers', async () => {
    const options = { createAdapter: () => doubleClaiming(memoryAdapter()) };
    await expect(runConformanceCheck(byId('concurrency/parallel-claims'), options)).rejects.toThrow(
      /claimed by w\d+ and by w\d+/,
    );
    // The bug only shows under concurrency: sequential claim checks still pass, so the failure
    // above is the parallel-claims check doing its job, not a wrapper that breaks everything.
    await expect(runConformanceCheck(byId('claim/order'), options)).resolves.toBe(true);
  });

  it('catches an adapter whose fenced writes ignore the lease token', async () => {
    const options = { createAdapter: () => ignoringFencing(memoryAdapter()) };
    for (const id of ['fencing/after-reclaim', 'fencing/wrong-token']) {
      await expect(runConformanceCheck(byId(id), options), id).rejects.toThrow(
        /fenced writes that accepted a (stale|forged) token/,
      );
    }
    await expect(runConformanceCheck(byId('fail/retry'), options)).resolves.toBe(true);
  });

  it('passes the same checks on the intact memory adapter', async () => {
    const options = { createAdapter: () => memoryAdapter() };
    for (const id of ['concurrency/parallel-claims', 'fencing/after-reclaim', 'fencing/wrong-token']) {
      await expect(runConformanceCheck(byId(id), options), id).resolves.toBe(true);
    }
  });
});

describe('conformance suite options', () => {
  it('rejects a missing createAdapter and unknown skip ids with a ValidationError naming the field', async () => {
    expect(() => runAdapterConformance({} as never)).toThrow(
      expect.objectContaining({
        name: 'ValidationError',
        issues: [expect.objectContaining({ path: 'createAdapter' })],
      }),
    );
    expect(() =>
      runAdapterConformance({ createAdapter: () => memoryAdapter(), skip: ['claim/order', 'claim/nope'] }),
    ).toThrow(/unknown checks: claim\/nope/);
    await expect(
      runConformanceCheck(byId('claim/order'), { createAdapter: 'no' as never }),
    ).rejects.toMatchObject({
      issues: [{ path: 'createAdapter' }],
    });
  });

  it('registers with any runner given its describe and it, and refuses to guess when given none', async () => {
    // A jest- or mocha-like runner: bodies called without a context object.
    const tests: Array<[string, (context?: unknown) => Promise<void>]> = [];
    const path: string[] = [];
    runAdapterConformance({
      describe: (name, body) => {
        path.push(name);
        body();
        path.pop();
      },
      it: (name, body) => void tests.push([[...path, name].join(' > '), body]),
      createAdapter: () => memoryAdapter(),
      capabilities: { ...memoryAdapter().capabilities, subscribe: false },
    });
    expect(tests.length).toBeGreaterThan(30);
    expect(tests[0]![0]).toMatch(/^adapter conformance > \w+ > .+ \[[\w-]+\/[\w-]+\]$/);
    expect(tests.some(([name]) => name.includes('[subscribe/'))).toBe(false);
    const claimOrder = tests.find(([name]) => name.includes('[claim/order]'))!;
    await expect(claimOrder[1]()).resolves.toBeUndefined();

    expect(() => runAdapterConformance({ createAdapter: () => memoryAdapter() })).toThrow(
      expect.objectContaining({
        name: 'ValidationError',
        issues: [expect.objectContaining({ path: 'describe' })],
      }),
    );
  });

  it('does not run a check whose capability the adapter does not claim', async () => {
    let created = 0;
    const ran = await runConformanceCheck(byId('subscribe/enqueue'), {
      createAdapter: () => {
        created++;
        return memoryAdapter();
      },
      capabilities: { subscribe: false },
    });
    expect([ran, created]).toEqual([false, 0]);
  });
});
