/** Redrive with its full semantics: leases, fencing, history, heartbeats, LISTEN/NOTIFY. */
import { createQueue, JobRunner, type Queue } from '@redrive/core';
import pg from 'pg';
import { type PostgresAdapter, postgresAdapter } from '../../packages/adapter-postgres/src/index.js';
import type { LibDriver } from './common.js';

export function redriveDriver(version: string): LibDriver {
  let pool: pg.Pool;
  let adapter: PostgresAdapter;
  let queue: Queue;
  return {
    lib: 'redrive',
    version,
    async setup(url) {
      pool = new pg.Pool({ connectionString: url, max: 24 });
      pool.on('error', () => {});
      adapter = postgresAdapter({ pool });
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
      const workerAdapter = postgresAdapter({ pool, migrate: false, prefetch: concurrency * 2 });
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
    config: (c) => `JobRunner concurrency ${c}, claim-ahead buffer ${c * 2}, adaptive batched completions`,
    async teardown() {
      await adapter.close();
      await pool.end();
    },
  };
}
