/*
 * How the adapter's NOTIFY wake-ups reach PostgreSQL (notifier.ts): a lone enqueue carries its
 * NOTIFY in its own statement; concurrent producers send about one statement per enqueue, the
 * wake-ups of the enqueues made while another one carries riding on the next one; every enqueue is
 * still followed by a wake-up that commits after it, so an idle runner that polls once a minute
 * runs every job at once; a carrier that waits (on a competitor's idempotency key) holds back
 * neither the wake-ups it took along nor those owed meanwhile; one that inserts nothing (its key
 * taken) still delivers what it took along; and `close()` sends what is owed.
 */
import { createQueue, JobRunner, type WakeUp } from '@redrive/core';
import { describe, expect, it } from 'vitest';
import { type PostgresAdapter, postgresAdapter } from '../src/index.js';
import type { PgPool, PgQueryConfig } from '../src/pg-types.js';
import { newJob } from './fixtures.js';
import { useMigratedDatabase } from './helpers.js';

const env = useMigratedDatabase('redrive_wake', 30);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An adapter on the shared pool that records the text of every statement it sends through it. */
function recordingAdapter(): { adapter: PostgresAdapter; statements: string[] } {
  const statements: string[] = [];
  const pool: PgPool = {
    query: ((config: string | PgQueryConfig, values?: unknown[]) => {
      statements.push(typeof config === 'string' ? config : config.text);
      return typeof config === 'string' ? env.pool.query(config, values) : env.pool.query(config);
    }) as PgPool['query'],
    connect: () => env.pool.connect() as never,
    end: async () => {},
  };
  return { adapter: postgresAdapter({ pool, migrate: false }), statements };
}

const standalone = (statements: string[]) => statements.filter((s) => s.startsWith('SELECT pg_notify'));
const carrying = (statements: string[]) =>
  statements.filter((s) => s.includes('pg_notify') && !s.startsWith('SELECT pg_notify'));

/** A second adapter's subscription: every wake-up it hears, once it is listening. */
async function listen(): Promise<{ heard: WakeUp[]; stop: () => Promise<void> }> {
  const other = postgresAdapter({ pool: env.pool, migrate: false });
  const heard: WakeUp[] = [];
  const unsubscribe = other.subscribe((w) => heard.push(w));
  for (let i = 0; i < 200 && !other.listening; i++) await sleep(10);
  expect(other.listening).toBe(true);
  return {
    heard,
    stop: async () => {
      unsubscribe();
      await other.close();
    },
  };
}

async function producers(adapter: PostgresAdapter, count: number, each: number, type = 'email.send') {
  await Promise.all(
    Array.from({ length: count }, async () => {
      for (let i = 0; i < each; i++) await adapter.enqueue([newJob({ type, runAt: Date.now() })]);
    }),
  );
}

/** Enqueues a job to `queue` and pauses it (no wake-up owed): resuming it owes one. */
async function pausedJob(adapter: PostgresAdapter, queue: string, heard: WakeUp[]) {
  const job = newJob({ queue });
  await adapter.enqueue([job]);
  await adapter.transition(job.id, { from: ['queued'], to: 'paused', now: Date.now() });
  await sleep(100);
  heard.length = 0;
  return job;
}

const resume = (adapter: PostgresAdapter, id: string) =>
  adapter.transition(id, { from: ['paused'], to: 'queued', now: Date.now() });

async function heardWithin(heard: WakeUp[], queue: string, ms = 1_000): Promise<boolean> {
  for (let i = 0; i < ms / 10 && !heard.some((w) => w.queue === queue); i++) await sleep(10);
  return heard.some((w) => w.queue === queue);
}

/**
 * Runs `body` while another transaction holds `key` (an uncommitted job with it): an enqueue with
 * that key waits until `letGo()` rolls that transaction back. The connection is destroyed at the
 * end, so a test that fails mid-way leaves no open transaction behind.
 */
async function withHeldKey(
  adapter: PostgresAdapter,
  key: string,
  body: (letGo: () => Promise<unknown>) => Promise<void>,
): Promise<void> {
  const competitor = await env.pool.connect();
  try {
    await competitor.query('BEGIN');
    await adapter.enqueue([newJob({ idempotencyKey: key, queue: 'held' })], { db: competitor });
    await body(() => competitor.query('ROLLBACK'));
  } finally {
    competitor.release(true);
  }
}

describe('NOTIFY wake-ups', () => {
  it('a lone enqueue is one statement, carrying its NOTIFY', async () => {
    const { adapter, statements } = recordingAdapter();
    const { heard, stop } = await listen();
    await adapter.enqueue([newJob({ queue: 'lone' })]);
    for (let i = 0; i < 100 && !heard.some((w) => w.queue === 'lone'); i++) await sleep(10);
    expect(heard.some((w) => w.queue === 'lone')).toBe(true);
    expect(statements).toHaveLength(1);
    expect(carrying(statements)).toHaveLength(1);
    await stop();
    await adapter.close();
  });

  it('20 concurrent producers send about one statement per enqueue', async () => {
    const { adapter, statements } = recordingAdapter();
    await producers(adapter, 20, 25);
    await sleep(50); // the last owed wake-ups go out on their own
    const enqueues = statements.length - standalone(statements).length;
    expect(enqueues).toBe(500);
    // Before wake-ups rode on enqueues, a `SELECT pg_notify` followed every few enqueues (49 of
    // 500 here). Now only a carrier slower than the 20 ms wait (a loaded machine) adds one.
    expect(standalone(statements).length).toBeLessThanOrEqual(25);
    expect(carrying(statements).length).toBeGreaterThan(0);
    await adapter.close();
  });

  it('every enqueue is followed by a wake-up: an idle runner polling once a minute runs 500 jobs from 20 producers at once', async () => {
    const { adapter } = recordingAdapter();
    const worker = postgresAdapter({ pool: env.pool, migrate: false });
    const started = new Set<string>();
    const runner = new JobRunner({
      queue: createQueue({ adapter: worker }),
      concurrency: 5,
      pollIntervalMs: 60_000,
      handlers: {
        'wake.test': async (job) => {
          started.add(job.id);
        },
      },
    });
    runner.on('error', () => {});
    runner.start();
    for (let i = 0; i < 200 && !worker.listening; i++) await sleep(10);
    expect(worker.listening).toBe(true);
    // Bursts with idle gaps: the runner drains between them and only a wake-up brings it back.
    for (let burst = 0; burst < 5; burst++) {
      await producers(adapter, 20, 5, 'wake.test');
      await sleep(30);
    }
    // Well within the minute the runner would wait for its next poll.
    for (let i = 0; i < 2_000 && started.size < 500; i++) await sleep(10);
    expect(started.size).toBe(500);
    await runner.stop();
    await worker.close();
    await adapter.close();
  });

  it('a carrier that waits on a competing idempotency key does not hold back the wake-ups owed meanwhile', async () => {
    const { adapter, statements } = recordingAdapter();
    const { heard, stop } = await listen();
    await withHeldKey(adapter, 'held', async (letGo) => {
      // This enqueue carries the NOTIFY and waits for the competitor's transaction to end.
      const carrier = adapter.enqueue([newJob({ idempotencyKey: 'held', queue: 'held' })]);
      await sleep(50);
      expect(carrying(statements)).toHaveLength(1);
      // Made while the carrier waits: its wake-up is owed, and goes out on its own soon.
      await adapter.enqueue([newJob({ queue: 'meanwhile' })]);
      expect(await heardWithin(heard, 'meanwhile')).toBe(true);
      expect(standalone(statements)).toHaveLength(1);
      await letGo();
      expect((await carrier)[0]?.created).toBe(true);
    });
    await stop();
    await adapter.close();
  });

  it('a carrier that inserts nothing (its idempotency key taken) still delivers the wake-up it took along', async () => {
    const { adapter, statements } = recordingAdapter();
    const { heard, stop } = await listen();
    await adapter.enqueue([newJob({ idempotencyKey: 'taken', queue: 'taken' })]);
    const job = await pausedJob(adapter, 'resumed', heard);
    await resume(adapter, job.id); // owes a wake-up for 'resumed'
    // On the same turn: this enqueue carries the owed wake-up, and its insert skips the taken key.
    const [skipped] = await adapter.enqueue([newJob({ idempotencyKey: 'taken', queue: 'taken' })]);
    expect(skipped?.created).toBe(false);
    expect(await heardWithin(heard, 'resumed')).toBe(true);
    expect(standalone(statements).length).toBeGreaterThan(0);
    await stop();
    await adapter.close();
  });

  it('a wake-up a blocked carrier took along goes out on its own after a short wait', async () => {
    const { adapter } = recordingAdapter();
    const { heard, stop } = await listen();
    const job = await pausedJob(adapter, 'resumed-early', heard);
    await withHeldKey(adapter, 'held-2', async (letGo) => {
      await resume(adapter, job.id); // owes a wake-up for 'resumed-early'
      // On the same turn: this carrier takes it along, then waits for the competitor.
      const carrier = adapter.enqueue([newJob({ idempotencyKey: 'held-2', queue: 'held' })]);
      expect(await heardWithin(heard, 'resumed-early')).toBe(true);
      await letGo();
      expect((await carrier)[0]?.created).toBe(true);
    });
    await stop();
    await adapter.close();
  });

  it('close() sends the wake-ups still owed, and nothing runs after it', async () => {
    const { adapter, statements } = recordingAdapter();
    const { heard, stop } = await listen();
    const job = await pausedJob(adapter, 'closing', heard);
    await resume(adapter, job.id); // owes a wake-up, due on the next turn
    await adapter.close();
    const sent = statements.length;
    expect(standalone(statements)).toHaveLength(1);
    expect(await heardWithin(heard, 'closing')).toBe(true);
    await sleep(50);
    expect(statements).toHaveLength(sent);
    await stop();
  });
  it('a write still in flight when close() is called sends its wake-up when it commits', async () => {
    const { adapter, statements } = recordingAdapter();
    const { heard, stop } = await listen();
    const job = await pausedJob(adapter, 'late', heard);
    const locker = await env.pool.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM redrive.jobs WHERE id = $1 FOR UPDATE', [job.id]);
      const resumed = resume(adapter, job.id); // waits for the row lock
      await sleep(50);
      await adapter.close();
      await locker.query('COMMIT');
      expect((await resumed).ok).toBe(true);
      expect(await heardWithin(heard, 'late')).toBe(true);
      expect(standalone(statements)).toHaveLength(1);
    } finally {
      locker.release(true);
      await stop();
    }
  });

  it('close() called twice at once closes once (an adapter that opened its own pool)', async () => {
    const own = postgresAdapter({ connectionString: env.db.url, migrate: false });
    await own.enqueue([newJob()]);
    await expect(Promise.all([own.close(), own.close()])).resolves.toEqual([undefined, undefined]);
    await expect(own.close()).resolves.toBeUndefined();
  });
});
