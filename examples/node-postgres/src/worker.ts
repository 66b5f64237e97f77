/** One worker process: a JobRunner on the shared database. Started twice by main.ts. */
import { JobRunner } from '@redrive/core';
import { handlers, openQueue } from './setup.js';

const name = process.argv[2] ?? `worker-${process.pid}`;
const { queue, close } = openQueue();
const runner = new JobRunner({ queue, workerId: name, concurrency: 5, handlers });
runner.on('completed', (job) => console.log(`[${name}] completed ${job.type} ${job.id}`));
runner.on('deadLettered', (dl) => console.log(`[${name}] dead-lettered ${dl.id}: ${dl.error}`));
runner.start();
console.log(`[${name}] started`);

const stop = async () => {
  await runner.stop({ timeoutMs: 5_000 });
  await close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
