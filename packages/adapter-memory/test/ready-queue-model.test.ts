/**
 * Differential test of the ready queue: random sequences of enqueues, filtered claims, retries,
 * cancels, re-filed run-ats, deletes and clock moves (backwards too), run against the adapter and
 * against a brute-force model that scans every job. Any disagreement in which jobs a claim
 * returns, or in their order, fails with the seed and step.
 */
import { memoryAdapter, memoryInternals } from '@redrive/adapter-memory';
import type { ClaimedJob, StorageAdapter } from '@redrive/core';
import { newJobRecord, T0 } from '@redrive/core/testing';
import { describe, expect, it } from 'vitest';

interface ModelJob {
  id: string;
  seq: number;
  type: string;
  queue: string;
  priority: number;
  createdAt: number;
  runAt: number;
  status: 'queued' | 'running' | 'done';
  token: string | null;
}

const TYPES = ['a', 'b', 'c'];
const QUEUES = ['q1', 'q2'];

function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.floor((s / 2 ** 32) * n);
  };
}

function modelClaim(
  jobs: Map<string, ModelJob>,
  now: number,
  limit: number,
  types?: string[],
  queues?: string[],
) {
  return [...jobs.values()]
    .filter(
      (j) =>
        j.status === 'queued' &&
        j.runAt <= now &&
        (!types || types.includes(j.type)) &&
        (!queues || queues.includes(j.queue)),
    )
    .sort((x, y) => y.priority - x.priority || x.createdAt - y.createdAt || x.seq - y.seq)
    .slice(0, limit);
}

async function runScenario(seed: number, steps: number): Promise<{ claims: number; maxStale: number }> {
  const rand = lcg(seed);
  const adapter: StorageAdapter = memoryAdapter();
  const model = new Map<string, ModelJob>();
  let now = T0;
  let seq = 0;
  let claims = 0;
  let maxStale = 0;
  let queued = 0;
  const pick = (status: ModelJob['status']): ModelJob | undefined => {
    const all = [...model.values()].filter((j) => j.status === status);
    return all.length === 0 ? undefined : all[rand(all.length)];
  };
  for (let step = 0; step < steps; step++) {
    const where = `seed ${seed}, step ${step}`;
    const op = rand(100);
    if (op < 20) {
      const records = Array.from({ length: 1 + rand(4) }, () =>
        newJobRecord({
          type: TYPES[rand(TYPES.length)]!,
          queue: QUEUES[rand(QUEUES.length)]!,
          priority: rand(3),
          createdAt: now - rand(20),
          runAt: now + rand(120) - 40,
        }),
      );
      await adapter.enqueue(records);
      for (const r of records) {
        model.set(r.id, { ...r, seq: seq++, status: 'queued', token: null });
      }
    } else if (op < 45) {
      const types = rand(3) === 0 ? [TYPES[rand(TYPES.length)]!] : undefined;
      const queues = rand(3) === 0 ? [QUEUES[rand(QUEUES.length)]!] : undefined;
      const limit = 1 + rand(4);
      const expected = modelClaim(model, now, limit, types, queues).map((j) => j.id);
      const got: ClaimedJob[] = await adapter.claim({
        workerId: 'w',
        limit,
        leaseMs: 1e9,
        now,
        types,
        queues,
      });
      expect(
        got.map((j) => j.id),
        where,
      ).toEqual(expected);
      for (const j of got) Object.assign(model.get(j.id)!, { status: 'running', token: j.leaseToken });
      claims += got.length;
    } else if (op < 55) {
      const j = pick('running');
      if (j) {
        expect((await adapter.complete(j.id, { leaseToken: j.token!, result: null, now })).ok, where).toBe(
          true,
        );
        j.status = 'done';
      }
    } else if (op < 63) {
      const j = pick('running');
      if (j) {
        const runAt = now + rand(100);
        const ok = await adapter.fail(j.id, {
          leaseToken: j.token!,
          now,
          error: { message: 'x', stack: null, category: 'transient_server' },
          outcome: { kind: 'retry', runAt },
          history: {
            attempt: 1,
            error: 'x',
            stack: null,
            errorCategory: 'transient_server',
            delayMs: 0,
            deadLettered: false,
            timestamp: now,
          },
          historyLimit: 3,
        });
        expect(ok.ok, where).toBe(true);
        Object.assign(j, { status: 'queued', runAt });
      }
    } else if (op < 88) {
      const j = pick('queued');
      if (j) {
        // Re-file with a new runAt: the old heap entry goes stale. A third go far into the
        // future, where stale entries never surface and only compaction can drop them.
        const runAt = rand(3) === 0 ? now + 1e9 + rand(1000) : now + rand(200) - 50;
        await adapter.transition(j.id, { from: ['queued'], to: 'queued', patch: { runAt }, now });
        j.runAt = runAt;
      }
    } else if (op < 92) {
      const j = pick('queued');
      if (j) {
        await adapter.transition(j.id, { from: ['queued'], to: 'cancelled', now });
        j.status = 'done';
      }
    } else if (op < 95) {
      const j = pick('queued');
      if (j) {
        await adapter.deleteJobs([j.id]);
        model.delete(j.id);
      }
    } else {
      now += rand(60) - 10;
    }
    // Every queued job has one live entry; the rest are stale, and compaction keeps them below
    // max(1024, live): lazy deletion must not turn into a leak.
    queued = 0;
    for (const j of model.values()) if (j.status === 'queued') queued++;
    const stale = memoryInternals(adapter).sizes().readyEntries - queued;
    expect(stale, where).toBeGreaterThanOrEqual(0);
    expect(stale, where).toBeLessThanOrEqual(Math.max(1024, queued));
    maxStale = Math.max(maxStale, stale);
  }
  return { claims, maxStale };
}

describe('memory adapter: ready queue against a brute-force model', () => {
  for (const seed of [1, 2]) {
    it(`claims exactly what a full scan would, in the same order (seed ${seed})`, async () => {
      const { claims, maxStale } = await runScenario(seed, 4000);
      expect(claims).toBeGreaterThan(300);
      // Stale entries did pile up (the lazy-deletion paths ran), and stayed bounded (checked per step).
      expect(maxStale).toBeGreaterThanOrEqual(100);
    });
  }
});
