/*
 * D1's limits, on Miniflare's real D1: lists far over the 100-bound-values limit travel as one
 * JSON value, the completions of one tick are ONE statement, a payload over the size limit is
 * refused before anything is written, and D1's own overload / busy errors classify as transient.
 */
import { classifyError } from '@redrive/core';
import { newJobRecord, T0 } from '@redrive/core/testing';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { MAX_JOB_INPUT_BYTES } from '../src/dialect/index.js';
import { d1Adapter } from '../src/index.js';
import { countingExecutor } from './counting-executor.js';
import { startD1, type TestD1 } from './miniflare.js';

let d1: TestD1;
beforeAll(async () => {
  d1 = await startD1();
  await d1Adapter(d1.db).migrate();
});
afterAll(() => d1?.dispose());
beforeEach(() => d1.empty());

it('150 jobs: one enqueue statement, one claim, 150 leases in one heartbeat batch, 150 completions in one statement', async () => {
  const db = countingExecutor(d1.db);
  const adapter = d1Adapter(db, { migrate: false });
  const records = Array.from({ length: 150 }, (_, i) => newJobRecord({ createdAt: T0 + i }));
  await adapter.enqueue(records);
  expect(db.roundTrips).toBe(1);
  const claimed = await adapter.claim({ workerId: 'w', limit: 200, leaseMs: 30_000, now: T0 + 1000 });
  expect(claimed.map((j) => j.id)).toEqual(records.map((r) => r.id));
  expect(db.roundTrips).toBe(2);
  const beat = await adapter.heartbeat({
    workerId: 'w',
    leases: claimed.map((j) => ({ id: j.id, leaseToken: j.leaseToken })),
    leaseMs: 30_000,
    now: T0 + 2000,
  });
  expect(beat).toEqual({ lost: [], cancelled: [], pauseRequested: [] });
  expect(db.roundTrips).toBe(3);
  const done = await Promise.all(
    claimed.map((j) =>
      adapter.complete(j.id, { leaseToken: j.leaseToken, result: { ok: j.id }, now: T0 + 3000 }),
    ),
  );
  expect(done.every((r) => r.ok && r.status === 'completed')).toBe(true);
  expect(db.roundTrips).toBe(4);
  const page = await adapter.listJobs({ limit: 200, ids: records.map((r) => r.id), status: 'completed' });
  expect(page.jobs).toHaveLength(150);
  expect(page.jobs[0]!.result).toEqual({ ok: page.jobs[0]!.id });
});

it('a payload over the size limit is refused with a ValidationError naming it, and nothing is written', async () => {
  const adapter = d1Adapter(d1.db, { migrate: false });
  const big = newJobRecord({ payload: { blob: 'x'.repeat(MAX_JOB_INPUT_BYTES) } });
  const small = newJobRecord();
  const error = await adapter.enqueue([small, big]).catch((e) => e);
  expect(error).toMatchObject({ name: 'ValidationError', issues: [{ path: 'jobs[1].payload' }] });
  expect(error.message).toMatch(
    /^\[redrive\] \[d1\] jobs\[1\]\.payload is \d+ bytes of JSON, over the 1000000-byte limit/,
  );
  expect(await adapter.getJob(small.id)).toBeNull();
});

it('a result over the size limit is refused before the store sees it; the lease still holds', async () => {
  const adapter = d1Adapter(d1.db, { migrate: false });
  await adapter.enqueue([newJobRecord()]);
  const [job] = await adapter.claim({ workerId: 'w', limit: 1, leaseMs: 30_000, now: T0 });
  await expect(
    adapter.complete(job!.id, { leaseToken: job!.leaseToken, result: 'y'.repeat(600_000), now: T0 + 1 }),
  ).rejects.toMatchObject({ name: 'ValidationError', issues: [{ path: 'result' }] });
  expect((await adapter.getJob(job!.id))!.status).toBe('running');
});

it("D1's overload and SQLite busy errors are transient", () => {
  expect(classifyError(new Error('D1_ERROR: D1 DB is overloaded. Requests queued for too long.'))).toBe(
    'transient_db_lock',
  );
  expect(classifyError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe(
    'transient_db_lock',
  );
});
