// Redrive quickstart: a real workload on the in-memory adapter, printed as it happens.
//   - fetch-feed: fails twice with transient errors (network reset, 503), then succeeds
//   - charge-card: fails with a permanent error (401) → dead-letter queue, with a suggested action
//   - embed-document: slow, reports progress, saves checkpoints; we pause it at a pause-safe
//     checkpoint and resume it, and it continues from the checkpoint instead of starting over
//   - send-digest: snoozes once (rescheduled without using an attempt), then runs
// Finishes in a few seconds (short delays set per policy) and exits 0.

import { memoryAdapter } from '@redrive/adapter-memory';
import { createQueue, createRetrySchedule, JobRunner, NonRetryableError } from '@redrive/core';

const started = Date.now();
const t = () => `+${String(Date.now() - started).padStart(4)}ms`;
const log = (...parts: unknown[]) => console.log(t(), ...parts);
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

const queue = createQueue({
  adapter: memoryAdapter(),
  policies: {
    'fetch-feed': { maxAttempts: 4, initialDelayMs: 150, jitter: 'none' },
    'charge-card': {
      maxAttempts: 5,
      onDeadLetter: (dl) =>
        log(`  hook onDeadLetter(${dl.type}): someone should look at ${dl.id.slice(0, 8)}`),
    },
    'embed-document': { maxAttempts: 3, timeoutMs: 10_000 },
  },
});

let feedCalls = 0;
let digestSnoozed = false;
const runner = new JobRunner({
  queue,
  concurrency: 4,
  leaseMs: 2_000,
  heartbeatMs: 100,
  pollIntervalMs: 100,
  progressThrottleMs: 50,
  handlers: {
    'fetch-feed': async (job: { payload: { url: string } }) => {
      feedCalls++;
      await sleep(20);
      if (feedCalls === 1)
        throw Object.assign(new Error(`read ECONNRESET ${job.payload.url}`), { code: 'ECONNRESET' });
      if (feedCalls === 2) throw Object.assign(new Error('Service Unavailable'), { status: 503 });
      return { items: 12 };
    },
    'charge-card': async () => {
      await sleep(10);
      throw Object.assign(new Error('Invalid API key provided'), { status: 401 });
    },
    'embed-document': async (job: { payload: { title: string; chunks: number } }, ctx) => {
      const resumeFrom = (ctx.checkpointData as { done: number } | undefined)?.done ?? 0;
      if (resumeFrom > 0)
        log(`  embed-document resumes at chunk ${resumeFrom + 1} (checkpoint "${ctx.checkpointStage}")`);
      const { chunks } = job.payload;
      for (let i = resumeFrom + 1; i <= chunks; i++) {
        await sleep(25, ctx.signal);
        await ctx.progress({
          percent: Math.round((i / chunks) * 100),
          stage: 'embedding',
          details: `chunk ${i} of ${chunks}`,
        });
        if (i % 10 === 0) await ctx.checkpoint(`embedded-${i}`, { done: i }, { pauseSafe: true });
        ctx.signal.throwIfAborted();
      }
      return { chunks };
    },
    'send-digest': async (_job, ctx) => {
      if (ctx.attempt === 1 && !digestSnoozed) {
        digestSnoozed = true;
        ctx.snooze(300); // not yet: come back in 300 ms, without using an attempt
      }
      if (!digestSnoozed) throw new NonRetryableError('unreachable');
      return 'sent';
    },
  },
});

runner.on('started', (job) => log(`started   ${job.type} (attempt ${job.attempt}/${job.maxAttempts})`));
runner.on('completed', (job, result) => log(`completed ${job.type} →`, JSON.stringify(result)));
runner.on('retryScheduled', (job, info) =>
  log(
    `retry     ${job.type}: ${info.category} "${(info.error as Error).message}", next run in ${info.delayMs} ms`,
  ),
);
runner.on('deadLettered', (dl, info) =>
  log(`DLQ       ${dl.type}: ${info.category}, requiresUserAction=${dl.requiresUserAction}`),
);
runner.on('snoozed', (job, info) => log(`snoozed   ${job.type} for ${info.delayMs} ms (attempt not used)`));
runner.on('checkpoint', (job, stage) => log(`checkpoint ${job.type}: ${stage}`));
runner.on('paused', (job) => log(`paused    ${job.type} at its checkpoint`));
let lastPercent = -1;
runner.on('progress', (job, p) => {
  if (p.percent >= lastPercent + 25) {
    lastPercent = p.percent;
    log(`progress  ${job.type}: ${p.percent}% — ${p.details}`);
  }
});
runner.on('error', (error) => log('runner error', error));

console.log('Redrive quickstart — in-memory adapter\n');
console.log(
  'fetch-feed policy waits',
  createRetrySchedule('transient_network', queue.policyFor('fetch-feed').retry),
  'ms between its 4 runs\n',
);

const feed = await queue.enqueue(
  'fetch-feed',
  { url: 'https://example.com/feed.xml' },
  { title: 'Fetch example feed' },
);
const charge = await queue.enqueue(
  'charge-card',
  { customer: 'cus_42', amount: 1999 },
  { title: 'Charge €19.99' },
);
const embed = await queue.enqueue('embed-document', { title: 'The Man Who Sold the World.pdf', chunks: 40 });
await queue.enqueue('send-digest', { to: 'ada@example.com' }, { delayMs: 100 });

runner.start();

// Pause the embedding job once it has saved a pause-safe checkpoint, then resume it shortly after.
const unsubscribe = runner.on('checkpoint', async (job, stage) => {
  if (job.id !== embed.id || stage !== 'embedded-20') return;
  unsubscribe();
  await queue.pauseJob(embed.id, 'demo: pausing at a checkpoint');
  log('asked    embed-document to pause (it stops at its next pause-safe checkpoint)');
  await waitFor(async () => (await queue.getJob(embed.id)).status === 'paused');
  await sleep(200);
  const resumed = await queue.resumeJob(embed.id);
  log(`resumed  embed-document (resumeCount ${resumed.resumeCount})`);
});

await waitFor(async () => {
  const { counts } = await queue.stats();
  return counts.queued === 0 && counts.running === 0 && counts.paused === 0;
});
await runner.stop({ timeoutMs: 1_000 });

console.log('\nDead-letter queue:');
const dead = await queue.deadLetters.get(charge.id);
console.log(`  ${dead.type} ${dead.id.slice(0, 8)}: "${dead.error}"`);
console.log(
  `  category: ${dead.errorCategory}, attempts: ${dead.attempts}/${dead.maxAttempts}, requiresUserAction: ${dead.requiresUserAction}`,
);
console.log(`  suggested action: ${dead.suggestedAction}`);

console.log('\nRetry history of fetch-feed:');
for (const h of await queue.getRetryHistory(feed.id)) {
  console.log(`  attempt ${h.attempt}: ${h.errorCategory} "${h.error}" → waited ${h.delayMs} ms`);
}

const stats = await queue.stats();
console.log('\nStats:', JSON.stringify(stats.counts), `dead letters: ${stats.deadLetters}`);
console.log(`Finished in ${Date.now() - started} ms.`);

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the demo took too long');
    await sleep(20);
  }
}
