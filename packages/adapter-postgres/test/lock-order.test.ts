/*
 * Statements that wait for row locks take them in one order (by id), so overlapping batches never
 * deadlock: many heartbeats over the same leases listed in different orders, beside completion
 * batches and bulk transitions of the same rows. PostgreSQL reports a deadlock as 40P01 after
 * `deadlock_timeout`, set low here so a wrong order shows up at once.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type PostgresAdapter, postgresAdapter } from '../src/index.js';
import { newJob } from './fixtures.js';
import { createTestDatabase, type TestDatabase } from './helpers.js';

let db: TestDatabase;
let pool: pg.Pool;
let adapter: PostgresAdapter;
const NOW = 1_000_000;

beforeAll(async () => {
  db = await createTestDatabase('redrive_locks');
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await admin.query(`ALTER DATABASE ${db.name} SET deadlock_timeout = '50ms'`);
  await admin.end();
  pool = new pg.Pool({ connectionString: db.url, max: 16 });
  pool.on('error', () => {});
  adapter = postgresAdapter({ pool, completeBatchSize: 50 });
  await adapter.migrate();
});

afterAll(async () => {
  await adapter?.close();
  await pool?.end();
  await db?.drop();
});

function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    const k = s % (i + 1);
    [out[i], out[k]] = [out[k]!, out[i]!];
  }
  return out;
}

it('overlapping heartbeats, completion batches and bulk transitions never deadlock', async () => {
  await adapter.enqueue(Array.from({ length: 600 }, () => newJob({}, NOW)));
  const claimed = await adapter.claim({ workerId: 'w', limit: 600, leaseMs: 60_000, now: NOW });
  expect(claimed).toHaveLength(600);
  const leases = claimed.map((j) => ({ id: j.id, leaseToken: j.leaseToken }));
  const errors: unknown[] = [];
  const note = (e: unknown) => void errors.push(e);

  const work: Promise<unknown>[] = [];
  for (let round = 0; round < 12; round++) {
    // Six heartbeats over the same 600 leases, each listing them in its own order.
    for (let k = 0; k < 6; k++) {
      work.push(
        adapter
          .heartbeat({
            workerId: `w${k}`,
            leases: shuffled(leases, round * 7 + k + 1),
            leaseMs: 60_000,
            now: NOW + round,
          })
          .catch(note),
      );
    }
    // A bulk transition over the same running rows (asks them to pause; they stay running).
    work.push(
      adapter
        .transitionMany(
          {},
          {
            from: ['running'],
            to: 'running',
            now: NOW + round,
            patch: { pauseRequested: round % 2 === 0 },
            limit: 600,
          },
        )
        .catch(note),
    );
    // Completions of 25 jobs per round, in shuffled order, batched by the adapter.
    for (const job of shuffled(claimed.slice(round * 25, round * 25 + 25), round + 99)) {
      work.push(
        adapter.complete(job.id, { leaseToken: job.leaseToken, result: null, now: NOW + round }).catch(note),
      );
    }
  }
  await Promise.all(work);
  expect(errors).toEqual([]);
  const { rows } = await pool.query(
    `SELECT status, count(*)::int AS n FROM redrive.jobs GROUP BY status ORDER BY status`,
  );
  expect(rows).toEqual([
    { status: 'completed', n: 300 },
    { status: 'running', n: 300 },
  ]);
}, 60_000);
