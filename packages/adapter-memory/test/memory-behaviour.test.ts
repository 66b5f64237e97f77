import { memoryAdapter, memoryInternals } from '@redrive/adapter-memory';
import type { NewJobRecord, StorageAdapter, WakeUp } from '@redrive/core';
import { failRequest, newJobRecord, recoverRequest, T0 } from '@redrive/core/testing';
import { describe, expect, it } from 'vitest';

async function claimOne(adapter: StorageAdapter, now = T0) {
  const [job] = await adapter.claim({ workerId: 'w', limit: 1, leaseMs: 1000, now });
  if (!job) throw new Error('nothing claimed');
  return job;
}

describe('memory adapter: wake-ups', () => {
  it('wakes subscribers whenever a job becomes queued, with its runAt, synchronously', async () => {
    const adapter = memoryAdapter();
    const seen: WakeUp[] = [];
    adapter.subscribe!((w) => seen.push(w));

    await adapter.enqueue([
      newJobRecord({ queue: 'mail', runAt: T0 + 50 }),
      newJobRecord({ queue: 'mail', runAt: T0 }),
    ]);
    expect(seen).toEqual([{ queue: 'mail', runAt: T0 }]);

    const a = await claimOne(adapter);
    await adapter.fail(a.id, {
      leaseToken: a.leaseToken,
      now: T0 + 1,
      error: { message: 'x', stack: null, category: 'transient_network' },
      outcome: { kind: 'retry', runAt: T0 + 900 },
      history: {
        attempt: 1,
        error: 'x',
        stack: null,
        errorCategory: 'transient_network',
        delayMs: 899,
        deadLettered: false,
        timestamp: T0 + 1,
      },
      historyLimit: 5,
    });
    expect(seen.at(-1)).toEqual({ queue: 'mail', runAt: T0 + 900 });

    const b = await claimOne(adapter, T0 + 50);
    await adapter.release(b.id, {
      leaseToken: b.leaseToken,
      now: T0 + 60,
      to: 'queued',
      runAt: T0 + 5000,
      refundAttempt: true,
    });
    expect(seen.at(-1)).toEqual({ queue: 'mail', runAt: T0 + 5000 });

    await adapter.transition(b.id, {
      from: ['queued'],
      to: 'queued',
      patch: { runAt: T0 + 70 },
      now: T0 + 70,
    });
    expect(seen.at(-1)).toEqual({ queue: 'mail', runAt: T0 + 70 });

    // An expired lease wakes nobody by itself; the retry core records for it does.
    const c = await claimOne(adapter, T0 + 70);
    const before = seen.length;
    const [taken] = await adapter.recoverExpiredLeases(recoverRequest(c.leaseExpiresAt!));
    expect(seen.length).toBe(before);
    await adapter.fail(c.id, failRequest(taken!, c.leaseExpiresAt!, c.leaseExpiresAt!));
    expect(seen.at(-1)).toEqual({ queue: 'mail', runAt: c.leaseExpiresAt });
  });

  it('keeps delivering to other listeners when one throws, and stops after unsubscribe and close', async () => {
    const adapter = memoryAdapter();
    const seen: number[] = [];
    adapter.subscribe!(() => {
      throw new Error('listener bug');
    });
    const off = adapter.subscribe!((w) => seen.push(w.runAt ?? -1));
    await adapter.enqueue([newJobRecord({ runAt: T0 + 1 })]);
    off();
    await adapter.enqueue([newJobRecord()]);
    expect(seen).toEqual([T0 + 1]);
    await adapter.close!();
    await expect(adapter.enqueue([newJobRecord()])).rejects.toMatchObject({
      name: 'AdapterError',
      code: 'ADAPTER_ERROR',
    });
  });
});

describe('memory adapter: input checks', () => {
  it('rejects a bad record with a ValidationError naming the field, and stores none of the batch', async () => {
    const adapter = memoryAdapter();
    const good = newJobRecord();
    const bad = { ...newJobRecord(), priority: Number.NaN } as NewJobRecord;
    await expect(adapter.enqueue([good, bad])).rejects.toMatchObject({
      name: 'ValidationError',
      issues: [{ path: 'jobs[1].priority', message: 'must be a finite number' }],
    });
    expect(await adapter.getJob(good.id)).toBeNull();

    await adapter.enqueue([good]);
    await expect(adapter.enqueue([newJobRecord({ id: good.id })])).rejects.toMatchObject({
      issues: [{ path: 'jobs[0].id' }],
    });
    await expect(adapter.enqueue([newJobRecord({ maxAttempts: 0 })])).rejects.toMatchObject({
      issues: [{ path: 'jobs[0].maxAttempts' }],
    });
  });

  it('rejects bad claim, list and purge arguments before touching anything', async () => {
    const adapter = memoryAdapter();
    await adapter.enqueue([newJobRecord()]);
    await expect(adapter.claim({ workerId: 'w', limit: -1, leaseMs: 10, now: T0 })).rejects.toMatchObject({
      issues: [{ path: 'limit' }],
    });
    await expect(adapter.claim({ workerId: '', limit: 1, leaseMs: 10, now: T0 })).rejects.toMatchObject({
      issues: [{ path: 'workerId' }],
    });
    expect((await adapter.listJobs({ limit: 10 })).jobs[0]?.status).toBe('queued');
    await expect(adapter.listJobs({ limit: 10, cursor: 'not-a-cursor' })).rejects.toMatchObject({
      issues: [{ path: 'cursor' }],
    });
    await expect(adapter.listJobs({ limit: 0 })).rejects.toMatchObject({ issues: [{ path: 'limit' }] });
    await expect(
      adapter.purge({ status: ['queued'], olderThan: Number.NaN, limit: 10 }),
    ).rejects.toMatchObject({
      issues: [{ path: 'olderThan' }],
    });
    await expect(adapter.deleteJobs('job-1' as unknown as string[])).rejects.toMatchObject({
      issues: [{ path: 'ids', message: 'must be an array' }],
    });
    await expect(
      adapter.transition('x', { from: 'queued' as never, to: 'paused', now: T0 }),
    ).rejects.toMatchObject({
      issues: [{ path: 'from' }],
    });
    expect((await adapter.listJobs({ limit: 10 })).jobs).toHaveLength(1);
    expect(() => memoryAdapter({ maxWorkers: 0 })).toThrow(/options\.maxWorkers/);
  });
});

describe('memory adapter: isolation and bounds', () => {
  it('returns copies: editing a returned job does not change the store', async () => {
    const adapter = memoryAdapter();
    const [result] = await adapter.enqueue([newJobRecord({ priority: 1 })]);
    result!.job.priority = 99;
    result!.job.status = 'completed';
    const claimed = await claimOne(adapter);
    claimed.attempt = 42;
    const page = await adapter.listJobs({ limit: 1 });
    page.jobs[0]!.leaseOwner = 'intruder';
    const stored = memoryInternals(adapter).getJob(claimed.id)!;
    expect([stored.priority, stored.status, stored.attempt, stored.leaseOwner]).toEqual([
      1,
      'running',
      1,
      'w',
    ]);
  });

  it('drops stale entries when jobs are re-filed many times (queued → queued with a new runAt)', async () => {
    const adapter = memoryAdapter();
    const records = Array.from({ length: 50 }, () => newJobRecord({ runAt: T0 + 1e9 }));
    await adapter.enqueue(records);
    for (let round = 0; round < 200; round++) {
      for (const r of records) {
        await adapter.transition(r.id, {
          from: ['queued'],
          to: 'queued',
          patch: { runAt: T0 + 1e9 + round },
          now: T0,
        });
      }
    }
    // 10,000 re-files of 50 jobs: without compaction the heaps would hold 10,050 entries.
    expect(memoryInternals(adapter).sizes().readyEntries).toBeLessThanOrEqual(2 * 1024 + 50);
    const claimed = await adapter.claim({ workerId: 'w', limit: 100, leaseMs: 10, now: T0 + 2e9 });
    expect(claimed.map((j) => j.id).sort()).toEqual(records.map((r) => r.id).sort());
  });

  it('remembers at most maxWorkers workers, forgetting the least recently seen', async () => {
    const adapter = memoryAdapter({ maxWorkers: 2 });
    for (const [i, id] of ['a', 'b', 'a', 'c'].entries()) {
      await adapter.heartbeat({ workerId: id, leases: [], leaseMs: 10, now: T0 + i });
    }
    const workers = await adapter.listWorkers!({ since: 0 });
    expect(workers.map((w) => w.workerId).sort()).toEqual(['a', 'c']);
  });

  it('refuses a release after a cancel without resurrecting the job, and keeps reporting the cancel', async () => {
    const adapter = memoryAdapter();
    await adapter.enqueue([newJobRecord()]);
    const job = await claimOne(adapter);
    await adapter.transition(job.id, { from: ['running'], to: 'cancelled', now: T0 + 1 });
    expect(
      await adapter.release(job.id, {
        leaseToken: job.leaseToken,
        now: T0 + 2,
        to: 'queued',
        refundAttempt: true,
      }),
    ).toEqual({ ok: false, cancelled: true });
    expect((await adapter.getJob(job.id))?.status).toBe('cancelled');
    const beat = await adapter.heartbeat({
      workerId: 'w',
      leases: [{ id: job.id, leaseToken: job.leaseToken }],
      leaseMs: 10,
      now: T0 + 3,
    });
    expect(beat.cancelled).toEqual([job.id]);
  });
});

describe('memory adapter: stores copies, like a database (JSON values)', () => {
  it("a caller's later edits to the payload or metadata it enqueued do not reach the store", async () => {
    const adapter = memoryAdapter();
    const payload = { n: 1, list: [1] };
    const metadata = { source: 'a' };
    const [r] = await adapter.enqueue([newJobRecord({ payload, metadata })]);
    payload.n = 2;
    payload.list.push(2);
    metadata.source = 'b';
    expect(await adapter.getJob(r!.job.id)).toMatchObject({
      payload: { n: 1, list: [1] },
      metadata: { source: 'a' },
    });
    expect(r!.job.payload).not.toBe(payload);
  });

  it('a handler mutating job.payload, or a caller mutating a read job or result, changes nothing stored', async () => {
    const adapter = memoryAdapter();
    const [r] = await adapter.enqueue([newJobRecord({ payload: { n: 1 } })]);
    const claimed = await claimOne(adapter);
    (claimed.payload as { n: number }).n = 99;
    (claimed.metadata as Record<string, unknown>).x = 1;
    const result = { ok: true };
    await adapter.complete(claimed.id, { leaseToken: claimed.leaseToken, result, now: T0 + 1 });
    result.ok = false;
    const read = await adapter.getJob(r!.job.id);
    expect(read).toMatchObject({ payload: { n: 1 }, metadata: {}, result: { ok: true } });
    (read!.result as { ok: boolean }).ok = false;
    expect((await adapter.getJob(r!.job.id))?.result).toEqual({ ok: true });
    const listed = (await adapter.listJobs({ limit: 10 })).jobs[0]!;
    (listed.payload as { n: number }).n = 5;
    expect((await adapter.getJob(r!.job.id))?.payload).toEqual({ n: 1 });
  });

  it('gives back what a SQL store would: a Date becomes its ISO string, undefined fields vanish', async () => {
    const adapter = memoryAdapter();
    const at = new Date(T0);
    const [r] = await adapter.enqueue([newJobRecord({ payload: { at, gone: undefined } })]);
    expect((await adapter.getJob(r!.job.id))?.payload).toEqual({ at: at.toISOString() });
    expect(r!.job.payload).toEqual({ at: at.toISOString() });
  });
});

describe('memory adapter: checkpoint data is stored as a copy', () => {
  it('a handler editing the data after saving it changes neither the stored checkpoint nor other readers', async () => {
    const adapter = memoryAdapter();
    await adapter.enqueue([newJobRecord()]);
    const claimed = await claimOne(adapter);
    const data = { rows: [1, 2] };
    await adapter.checkpoint(claimed.id, {
      leaseToken: claimed.leaseToken,
      checkpoint: { stage: 's', data, hash: 'h', pauseSafe: true, savedAt: T0 },
      now: T0,
    });
    data.rows.push(3);
    const read = await adapter.getJob(claimed.id);
    expect(read?.checkpoint?.data).toEqual({ rows: [1, 2] });
    (read!.checkpoint!.data as { rows: number[] }).rows.push(4);
    expect((await adapter.getJob(claimed.id))?.checkpoint?.data).toEqual({ rows: [1, 2] });
  });
});
