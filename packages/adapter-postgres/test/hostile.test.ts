/*
 * Hostile input and races on real Postgres: results `jsonb` refuses, bad values over HTTP, purge
 * racing redrive, absurd Retry-After values. (The store-independent rules are in the conformance
 * suite's 'hostile input' group, which runs here too.)
 */
import { createQueue, JobRunner, RetryableError } from '@redrive/core';
import { createHttpHandler } from '@redrive/core/http';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type PostgresAdapter, postgresAdapter } from '../src/index.js';
import { newJob } from './fixtures.js';
import { createTestDatabase, type TestDatabase } from './helpers.js';

let db: TestDatabase;
let pool: pg.Pool;
let adapter: PostgresAdapter;

beforeAll(async () => {
  db = await createTestDatabase('redrive_hostile');
  pool = new pg.Pool({ connectionString: db.url, max: 20 });
  pool.on('error', () => {});
  adapter = postgresAdapter({ pool });
  await adapter.migrate();
});

afterAll(async () => {
  await adapter?.close();
  await pool?.end();
  await db?.drop();
});

beforeEach(async () => {
  await pool.query('TRUNCATE redrive.jobs, redrive.job_history, redrive.workers');
});

describe('results the store cannot hold', () => {
  it('a completion batch with one refused result still completes the other jobs of the batch', async () => {
    const jobs = Array.from({ length: 20 }, () => newJob({ type: 'batch' }));
    await adapter.enqueue(jobs);
    const claimed = await adapter.claim({ workerId: 'w', limit: 20, leaseMs: 30_000, now: Date.now() });
    expect(claimed).toHaveLength(20);
    // Straight to the adapter (core would have made the text storable): jsonb refuses \u0000.
    const outcomes = await Promise.allSettled(
      claimed.map((j, i) =>
        adapter.complete(j.id, {
          leaseToken: j.leaseToken,
          result: i === 7 ? { text: 'nul \u0000 here' } : { i },
          now: Date.now(),
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled' && o.value.ok)).toHaveLength(19);
    expect(outcomes[7]!.status).toBe('rejected');
    const { rows } = await pool.query(
      "SELECT count(*)::int AS n FROM redrive.jobs WHERE status = 'completed'",
    );
    expect(rows[0].n).toBe(19);
  });

  it('the runner completes every job, storing NULs and lone surrogates of a result as U+FFFD', async () => {
    const queue = createQueue({ adapter, policies: { r: { maxAttempts: 1 } } });
    const jobs = await queue.enqueueMany(Array.from({ length: 20 }, (_, i) => ({ type: 'r', payload: i })));
    const runner = new JobRunner({
      queue,
      concurrency: 20,
      handlers: {
        r: async (job) => {
          const i = job.payload as number;
          if (i === 3) return { text: 'a\u0000b' };
          if (i === 4) return ['x\uD800y'];
          if (i === 5) throw new Error('failed with \u0000 in its message \uDC00');
          return i;
        },
      },
    });
    await runner.drain();
    const stored = await Promise.all(jobs.map((j) => queue.getJob(j.id)));
    expect(stored.filter((j) => j.status === 'completed')).toHaveLength(19);
    expect(stored[3]!.result).toEqual({ text: 'a\uFFFDb' });
    expect(stored[4]!.result).toEqual(['x\uFFFDy']);
    expect(stored[5]!.status).toBe('failed');
    expect(stored[5]!.error).toBe('failed with \uFFFD in its message \uFFFD');
    expect(stored[6]!.result).toBe(6);
  });
});

describe('bad values over HTTP', () => {
  it('answers 400 naming the field, never 503, for values Postgres cannot hold', async () => {
    const queue = createQueue({ adapter });
    const api = createHttpHandler(queue);
    const post = (body: unknown) =>
      api(
        new Request('http://x/jobs', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
    const bodies = [
      { type: 'a', options: { priority: 2 ** 31 } },
      { type: 'a', options: { maxAttempts: 2 ** 31 } },
      { type: 'a', options: { timeoutMs: 2 ** 31 } },
      { type: 'a', options: { delayMs: 1e300 } },
      { type: 'a', payload: { x: '\u0000' } },
      { type: 'a', options: { title: '\u0000' } },
      { type: '\u0000' },
      { type: 'a\uD800' },
      { type: 'a', options: { idempotencyKey: '\u0000' } },
    ];
    for (const body of bodies) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_ERROR');
    }
    for (const path of ['/jobs/a%00b', '/jobs?q=%00', '/jobs/a%ED%A0%80']) {
      const res = await api(new Request(`http://x${path}`));
      expect([400, 404], path).toContain(res.status);
    }
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM redrive.jobs');
    expect(rows[0].n).toBe(0);
  });
});

describe('purge racing redrive', () => {
  it('never deletes a dead letter that a concurrent redrive reported as redriven', async () => {
    const queue = createQueue({ adapter, policies: { d: { maxAttempts: 1 } } });
    const scope = { tenantId: 't' };
    for (let round = 0; round < 4; round++) {
      await pool.query('TRUNCATE redrive.jobs, redrive.job_history');
      await queue.enqueueMany(
        Array.from({ length: 60 }, () => ({ type: 'd', payload: null })),
        scope,
      );
      const runner = new JobRunner({
        queue,
        concurrency: 20,
        handlers: {
          d: async () => {
            throw new Error('dead');
          },
        },
      });
      await runner.drain();
      const letters = (await queue.deadLetters.list({ limit: 100 }, scope)).deadLetters.map((d) => d.id);
      expect(letters).toHaveLength(60);
      const [redriven] = await Promise.all([
        queue.deadLetters.redrive(letters, undefined, scope),
        queue.deadLetters.purge({ olderThanMs: 0 }, scope),
      ]);
      for (const id of redriven.succeeded) {
        const job = await adapter.getJob(id);
        expect(job?.status, `redriven job ${id}`).toBe('queued');
      }
    }
  });
});

describe('Retry-After', () => {
  it('an absurd Retry-After is capped at maxRetryAfterMs, not a bigint overflow', async () => {
    const queue = createQueue({ adapter });
    const job = await queue.enqueue('ra', null);
    const before = Date.now();
    const runner = new JobRunner({
      queue,
      handlers: {
        ra: async () => {
          throw new RetryableError('busy', { retryAfterMs: 1e28 });
        },
      },
    });
    const errors: unknown[] = [];
    runner.on('error', (e) => errors.push(e));
    await runner.drain();
    const stored = await queue.getJob(job.id);
    expect(errors).toEqual([]);
    expect(stored.status).toBe('queued');
    expect(stored.attempt).toBe(1);
    expect(stored.runAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(stored.runAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
  });
});
