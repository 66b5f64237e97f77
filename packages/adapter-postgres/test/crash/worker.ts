/*
 * A worker process for the crash test: a JobRunner on the Postgres adapter whose handler records
 * each execution in `executions` (outside Redrive's tables) and then takes a few ms, so a SIGKILL
 * lands while jobs are running. Usage: tsx worker.ts <databaseUrl> <workerId>
 */
import { createQueue, JobRunner } from '@redrive/core';
import pg from 'pg';
import { postgresAdapter } from '../../src/index.js';

const [url, workerId] = process.argv.slice(2) as [string, string];
const pool = new pg.Pool({ connectionString: url, max: 8 });
pool.on('error', () => {});
const adapter = postgresAdapter({ pool, migrate: false });
const queue = createQueue({ adapter });
const runner = new JobRunner({
  queue,
  workerId,
  concurrency: 20,
  // Long enough that a survivor stalled by a loaded CI machine keeps its leases: a duplicate
  // execution then only comes from the killed worker.
  leaseMs: 4_000,
  heartbeatMs: 1_000,
  pollIntervalMs: 200,
  handlers: {
    'crash.test': async (job) => {
      await pool.query('INSERT INTO executions (job_id, worker) VALUES ($1, $2)', [job.id, workerId]);
      await new Promise((resolve) => setTimeout(resolve, 3));
    },
  },
});
runner.on('error', (error) => console.error(`[${workerId}]`, error));
runner.start();
process.send?.('ready');

process.on('SIGTERM', async () => {
  await runner.stop({ timeoutMs: 2_000 });
  await adapter.close();
  await pool.end();
  process.exit(0);
});
