/*
 * What getting-started says about pausing a running job: the pause takes effect at the first
 * write to the store after the request (with progressThrottleMs: 0, the next progress call), and
 * the job, resumed, runs again from its last checkpoint, so the chunks done since it run twice.
 */
import { memoryAdapter } from '@redrive/adapter-memory';
import { expect, it } from 'vitest';
import { createQueue } from '../queue/create-queue.js';
import { JobRunner } from '../runner/job-runner.js';

it('pauses at the next progress write and re-runs from the last pause-safe checkpoint', async () => {
  const queue = createQueue({ adapter: memoryAdapter() });
  const embedded: number[] = [];
  let pauseNow: (() => Promise<unknown>) | undefined;
  const runner = new JobRunner({
    queue,
    progressThrottleMs: 0,
    handlers: {
      'embed-document': async (job, ctx) => {
        const start = (ctx.checkpointData as { done: number } | undefined)?.done ?? 0;
        for (let i = start; i < job.payload.chunks; i++) {
          embedded.push(i);
          // The request arrives while chunk 6 is being embedded (after the checkpoint at 5).
          if (i === 6 && pauseNow) await pauseNow();
          await ctx.progress({ percent: ((i + 1) / job.payload.chunks) * 100 });
          if (i % 5 === 4) await ctx.checkpoint('embedded', { done: i + 1 }, { pauseSafe: true });
          ctx.signal.throwIfAborted();
        }
        return { chunks: job.payload.chunks };
      },
    },
  });
  const job = await queue.enqueue('embed-document', { chunks: 10 });
  pauseNow = () => queue.pauseJob(job.id);

  expect(await runner.drain()).toMatchObject({ paused: 1, completed: 0 });
  const paused = await queue.getJob(job.id);
  expect(paused).toMatchObject({ status: 'paused', checkpoint: { data: { done: 5 }, pauseSafe: true } });
  // Chunk 6 was finished but is not in a checkpoint: the progress write after it paused the job.
  expect(embedded).toEqual([0, 1, 2, 3, 4, 5, 6]);

  pauseNow = undefined;
  await queue.resumeJob(job.id);
  expect(await runner.drain()).toMatchObject({ completed: 1 });
  // The resumed run starts at the checkpoint: chunks 5 and 6 are embedded a second time.
  expect(embedded).toEqual([0, 1, 2, 3, 4, 5, 6, 5, 6, 7, 8, 9]);
  expect(await queue.getJob(job.id)).toMatchObject({ status: 'completed', result: { chunks: 10 } });
});
