/*
 * Claim-ahead buffer vs lease expiry, with real runners on real PostgreSQL: jobs waiting in a
 * worker's buffer are leased but not yet known to its runner. They must never expire there and be
 * run by another worker while the first one still hands out its stale copy (double execution).
 */
import { createQueue, JobRunner } from '@redrive/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresAdapter, postgresAdapter } from '../src/index.js';
import { newJob } from './fixtures.js';
import { createTestDatabase, type TestDatabase } from './helpers.js';

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 10 });
  pool.on('error', () => {});
  await postgresAdapter({ pool }).migrate();
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('claim-ahead buffer and leases', () => {
  it('a worker with prefetch 10 beside one without: 16 slow jobs run exactly once each, no lease lost', async () => {
    const a = postgresAdapter({ pool, migrate: false, prefetch: 10 });
    const b = postgresAdapter({ pool, migrate: false });
    const producer = createQueue({ adapter: b });
    const executions: Array<{ id: string; attempt: number; worker: string }> = [];
    let leaseLost = 0;
    const runners = [
      ['A', a],
      ['B', b],
    ].map(([name, adapter]) => {
      const runner = new JobRunner({
        queue: createQueue({ adapter: adapter as PostgresAdapter }),
        concurrency: 1,
        leaseMs: 500,
        heartbeatMs: 100,
        pollIntervalMs: 50,
        workerId: `worker-${name as string}`,
        handlers: {
          slow: async (job) => {
            executions.push({ id: job.id, attempt: job.attempt, worker: name as string });
            await sleep(200);
          },
        },
      });
      runner.on('leaseLost', () => leaseLost++);
      return runner;
    });
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) ids.push((await producer.enqueue('slow', { i })).id);
    for (const r of runners) r.start();
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n FROM redrive.jobs WHERE status = 'completed'`,
      );
      if (rows[0].n === 16 || Date.now() > deadline) break;
      await sleep(50);
    }
    // Keep running a little longer: a stale buffered copy would show up as a late extra run.
    await sleep(700);
    await Promise.all(runners.map((r) => r.stop({ timeoutMs: 2_000 })));
    await a.close();
    await b.close();

    const { rows } = await pool.query(`SELECT id, status, attempt FROM redrive.jobs ORDER BY id`);
    expect(rows).toHaveLength(16);
    for (const row of rows) expect(row).toMatchObject({ status: 'completed', attempt: 1 });
    expect(executions).toHaveLength(16);
    expect(new Set(executions.map((e) => e.id)).size).toBe(16);
    expect(leaseLost).toBe(0);
  }, 30_000);

  it('the heartbeat extends buffered leases (still prefetched); a buffered job near expiry is never handed out', async () => {
    await pool.query('TRUNCATE redrive.jobs, redrive.job_history, redrive.workers');
    const store = postgresAdapter({ pool, migrate: false });
    const now = 5_000_000;
    const jobs = Array.from({ length: 8 }, (_, i) =>
      newJob({ id: `buf_${i}`, type: 't', payload: {}, createdAt: now + i }, now),
    );
    await store.enqueue(jobs);
    const a = postgresAdapter({ pool, migrate: false, prefetch: 3 });
    const req = (at: number) => ({ workerId: 'wA', limit: 1, leaseMs: 1_000, now: at });
    const [first] = await a.claim(req(now));
    // A claim of 3 (buf_0..buf_2), buf_0 handed out, then a background claim of 3 more
    // (buf_3..buf_5) lands at some point: heartbeat until it has extended all six leases.
    for (let i = 0; i < 100; i++) {
      await a.heartbeat({ workerId: 'wA', leases: [first!], leaseMs: 1_000, now: now + 400 });
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n FROM redrive.jobs WHERE lease_expires_at = $1`,
        [now + 1_400],
      );
      if (rows[0].n === 6) break;
      await sleep(10);
    }
    const { rows } = await pool.query(
      `SELECT id, lease_expires_at::int8 AS exp, prefetched FROM redrive.jobs WHERE status = 'running' ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: 'buf_0', exp: String(now + 1_400), prefetched: false },
      { id: 'buf_1', exp: String(now + 1_400), prefetched: true },
      { id: 'buf_2', exp: String(now + 1_400), prefetched: true },
      { id: 'buf_3', exp: String(now + 1_400), prefetched: true },
      { id: 'buf_4', exp: String(now + 1_400), prefetched: true },
      { id: 'buf_5', exp: String(now + 1_400), prefetched: true },
    ]);
    // 600 ms of lease left (>= half): handed out from the buffer.
    const [second] = await a.claim(req(now + 800));
    expect(second).toMatchObject({ id: 'buf_1', leaseExpiresAt: now + 1_400 });
    // No heartbeat since: at now + 1_000 the buffered leases have 400 ms left (< half a lease).
    // They are given back (attempt refunded); what is handed out holds at least half a lease.
    const [third] = await a.claim(req(now + 1_000));
    expect(third!.leaseExpiresAt - (now + 1_000)).toBeGreaterThanOrEqual(500);
    const { rows: held } = await pool.query(`SELECT lease_token FROM redrive.jobs WHERE id = $1`, [
      third!.id,
    ]);
    expect(held[0].lease_token).toBe(third!.leaseToken);
    // Stopping the worker gives back what a refill claimed meanwhile, and waits for the give-back
    // of the stale ones: every job not handed out is queued again with its attempt refunded.
    await a.releaseWorker('wA', { now: now + 1_100 });
    const { rows: after } = await pool.query(`SELECT id, status, attempt FROM redrive.jobs ORDER BY id`);
    const handedOut = new Set([first!.id, second!.id, third!.id]);
    for (const row of after) {
      if (handedOut.has(row.id)) expect(row).toMatchObject({ status: 'running', attempt: 1 });
      else expect(row).toMatchObject({ status: 'queued', attempt: 0 });
    }
    await a.close();
    await store.close();
  });
});
