/*
 * JobRunner's claim-ahead on a real database: short jobs fill the buffer with jobs leased to the
 * worker (real leases, `running` in the table); the runner's heartbeat keeps those leases alive
 * while they wait; `stop()` gives them back at once with their attempt refunded; a worker that
 * dies with a full buffer loses those jobs only until their lease expires, and not their attempt;
 * a job cancelled while it waits in the buffer never starts.
 */
import { createQueue, JobRunner } from '@redrive/core';
import pg from 'pg';
import { expect, it } from 'vitest';
import { type PostgresAdapter, postgresAdapter } from '../src/index.js';
import { useMigratedDatabase } from './helpers.js';

const env = useMigratedDatabase('redrive_ahead');

const LEASE_MS = 3_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The rows leased to `worker` that no handler has started (`started` lists the ones that did). */
async function buffered(worker: string, started: Set<string>) {
  const { rows } = await env.pool.query(
    `SELECT id, lease_token, lease_expires_at::float8 AS expires, attempt FROM redrive.jobs
     WHERE status = 'running' AND lease_owner = $1 ORDER BY id`,
    [worker],
  );
  return rows.filter((r) => !started.has(r.id));
}

/**
 * A runner whose first `fast` jobs return at once (so it measures a high start rate and claims
 * ahead) and whose later jobs wait for `release()`: it then holds 2 running jobs and a buffer.
 */
function blockingRunner(workerId: string, fast: number, runnerAdapter?: PostgresAdapter) {
  const queue = createQueue({ adapter: runnerAdapter ?? env.adapter });
  const started = new Set<string>();
  let open!: () => void;
  const gate = new Promise<void>((r) => {
    open = r;
  });
  const runner = new JobRunner({
    queue,
    workerId,
    concurrency: 2,
    // Short enough to see several lease periods pass, long enough that a heartbeat delayed by a
    // loaded CI machine still lands in time.
    leaseMs: LEASE_MS,
    heartbeatMs: 300,
    pollIntervalMs: 50,
    handlers: {
      t: async (job) => {
        started.add(job.id);
        if (started.size > fast) await gate;
      },
    },
  });
  const errors: unknown[] = [];
  runner.on('error', (e) => errors.push(e));
  return { queue, runner, started, release: open, errors };
}

async function enqueue(n: number) {
  const queue = createQueue({ adapter: env.adapter });
  await queue.enqueueMany(Array.from({ length: n }, (_, i) => ({ type: 't', payload: i })));
}

it('short jobs are claimed ahead under real leases that the heartbeat keeps; stop() gives them back at once', async () => {
  await env.pool.query('TRUNCATE redrive.jobs, redrive.job_history, redrive.workers');
  await enqueue(3_000);
  const w = blockingRunner('ahead-1', 1_500);
  w.runner.start();
  // Two handlers blocked at the gate, and jobs claimed ahead for them.
  await waitFor(async () => w.started.size >= 1_502, 'the blocked phase');
  await waitFor(async () => (await buffered('ahead-1', w.started)).length > 0, 'a claimed-ahead buffer');
  await sleep(200); // a refill in flight lands (on a loaded machine it landed after the read below)
  const before = await buffered('ahead-1', w.started);
  // Never more buffered than claimAhead (default 16 × concurrency 2).
  expect(before.length).toBeLessThanOrEqual(32);
  for (const row of before) expect(row.attempt).toBe(1);

  // Two lease periods later the same leases (same tokens) are still this worker's, extended by
  // its heartbeat; a sweeper finds nothing expired.
  await sleep(2 * LEASE_MS);
  const recovered = await env.adapter.recoverExpiredLeases({
    workerId: 'sweeper',
    now: Date.now(),
    leaseMs: 1_000,
    limit: 100,
  });
  expect(recovered).toEqual([]);
  const after = await buffered('ahead-1', w.started);
  expect(after.map((r) => [r.id, r.lease_token])).toEqual(before.map((r) => [r.id, r.lease_token]));
  for (const row of after) expect(row.expires).toBeGreaterThan(Date.now());

  // stop(): the buffered jobs go back to `queued` with their attempt refunded while the two
  // running handlers are still blocked (stop waits up to its timeout for those).
  const stopping = w.runner.stop({ timeoutMs: 10_000 });
  await waitFor(
    async () => (await buffered('ahead-1', w.started)).length === 0,
    'the buffer given back',
    2_000,
  );
  const { rows } = await env.pool.query(
    `SELECT status, attempt, lease_owner FROM redrive.jobs WHERE id = ANY($1::text[])`,
    [before.map((r) => r.id)],
  );
  for (const row of rows) expect(row).toEqual({ status: 'queued', attempt: 0, lease_owner: null });
  expect(w.started.size).toBe(1_502); // nothing new started once stop() began
  w.release();
  await stopping;
  expect(w.errors).toEqual([]);
}, 60_000);

it('a worker that dies with jobs claimed ahead: they come back when their lease expires and run elsewhere', async () => {
  await env.pool.query('TRUNCATE redrive.jobs, redrive.job_history, redrive.workers');
  await enqueue(1_000);
  // The victim has a pool of its own, ended below: from then on it can neither heartbeat nor give
  // anything back, as if its process had died.
  const victimPool = new pg.Pool({ connectionString: env.db.url, max: 4 });
  victimPool.on('error', () => {});
  const victimAdapter = postgresAdapter({ pool: victimPool, migrate: false });
  const victim = blockingRunner('victim', 500, victimAdapter);
  victim.runner.start();
  await waitFor(async () => victim.started.size >= 502, 'the blocked phase');
  await waitFor(async () => (await buffered('victim', victim.started)).length > 0, 'a claimed-ahead buffer');
  await sleep(100); // a refill in flight lands
  void victimPool.end(); // its LISTEN client stays checked out: do not wait for it
  const lost = await buffered('victim', victim.started);
  expect(lost.length).toBeGreaterThan(0);

  const done = new Set<string>();
  const survivor = new JobRunner({
    queue: createQueue({ adapter: env.adapter }),
    workerId: 'survivor',
    concurrency: 10,
    leaseMs: LEASE_MS,
    heartbeatMs: 300,
    pollIntervalMs: 50,
    recoverIntervalMs: 100,
    handlers: { t: async (job) => void done.add(job.id) },
  });
  survivor.start();
  const started = Date.now();
  await waitFor(async () => lost.every((r) => done.has(r.id)), 'the lost buffer run elsewhere', 40_000);
  // Not before their lease (3 s from the victim's last heartbeat, sent every 0.3 s) expired.
  expect(Date.now() - started).toBeGreaterThan(2_000);
  await survivor.stop();
  // The rule for a crash: the victim's heartbeats reported these leases as not started, so
  // recovery gave their attempt back: one run, one attempt, no failed attempt in the history.
  const { rows } = await env.pool.query(
    `SELECT j.status, j.attempt, count(h.*)::int AS history FROM redrive.jobs j
     LEFT JOIN redrive.job_history h ON h.job_id = j.id WHERE j.id = ANY($1::text[]) GROUP BY j.id`,
    [lost.map((r) => r.id)],
  );
  for (const row of rows) expect(row).toEqual({ status: 'completed', attempt: 1, history: 0 });
  victim.release();
  await victim.runner.stop({ timeoutMs: 1_000 });
}, 60_000);

it('a job cancelled while it waits in the buffer is dropped: its handler never runs', async () => {
  await env.pool.query('TRUNCATE redrive.jobs, redrive.job_history, redrive.workers');
  await enqueue(3_000);
  const w = blockingRunner('ahead-cancel', 1_500);
  w.runner.start();
  await waitFor(async () => w.started.size >= 1_502, 'the blocked phase');
  await waitFor(async () => (await buffered('ahead-cancel', w.started)).length > 0, 'a claimed-ahead buffer');
  const [victim] = await buffered('ahead-cancel', w.started);
  expect((await w.queue.cancelJob(victim.id)).status).toBe('cancelled');
  await sleep(3 * 300); // heartbeats (every 300 ms) tell the runner; both slots are still blocked
  w.release();
  await waitFor(async () => w.started.size >= 2_999, 'every other job run', 30_000);
  await w.runner.stop({ timeoutMs: 10_000 });
  expect(w.started.has(victim.id)).toBe(false);
  expect(await w.queue.getJob(victim.id)).toMatchObject({ status: 'cancelled', attempt: 1 });
  expect(w.errors).toEqual([]);
}, 60_000);
