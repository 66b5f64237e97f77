/*
 * `asyncCommit` (default on) may turn `synchronous_commit` off only for claims, heartbeats and
 * completions: losing one of those in a database crash only makes a job run again. Enqueues,
 * failures (retry history, dead letters), transitions (redrive, cancel, pause), releases and lease
 * recovery must always wait for the WAL flush. The pool below is a real pg.Pool with ONE
 * connection whose statements are recorded, so the test sees every statement each operation
 * sends and can read the session's setting right after it.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresAdapter, postgresAdapter } from '../src/index.js';
import type { PgPool } from '../src/pg-types.js';
import { failure, newJob } from './fixtures.js';
import { createTestDatabase, type TestDatabase } from './helpers.js';

let db: TestDatabase;
let real: pg.Pool;
const sent: string[] = [];

const record = (q: string | { text: string }) => sent.push(typeof q === 'string' ? q : q.text);
/** Clients whose `query` records (patched once: the adapter keeps per-session state by client). */
const patched = new WeakSet<object>();

/** The real pool, recording the text of every statement sent through it or its clients. */
const recording = {
  query: (...args: unknown[]) => {
    record(args[0] as string | { text: string });
    return (real.query as (...a: unknown[]) => unknown)(...args);
  },
  connect: async () => {
    const client = await real.connect();
    if (!patched.has(client)) {
      const query = client.query.bind(client) as (...a: unknown[]) => unknown;
      // (pg's own pool.query calls it with a callback: those are recorded by `query` above.)
      (client as { query: unknown }).query = (...args: unknown[]) => {
        if (typeof args[1] !== 'function' && typeof args[2] !== 'function')
          record(args[0] as string | { text: string });
        return query(...args);
      };
      patched.add(client);
    }
    return client;
  },
  end: () => real.end(),
  on: () => recording,
} as unknown as PgPool;

beforeAll(async () => {
  db = await createTestDatabase();
  real = new pg.Pool({ connectionString: db.url, max: 1 });
  real.on('error', () => {});
  await postgresAdapter({ pool: real }).migrate();
});

afterAll(async () => {
  await real?.end();
  await db?.drop();
});

/** Runs `op`, returns the statements it sent, and checks the session setting did not leak. */
async function statementsOf(op: () => Promise<unknown>): Promise<string[]> {
  sent.length = 0;
  await op();
  const texts = [...sent];
  const { rows } = await real.query('SHOW synchronous_commit');
  expect(rows[0].synchronous_commit).toBe('on');
  return texts;
}
const turnsAsyncOff = (texts: string[]) => texts.some((t) => /synchronous_commit/.test(t));

describe.each([true, false])('asyncCommit: %s', (asyncCommit) => {
  let adapter: PostgresAdapter;
  const NOW = 2_000_000;
  const claim = (now: number) => adapter.claim({ workerId: 'w', limit: 1, leaseMs: 30_000, now });

  beforeAll(async () => {
    await real.query('TRUNCATE redrive.jobs, redrive.job_history, redrive.workers');
    adapter = postgresAdapter({ pool: recording, migrate: false, asyncCommit });
    await adapter.ping();
  });
  afterAll(() => adapter.close());

  it('enqueue, fail (retry and dead letter), transitions, release and recovery always commit synchronously', async () => {
    const job = newJob({ maxAttempts: 5 }, NOW);
    const other = newJob({}, NOW);
    expect(turnsAsyncOff(await statementsOf(() => adapter.enqueue([job, other])))).toBe(false);
    const [c1] = await claim(NOW + 1);
    const retry = await statementsOf(() =>
      adapter.fail(job.id, {
        leaseToken: c1!.leaseToken,
        now: NOW + 2,
        error: { message: 'boom', stack: null, category: 'transient_network' },
        outcome: { kind: 'retry', runAt: NOW + 3 },
        history: failure(1, NOW + 2),
        historyLimit: 10,
      }),
    );
    expect(turnsAsyncOff(retry)).toBe(false);
    const [c2] = await claim(NOW + 10);
    expect(c2!.id).toBe(job.id);
    const dead = await statementsOf(() =>
      adapter.fail(job.id, {
        leaseToken: c2!.leaseToken,
        now: NOW + 11,
        error: { message: 'boom', stack: null, category: 'permanent_validation' },
        outcome: { kind: 'dead', requiresUserAction: true, suggestedAction: 'fix it' },
        history: failure(2, NOW + 11, true),
        historyLimit: 10,
      }),
    );
    expect(turnsAsyncOff(dead)).toBe(false);
    expect(await adapter.getJob(job.id)).toMatchObject({ status: 'failed' });
    // Redrive from the DLQ (a transition), cancel of the other job, bulk transition.
    const redrive = await statementsOf(() =>
      adapter.transition(job.id, {
        from: ['failed'],
        to: 'queued',
        increment: ['redriveCount'],
        now: NOW + 20,
      }),
    );
    expect(turnsAsyncOff(redrive)).toBe(false);
    const cancel = await statementsOf(() =>
      adapter.transition(other.id, { from: ['queued'], to: 'cancelled', now: NOW + 21 }),
    );
    expect(turnsAsyncOff(cancel)).toBe(false);
    const bulk = await statementsOf(() =>
      adapter.transitionMany({}, { from: ['cancelled'], to: 'queued', now: NOW + 22, limit: 10 }),
    );
    expect(turnsAsyncOff(bulk)).toBe(false);
    const [c3] = await claim(NOW + 30);
    const release = await statementsOf(() =>
      adapter.release(c3!.id, {
        leaseToken: c3!.leaseToken,
        now: NOW + 31,
        to: 'queued',
        refundAttempt: false,
      }),
    );
    expect(turnsAsyncOff(release)).toBe(false);
    await claim(NOW + 40);
    const recover = await statementsOf(() =>
      adapter.recoverExpiredLeases({ workerId: 'sweeper', now: NOW + 100_000, leaseMs: 1000, limit: 10 }),
    );
    expect(turnsAsyncOff(recover)).toBe(false);
  });

  it(`claims, heartbeats and completions ${asyncCommit ? 'turn it off for their own statement only' : 'commit synchronously too'}`, async () => {
    await adapter.enqueue([newJob({}, NOW)]);
    let claimed: Awaited<ReturnType<typeof claim>> = [];
    expect(turnsAsyncOff(await statementsOf(async () => (claimed = await claim(NOW + 200_000))))).toBe(
      asyncCommit,
    );
    const [c] = claimed;
    const beat = await statementsOf(() =>
      adapter.heartbeat({ workerId: 'w', leases: [c!], leaseMs: 30_000, now: NOW + 200_001 }),
    );
    expect(turnsAsyncOff(beat)).toBe(asyncCommit);
    const done = await statementsOf(async () =>
      expect(
        await adapter.complete(c!.id, { leaseToken: c!.leaseToken, result: null, now: NOW + 200_002 }),
      ).toEqual({ ok: true, status: 'completed' }),
    );
    expect(turnsAsyncOff(done)).toBe(asyncCommit);
  });
});
