// Redrive dashboard demo: a live workload on the in-memory adapter, the HTTP API and the dashboard
// on one port, and the story of what happens printed in the terminal. Runs until Ctrl-C
// (`--run-for MS` stops it, for tests and CI). `--help` lists the flags.

import { memoryAdapter } from '@redrive/adapter-memory';
import { createQueue, JobRunner } from '@redrive/core';
import { buildDashboard } from './dashboard/build-dashboard.js';
import { elapsed, log } from './log.js';
import { tellTheStory } from './narrative.js';
import { readOptions, USAGE } from './options.js';
import { startServer } from './server.js';
import { startStory, storyHandlers, storyPolicies } from './story.js';
import { startWorkload, workloadHandlers, workloadPolicies } from './workload.js';

let options: ReturnType<typeof readOptions>;
try {
  options = readOptions(process.argv.slice(2), process.env);
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (options === 'help') {
  console.log(USAGE);
  process.exit(0);
}

const queue = createQueue({
  adapter: memoryAdapter(),
  policies: { ...storyPolicies(log), ...workloadPolicies },
});
const runner = new JobRunner({
  queue,
  concurrency: 16,
  leaseMs: 2_000,
  heartbeatMs: 100,
  pollIntervalMs: 100,
  progressThrottleMs: 50,
  handlers: { ...storyHandlers(log), ...workloadHandlers },
});
const stopSummary = tellTheStory(runner, queue, log);

console.log('Redrive demo — in-memory adapter, HTTP API and dashboard\n');
const assets = await buildDashboard();
let started: Awaited<ReturnType<typeof startServer>>;
try {
  started = await startServer(queue, assets, options.port);
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  console.error(`Port ${options.port} is in use: pick another with --port N (0 = any free port).`);
  process.exit(2);
}
console.log(
  `Dashboard: ${started.url}   API: ${started.url}api   (built in ${elapsed()} ms; Ctrl-C stops)\n`,
);

runner.start();
// The story's jobs first, so a large seed does not queue them behind thousands of others.
const story = (await startStory(queue, runner, log)).done.catch((error) => log('the story failed:', error));
const workload = await startWorkload(queue, { ratePerMinute: options.rate, seed: options.seed, log });

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  workload.stop();
  stopSummary();
  await runner.stop({ timeoutMs: 2_000 });
  await new Promise((resolve) => started.server.close(resolve));
  started.server.closeAllConnections();
  const stats = await queue.stats();
  console.log('\nStats:', JSON.stringify(stats.counts), `dead letters: ${stats.deadLetters}`);
  console.log(`Stopped after ${elapsed()} ms.`);
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
if (options.runForMs !== null) {
  const runForMs = options.runForMs;
  // Stop after the time asked for, but not before the story has been told.
  await Promise.all([story, new Promise((r) => setTimeout(r, runForMs))]);
  await shutdown();
} else {
  await story;
}
