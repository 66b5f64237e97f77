/*
 * The example Worker end to end in Miniflare (workerd, real D1): HTTP enqueue → cron drain →
 * complete / retry / dead letter as the policy says; two overlapping drains run each job once; a
 * Worker that "died" mid-job (its lease left behind) is recovered by the next drain; the Queues
 * consumer's exact ack / retry({ delaySeconds }) / dead-letter outcomes, the last attempt included.
 */
import { d1Adapter, type SqlExecutor } from '@redrive/adapter-d1';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { buildWorker } from '../scripts/build.mjs';

let mf: Miniflare;
let db: SqlExecutor;
type Worker = Awaited<ReturnType<Miniflare['getWorker']>>;
let worker: Worker;

beforeAll(async () => {
  mf = new Miniflare({
    modules: true,
    scriptPath: await buildWorker(),
    compatibilityDate: '2025-11-01',
    d1Databases: ['DB'],
  });
  worker = await mf.getWorker();
  db = (await mf.getD1Database('DB')) as unknown as SqlExecutor;
}, 60_000);
afterAll(() => mf?.dispose());

beforeEach(async () => {
  // The first request migrates; later tests start from empty tables.
  await worker.fetch('http://w/api/jobs?limit=1');
  await db.batch([
    db.prepare('DELETE FROM redrive_jobs'),
    db.prepare('DELETE FROM redrive_job_history'),
    db.prepare('DELETE FROM executions'),
  ]);
});

async function enqueue(payload: object): Promise<string> {
  const response = await worker.fetch('http://w/api/jobs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'email.send', payload }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function job(id: string) {
  return (await (await worker.fetch(`http://w/api/jobs/${id}`)).json()) as Record<string, any>;
}

const executions = async () =>
  (await db.prepare('SELECT job_id FROM executions').all<{ job_id: string }>()).results.map((r) => r.job_id);

const cron = () => worker.scheduled({ cron: '* * * * *', scheduledTime: new Date() });
const drain = async () =>
  (await worker.fetch('http://w/drain', { method: 'POST' })).json() as Promise<Record<string, any>>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('HTTP enqueue → cron drain: completes, retries with the policy backoff, dead-letters (permanent at once, transient after 3 attempts)', async () => {
  const ok = await enqueue({ to: 'a@example.com' });
  const flaky = await enqueue({ to: 'b@example.com', behaviour: 'transient' });
  const bad = await enqueue({ to: 'c@example.com', behaviour: 'permanent' });
  expect((await cron()).outcome).toBe('ok');

  expect(await job(ok)).toMatchObject({ status: 'completed', attempt: 1, result: { sent: 'a@example.com' } });
  const retrying = await job(flaky);
  expect(retrying).toMatchObject({ status: 'queued', attempt: 1, errorCategory: 'transient_server' });
  expect(retrying.runAt - retrying.lastErrorAt).toBe(1_000); // 1 s, the policy's first delay
  expect(await job(bad)).toMatchObject({ status: 'failed', attempt: 1, requiresUserAction: true });

  await sleep(1_100);
  await drain();
  const second = await job(flaky);
  expect(second.attempt).toBe(2);
  expect(second.runAt - second.lastErrorAt).toBe(2_000);
  await sleep(2_100);
  await drain();
  const dead = (await (await worker.fetch(`http://w/api/dead-letters/${flaky}`)).json()) as Record<
    string,
    any
  >;
  expect(dead).toMatchObject({ attempts: 3, maxAttempts: 3 });
  expect(dead.history.map((h: { deadLettered: boolean }) => h.deadLettered)).toEqual([false, false, true]);
  expect((await executions()).sort()).toEqual([ok, flaky, flaky, flaky, bad].sort());
}, 30_000);

it('two overlapping drains (cron + fetch) run every job exactly once', async () => {
  const ids = await Promise.all(Array.from({ length: 40 }, (_, i) => enqueue({ to: `u${i}@example.com` })));
  const [cronResult, fetched] = await Promise.all([cron(), drain()]);
  expect(cronResult.outcome).toBe('ok');
  expect(fetched.reason).toBe('idle');
  const ran = await executions();
  expect(ran).toHaveLength(40);
  expect(new Set(ran)).toEqual(new Set(ids));
  const page = (await (await worker.fetch('http://w/api/jobs?status=completed&limit=100')).json()) as {
    jobs: unknown[];
  };
  expect(page.jobs).toHaveLength(40);
}, 30_000);

it('a Worker that died mid-job leaves its lease behind; the next drain recovers the job and runs it', async () => {
  const id = await enqueue({ to: 'd@example.com' });
  // What a Worker killed mid-job leaves in D1: the job claimed (running), its run reported started
  // by a heartbeat, never finished.
  const dead = d1Adapter(db, { migrate: false });
  const [claimed] = await dead.claim({ workerId: 'died', limit: 1, leaseMs: 50, now: Date.now() });
  expect(claimed?.id).toBe(id);
  await dead.heartbeat({
    workerId: 'died',
    leases: [{ id, leaseToken: claimed!.leaseToken, started: true }],
    leaseMs: 50,
    now: Date.now(),
  });
  await sleep(100);
  // The next drain takes the expired lease back and records the lost attempt as a failure: the
  // job's policy retries it after its first delay (1 s).
  await drain();
  const requeued = await job(id);
  expect(requeued).toMatchObject({ status: 'queued', attempt: 1, errorCategory: 'transient_timeout' });
  expect(requeued.runAt - requeued.lastErrorAt).toBe(1_000);
  await sleep(1_100);
  await drain();
  expect(await job(id)).toMatchObject({ status: 'completed', attempt: 2 });
  const history = (await (await worker.fetch(`http://w/api/jobs/${id}/retries`)).json()) as {
    retries: any[];
  };
  expect(history.retries).toEqual([
    expect.objectContaining({ attempt: 1, errorCategory: 'transient_timeout' }),
  ]);
}, 30_000);

it('Queues consumer: transient → retry(1 s), permanent → D1 dead letter + ack, success → ack; last attempt → dead letter + ack', async () => {
  const body = (behaviour: string, to: string) => ({ type: 'email.send', payload: { to, behaviour } });
  const now = new Date();
  const first = await worker.queue('redrive-jobs', [
    { id: 'flaky', timestamp: now, attempts: 1, body: body('transient', 'f@example.com') },
    { id: 'bad', timestamp: now, attempts: 1, body: body('permanent', 'p@example.com') },
    { id: 'ok', timestamp: now, attempts: 1, body: body('ok', 'o@example.com') },
  ]);
  expect(first.outcome).toBe('ok');
  expect(first.retryMessages).toEqual([{ msgId: 'flaky', delaySeconds: 1 }]);
  expect([...first.explicitAcks].sort()).toEqual(['bad', 'ok']);
  const badLetter = (await (
    await worker.fetch('http://w/api/dead-letters/redrive-jobs:bad')
  ).json()) as Record<string, any>;
  expect(badLetter).toMatchObject({ type: 'email.send', errorCategory: 'permanent_validation', attempts: 1 });

  const second = await worker.queue('redrive-jobs', [
    { id: 'flaky', timestamp: now, attempts: 2, body: body('transient', 'f@example.com') },
  ]);
  expect(second.retryMessages).toEqual([{ msgId: 'flaky', delaySeconds: 2 }]);
  const last = await worker.queue('redrive-jobs', [
    { id: 'flaky', timestamp: now, attempts: 3, body: body('transient', 'f@example.com') },
  ]);
  expect(last.retryMessages).toEqual([]);
  expect(last.explicitAcks).toEqual(['flaky']);
  const letter = (await (
    await worker.fetch('http://w/api/dead-letters/redrive-jobs:flaky')
  ).json()) as Record<string, any>;
  expect(letter).toMatchObject({ attempts: 3, maxAttempts: 3, payload: { to: 'f@example.com' } });
  expect(letter.history.map((h: { attempt: number }) => h.attempt)).toEqual([1, 2, 3]);
}, 30_000);
