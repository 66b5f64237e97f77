/*
 * The opening story, told in the terminal as it happens (and visible in the dashboard):
 *   - fetch-feed: fails twice with transient errors (network reset, 503), then succeeds
 *   - charge-card: fails with a permanent error (401) → dead-letter queue, with a suggested action
 *   - embed-document: slow, reports progress, saves checkpoints; it is paused at a pause-safe
 *     checkpoint and resumed, and continues from the checkpoint instead of starting over
 *   - send-digest: snoozes once (rescheduled without using an attempt), then runs
 */
import {
  createRetrySchedule,
  type JobHandler,
  type JobRunner,
  type JobTypePolicy,
  NonRetryableError,
  type Queue,
} from '@redrive/core';
import { type Log, sleep, waitFor } from './log.js';

/** The story's job types: the narrative prints every step of these. */
export const STORY_TYPES = new Set(['fetch-feed', 'charge-card', 'embed-document', 'send-digest']);

/** fetch-feed's retries: 4 runs, 150 ms doubling, no jitter (so the printed schedule is exact). */
const FETCH_FEED_RETRIES = { maxAttempts: 4, initialDelayMs: 150, jitter: 'none' } as const;

export function storyPolicies(log: Log): Record<string, JobTypePolicy> {
  return {
    'fetch-feed': FETCH_FEED_RETRIES,
    'charge-card': {
      maxAttempts: 5,
      onDeadLetter: (dl) =>
        log(`  hook onDeadLetter(${dl.type}): someone should look at ${dl.id.slice(0, 8)}`),
    },
    'embed-document': { maxAttempts: 3, timeoutMs: 10_000 },
  };
}

export function storyHandlers(log: Log): Record<string, JobHandler> {
  let feedCalls = 0;
  let digestSnoozed = false;
  return {
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
  };
}

/**
 * Enqueue the story's jobs; resolves once they are stored, with `done`, which resolves after the
 * embedding was paused and resumed and the outcome printed.
 */
export async function startStory(
  queue: Queue,
  runner: JobRunner,
  log: Log,
): Promise<{ done: Promise<void> }> {
  console.log(
    'fetch-feed policy waits',
    createRetrySchedule('transient_network', FETCH_FEED_RETRIES),
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
    { title: 'Charge €19.99', tenantId: 'acme' },
  );
  const embed = await queue.enqueue(
    'embed-document',
    { title: 'The Man Who Sold the World.pdf', chunks: 40 },
    { tenantId: 'acme' },
  );
  const digest = await queue.enqueue('send-digest', { to: 'ada@example.com' }, { delayMs: 100 });

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

  const ids = [feed.id, charge.id, embed.id, digest.id];
  return { done: tellOutcome(queue, ids) };
}

async function tellOutcome(queue: Queue, ids: string[]): Promise<void> {
  const [feedId, chargeId] = ids as [string, string];
  await waitFor(async () => {
    const jobs = await Promise.all(ids.map((id) => queue.getJob(id)));
    return jobs.every((j) => j.status === 'completed' || j.status === 'failed');
  }, 60_000);

  console.log('\nDead-letter queue:');
  const dead = await queue.deadLetters.get(chargeId);
  console.log(`  ${dead.type} ${dead.id.slice(0, 8)}: "${dead.error}"`);
  console.log(
    `  category: ${dead.errorCategory}, attempts: ${dead.attempts}/${dead.maxAttempts}, requiresUserAction: ${dead.requiresUserAction}`,
  );
  console.log(`  suggested action: ${dead.suggestedAction}`);
  console.log('\nRetry history of fetch-feed:');
  for (const h of await queue.getRetryHistory(feedId)) {
    console.log(`  attempt ${h.attempt}: ${h.errorCategory} "${h.error}" → waited ${h.delayMs} ms`);
  }
  const outcome = await Promise.all(ids.map((id) => queue.getJob(id)));
  const count = (status: string) => outcome.filter((j) => j.status === status).length;
  console.log(`\nStory done: ${count('completed')} completed, ${count('failed')} dead-lettered.\n`);
}
