/** Redrive with its full semantics: leases, fencing, history, heartbeats, LISTEN/NOTIFY. */

// The built packages, as users install them (and as the peers run): `pnpm bench:postgres` builds first.
import { type PostgresAdapter, postgresAdapter } from '@redrive/adapter-postgres';
import { createQueue, JobRunner, type Queue } from '@redrive/core';
import pg from 'pg';
import type { LibDriver } from './common.js';

/**
 * Redrive on its default options (only the concurrency is set). `asyncCommit` (the adapter's
 * default, true) commits claims, heartbeats and completions without waiting for the WAL flush; the
 * `redrive-sync` row runs with it off, like the peers commit.
 */
export function redriveDriver(version: string, asyncCommit = true): LibDriver {
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
      // Default options (asyncCommit is the default, true; the sync row turns it off).
      adapter = postgresAdapter(asyncCommit ? { pool } : { pool, asyncCommit });
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
      // Default runner options but the concurrency: its claim-ahead adapts by itself.
      const runner = new JobRunner({
        queue,
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
      };
    },
    config: (c) => `JobRunner concurrency ${c}, every other option default, asyncCommit ${asyncCommit}`,
    async teardown() {
      await adapter.close();
      await pool.end();
    },
  };
}
