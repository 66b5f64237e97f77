/*
 * A worker process for the fault suite: a JobRunner on the Postgres adapter whose handler decides
 * each job's outcome from its payload (every tenth job is refused with a permanent error, the
 * others complete with `{ i }`), records each execution in a file of its own (outside the
 * database, so a stopped server cannot make the handler fail), and takes a few ms.
 * Usage: tsx fault-worker.ts <databaseUrl> <workerId> <executionsFile>
 */
import { appendFileSync } from 'node:fs';
import { createQueue, JobRunner, NonRetryableError } from '@redrive/core';
import pg from 'pg';
import { postgresAdapter } from '../../src/index.js';

const [url, workerId, executions] = process.argv.slice(2) as [string, string, string];
const pool = new pg.Pool({ connectionString: url, max: 8, connectionTimeoutMillis: 2_000 });
pool.on('error', () => {});
const adapter = postgresAdapter({ pool, migrate: false });
const queue = createQueue({ adapter });
const runner = new JobRunner({
  queue,
  workerId,
  concurrency: 10,
  leaseMs: 4_000,
  heartbeatMs: 1_000,
  pollIntervalMs: 200,
  handlers: {
    fault: async (job) => {
      appendFileSync(executions, `${job.id}\n`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const { i } = job.payload as { i: number };
      if (i % 10 === 0) throw new NonRetryableError(`refused ${i}`);
      return { i };
    },
  },
});
let errors = 0;
runner.on('error', () => {
  errors++;
});
runner.start();
process.send?.('ready');

process.on('SIGTERM', async () => {
  await runner.stop({ timeoutMs: 2_000 });
  await adapter.close().catch(() => {});
  await pool.end().catch(() => {});
  process.send?.({ errors });
  process.exit(0);
});
