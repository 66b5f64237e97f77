/**
 * What the terminal shows: every step of the story's jobs; for the workload, each retry, dead
 * letter and pause, and a line of figures every 10 s.
 */
import type { JobRunner, Queue } from '@redrive/core';
import type { Log } from './log.js';
import { STORY_TYPES } from './story.js';
import { TYPE_LABELS } from './workload-labels.js';

const name = (job: { type: string; title: string | null; tenantId: string | null }) =>
  `${Object.hasOwn(TYPE_LABELS, job.type) ? TYPE_LABELS[job.type] : job.type}${job.title ? ` "${job.title}"` : ''}${job.tenantId ? ` (${job.tenantId})` : ''}`;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Subscribes the log lines to the runner; returns a function that stops the periodic line. */
export function tellTheStory(runner: JobRunner, queue: Queue, log: Log, summaryEveryMs = 10_000): () => void {
  const story = (job: { type: string }) => STORY_TYPES.has(job.type);
  let completed = 0;
  runner.on('started', (job) => {
    if (story(job)) log(`started   ${job.type} (attempt ${job.attempt}/${job.maxAttempts})`);
  });
  runner.on('completed', (job, result) => {
    if (story(job)) log(`completed ${job.type} →`, JSON.stringify(result));
    else completed++;
  });
  runner.on('retryScheduled', (job, info) =>
    log(
      story(job)
        ? `retry     ${job.type}: ${info.category} "${message(info.error)}", next run in ${info.delayMs} ms`
        : `retry     ${name(job)}: ${info.category} "${message(info.error)}", attempt ${job.attempt}/${job.maxAttempts}, next in ${info.delayMs} ms`,
    ),
  );
  runner.on('deadLettered', (dl, info) =>
    log(
      story(dl)
        ? `DLQ       ${dl.type}: ${info.category}, requiresUserAction=${dl.requiresUserAction}`
        : `DLQ       ${name(dl.job)}: ${info.category}${dl.requiresUserAction ? ` — ${dl.suggestedAction}` : ''}`,
    ),
  );
  runner.on('snoozed', (job, info) => {
    if (story(job)) log(`snoozed   ${job.type} for ${info.delayMs} ms (attempt not used)`);
  });
  runner.on('checkpoint', (job, stage) => {
    if (story(job)) log(`checkpoint ${job.type}: ${stage}`);
  });
  runner.on('paused', (job) =>
    log(story(job) ? `paused    ${job.type} at its checkpoint` : `paused    ${name(job)} at its checkpoint`),
  );
  let lastPercent = -1;
  runner.on('progress', (job, p) => {
    if (job.type === 'embed-document' && p.percent >= lastPercent + 25) {
      lastPercent = p.percent;
      log(`progress  ${job.type}: ${p.percent}% — ${p.details}`);
    }
  });
  runner.on('error', (error) => log('runner error', error));

  const timer = setInterval(async () => {
    const s = await queue.stats();
    log(
      `[stats]   ${completed} completed in the last ${summaryEveryMs / 1000} s · queued ${s.counts.queued} · running ${s.counts.running} · paused ${s.counts.paused} · retry scheduled ${s.retryScheduled} · dead letters ${s.deadLetters}`,
    );
    completed = 0;
  }, summaryEveryMs);
  timer.unref();
  return () => clearInterval(timer);
}
