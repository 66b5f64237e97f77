import { InvalidStateError } from '../errors/redrive-error.js';
import type { JobStatus } from '../job/job.js';

/**
 * The guarded state machine: for each action a person (or the HTTP API) may take on a
 * job, the statuses it is allowed from and the status it leads to. The runner's own moves
 * (claim, complete, fail, release, lease recovery) are fenced by the lease instead and are
 * listed in docs/concepts/lifecycle.md.
 *
 * - `pause` from `running` only marks `pauseRequested`: the worker pauses the job at its next
 *   pause-safe checkpoint, and refuses when the job has none (see {@link assertActionAllowed}).
 * - `delete` refuses `running`: cancel first, so the worker learns it through its heartbeat
 *   instead of losing the job under its feet.
 */
export const JOB_ACTIONS = {
  pause: { from: ['queued', 'running'], to: 'paused' },
  resume: { from: ['paused'], to: 'queued' },
  cancel: { from: ['queued', 'paused', 'running'], to: 'cancelled' },
  retry: { from: ['failed', 'cancelled'], to: 'queued' },
  restart: { from: ['failed', 'cancelled', 'completed'], to: 'queued' },
  delete: { from: ['queued', 'paused', 'completed', 'failed', 'cancelled'], to: null },
  redrive: { from: ['failed'], to: 'queued' },
} as const satisfies Record<string, { from: readonly JobStatus[]; to: JobStatus | null }>;

/** A guarded action on a job. */
export type JobAction = keyof typeof JOB_ACTIONS;

/** True when `action` is allowed for a job in `status`. */
export function canApply(action: JobAction, status: JobStatus): boolean {
  return (JOB_ACTIONS[action].from as readonly JobStatus[]).includes(status);
}

/**
 * Throw {@link InvalidStateError} unless `action` fits the job. `hasPauseSafeCheckpoint` matters only
 * for pausing a running job: without a pause-safe checkpoint there is no safe place to stop it.
 */
export function assertActionAllowed(
  action: JobAction,
  job: { id: string; status: JobStatus; checkpoint?: { pauseSafe: boolean } | null },
): void {
  if (!canApply(action, job.status)) {
    throw new InvalidStateError(
      `[redrive] [queue] cannot ${action} job ${job.id}: it is ${job.status} (allowed from ${JOB_ACTIONS[action].from.join(', ')})`,
      { id: job.id, status: job.status },
    );
  }
  if (action === 'pause' && job.status === 'running' && !job.checkpoint?.pauseSafe) {
    throw new InvalidStateError(
      `[redrive] [queue] cannot pause running job ${job.id}: it has no pause-safe checkpoint yet (pause waits for ctx.checkpoint(stage, data, { pauseSafe: true }))`,
      { id: job.id, status: job.status },
    );
  }
}
