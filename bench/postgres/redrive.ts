/** Redrive with its full semantics: leases, fencing, history, heartbeats, LISTEN/NOTIFY. */
import { createQueue, JobRunner, type Queue } from '@redrive/core';
import pg from 'pg';
import { type PostgresAdapter, postgresAdapter } from '../../packages/adapter-postgres/src/index.js';
import type { LibDriver } from './common.js';

/**
 * `asyncCommit` (the adapter's default, true) commits claims, heartbeats and completions without
 * waiting for the WAL flush; the `redrive-sync` row runs with it off, like the peers commit.
 */
export function redriveDriver(version: string, asyncCommit = true): LibDriver {
  // Claim-ahead buffer per worker, as a multiple of its concurrency (BENCH_PREFETCH_X, default 8:
  // claims of 80 at c10 and 400 at c50; 2x and 4x measured slower, 16x the same as 8x).
  const prefetchX = Number(process.env.BENCH_PREFETCH_X ?? 8);
  let pool: pg.Pool;
  let adapter: PostgresAdapter;
  let queue: Queue;
  return {
    lib: asyncCommit ? 'redrive' : 'redrive-sync',
    version,
    // The sync row only differs on the statements asyncCommit covers: claims and completions.
    groups: asyncCommit ? undefined : ['c10', 'c50', 'latency'],
    async setup(url) {
      pool = new pg.Pool({ connectionString: url, max: 24 });
      pool.on('error', () => {});
      adapter = postgresAdapter({ pool, asyncCommit });
      await adapter.migrate();
      queue = createQueue({ adapter });
    },
    async enqueueOne(kind, payload) {
      await queue.enqueue(kind, payload);
    },
    async enqueueBulk(kind, payloads) {
      await queue.enqueueMany(payloads.map((payload) => ({ type: kind, payload })));
    },
    async work(kind, concurrency, onJob) {
      // A worker has its own adapter (its own claim-ahead buffer) over the shared pool.
      const workerAdapter = postgresAdapter({
        pool,
        migrate: false,
        prefetch: Math.round(concurrency * prefetchX),
        asyncCommit,
      });
      const workerQueue = createQueue({ adapter: workerAdapter });
      const runner = new JobRunner({
        queue: workerQueue,
        concurrency,
        handlers: {
          [kind]: async (job) => {
            onJob(job.payload as Record<string, unknown>);
          },
        },
      });
      runner.on('error', (error) => console.error('[redrive runner]', error));
      runner.start();
      return async () => {
        await runner.stop({ timeoutMs: 5_000 });
        await workerAdapter.close();
      };
    },
    config: (c) =>
      `JobRunner concurrency ${c}, claim-ahead buffer ${Math.round(c * prefetchX)}, adaptive batched completions, asyncCommit ${asyncCommit}`,
    async teardown() {
      await adapter.close();
      await pool.end();
    },
  };
}
