// A real queue on the memory adapter with one job in every state the dashboard shows.
import { memoryAdapter } from '@redrive/adapter-memory';
import {
  createQueue,
  type Job,
  JobRunner,
  PermanentError,
  type Queue,
  type StorageAdapter,
} from '@redrive/core';

export const XSS = '<img src=x onerror=alert(1)>';

export interface SeededQueue {
  queue: Queue;
  ids: Record<'completed' | 'failed' | 'retrying' | 'queued' | 'paused' | 'cancelled' | 'running', string>;
}

/** Jobs: completed, failed (dead letter, error with HTML in it), retrying, queued, paused, cancelled, running at a pause-safe checkpoint. */
export async function seededQueue(): Promise<SeededQueue> {
  const adapter = memoryAdapter();
  const queue = createQueue({
    adapter,
    policies: { flaky: { maxAttempts: 3, initialDelayMs: 600_000 } },
  });
  const completed = await queue.enqueue('process-document', {}, { title: 'The Man Who Sold the World.pdf' });
  const failed = await queue.enqueue('charge', { customer: 'c-1' }, { title: 'Invoice 42' });
  const retrying = await queue.enqueue('flaky', { url: 'https://example.com/feed' });
  const runner = new JobRunner({
    queue,
    concurrency: 1,
    handlers: {
      'process-document': async () => ({ pages: 12 }),
      charge: async () => {
        throw new PermanentError(`card declined ${XSS}`);
      },
      flaky: async () => {
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      },
    },
  });
  await runner.drain();
  const queued = await queue.enqueue('export', { documentIds: [1, 2, 3, 4, 5] });
  const paused = await queue.enqueue('export', { documentIds: [6] }, { title: 'Quarterly report' });
  await queue.pauseJob(paused.id, 'waiting for approval');
  const cancelled = await queue.enqueue('send-email', { to: 'ada@example.com' });
  await queue.cancelJob(cancelled.id);
  const running = await startRunning(queue, adapter);
  return {
    queue,
    ids: {
      completed: completed.id,
      failed: failed.id,
      retrying: retrying.id,
      queued: queued.id,
      paused: paused.id,
      cancelled: cancelled.id,
      running: running.id,
    },
  };
}

/** A job claimed by a worker that saved a pause-safe checkpoint and reported progress. */
async function startRunning(queue: Queue, adapter: StorageAdapter): Promise<Job> {
  const job = await queue.enqueue('render', { scene: 'intro' }, { title: 'Intro scene' });
  const now = Date.now();
  const [claimed] = await adapter.claim({
    workerId: 'worker-7',
    types: ['render'],
    limit: 1,
    leaseMs: 600_000,
    now,
  });
  if (!claimed) throw new Error('fixture: claim returned nothing');
  await adapter.checkpoint(job.id, {
    leaseToken: claimed.leaseToken,
    checkpoint: {
      stage: 'frames',
      data: { frame: 120 },
      hash: '0'.repeat(64),
      pauseSafe: true,
      savedAt: now,
    },
    now,
  });
  await adapter.progress(job.id, {
    leaseToken: claimed.leaseToken,
    progress: { percent: 40, stage: 'render', substage: 'frames', details: 'Frame 120 of 300' },
    now,
  });
  return job;
}
