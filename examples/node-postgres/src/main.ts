/*
 * Two worker processes and the HTTP API against one PostgreSQL database.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm --filter @redrive/example-node-postgres start
 *
 * Then: curl localhost:3000/api/stats · curl localhost:3000/api/dead-letters ·
 * curl -XPOST localhost:3000/api/jobs -H 'content-type: application/json' \
 *   -d '{"type":"email.send","payload":{"to":"you@example.com"}}'
 * EXAMPLE_RUN_FOR_MS=5000 stops everything after that long (used by the smoke test).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { migrate } from '@redrive/adapter-postgres';
import { startApi } from './server.js';
import { DATABASE_URL, openQueue } from './setup.js';

const PORT = Number(process.env.PORT ?? 3000);

// Migrate once up front (the adapter would also do it on first use, under an advisory lock).
await migrate({ connectionString: DATABASE_URL, schema: process.env.REDRIVE_SCHEMA ?? 'redrive' });

const workerFile = fileURLToPath(new URL('./worker.ts', import.meta.url));
const workers = ['worker-a', 'worker-b'].map((name) =>
  fork(workerFile, [name], { execArgv: ['--import', 'tsx'], stdio: 'inherit' }),
);

const { queue, close } = openQueue();
const server = await startApi(queue, PORT);
console.log(`[api] http://127.0.0.1:${PORT}/api (stats, jobs, dead-letters, health)`);

// Some work: emails (one recipient's SMTP fails once, then succeeds), and a report with a bad month
// that goes straight to the dead-letter queue (a permanent error).
for (let i = 0; i < 10; i++) {
  await queue.enqueue('email.send', { to: i % 4 === 0 ? `user${i}@flaky.example` : `user${i}@example.com` });
}
await queue.enqueue('report.build', { month: '2026-11' });
await queue.enqueue('report.build', { month: 'November' });

const status = setInterval(async () => {
  const stats = await queue.stats();
  console.log(`[api] status ${JSON.stringify(stats.counts ?? stats)}`);
}, 2_000);

const shutdown = async () => {
  clearInterval(status);
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(
    workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once('exit', r)))),
  );
  server.close();
  await close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
if (process.env.EXAMPLE_RUN_FOR_MS) setTimeout(shutdown, Number(process.env.EXAMPLE_RUN_FOR_MS));
