import type { DeadLetter, Job } from './job.js';

/**
 * A failed job seen as a dead letter: its failure context at the top level, the whole job in `job`.
 *
 * @example
 * const dl = toDeadLetter(await queue.getJob(id)); // dl.error, dl.suggestedAction, dl.attempts
 */
export function toDeadLetter(job: Job): DeadLetter {
  return {
    id: job.id,
    type: job.type,
    queue: job.queue,
    tenantId: job.tenantId,
    payload: job.payload,
    error: job.error ?? '',
    errorStack: job.errorStack,
    errorCategory: job.errorCategory ?? 'unknown',
    attempts: job.attempt,
    maxAttempts: job.maxAttempts,
    failedAt: job.failedAt ?? job.updatedAt,
    requiresUserAction: job.requiresUserAction,
    suggestedAction: job.suggestedAction,
    redriveCount: job.redriveCount,
    job,
  };
}
