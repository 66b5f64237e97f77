/**
 * Redrive's adapter driven by a minimal loop instead of JobRunner, to show what the adapter can
 * sustain when a slot is freed as soon as the handler returns (completions are still batched,
 * fenced and awaited — in the background, at most 4 × concurrency outstanding). Same leases,
 * fencing and history as with the runner; no heartbeats or timeouts (jobs last microseconds).
 * This is the change the issue describes for the runner; it is reported as its own row.
 */
import pg from 'pg';
import { postgresAdapter } from '../../packages/adapter-postgres/src/index.js';
import type { LibDriver } from './common.js';
import { redriveDriver } from './redrive.js';

export function redriveLoopDriver(version: string): LibDriver {
  const base = redriveDriver(version);
  let url = '';
  return {
    ...base,
    lib: 'redrive (adapter loop)',
    groups: ['c10', 'c50'],
    async setup(u) {
      url = u;
      await base.setup(u);
    },
    async work(kind, concurrency, onJob) {
      const pool = new pg.Pool({ connectionString: url, max: 12 });
      const adapter = postgresAdapter({ pool, migrate: false, prefetch: concurrency * 2 });
      let running = true;
      let outstanding = 0;
      const lanes = Array.from({ length: concurrency }, async () => {
        while (running) {
          const [job] = await adapter.claim({
            workerId: 'loop',
            types: [kind],
            limit: 1,
            leaseMs: 30_000,
            now: Date.now(),
          });
          if (!job) {
            await new Promise((r) => setTimeout(r, 5));
            continue;
          }
          onJob(job.payload as Record<string, unknown>);
          outstanding++;
          void adapter
            .complete(job.id, { leaseToken: job.leaseToken, result: null, now: Date.now() })
            .finally(() => outstanding--);
          while (outstanding > concurrency * 4) await new Promise((r) => setImmediate(r));
        }
      });
      return async () => {
        running = false;
        await Promise.all(lanes);
        await adapter.close();
        await pool.end();
      };
    },
    config: (c) => `${c} lanes, claim-ahead ${c * 2}, completions batched and awaited in the background`,
  };
}
