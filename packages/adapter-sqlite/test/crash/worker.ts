/*
 * A worker process for the crash test: a JobRunner on the SQLite adapter, its own connection to
 * the shared file. The handler records each execution in `executions` (outside Redrive's tables)
 * and then takes a few ms, so a SIGKILL lands while jobs are running.
 * Usage: tsx worker.ts <file> <workerId>
 */
import { createQueue, JobRunner } from '@redrive/core';
import Database from 'better-sqlite3';
import { sqliteAdapter } from '../../src/index.js';

const [file, workerId] = process.argv.slice(2) as [string, string];
const db = new Database(file);
// A killed process loses nothing committed under NORMAL with WAL; FULL matters for power loss.
const adapter = sqliteAdapter(db, { migrate: false, synchronous: 'NORMAL' });
const record = db.prepare('INSERT INTO executions (job_id, worker) VALUES (?, ?)');
const queue = createQueue({ adapter });
const runner = new JobRunner({
  queue,
  workerId,
  concurrency: 20,
  leaseMs: 2_000,
  heartbeatMs: 500,
  pollIntervalMs: 100,
  handlers: {
    'crash.test': async (job) => {
      record.run(job.id, workerId);
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
  db.close();
  process.exit(0);
});
