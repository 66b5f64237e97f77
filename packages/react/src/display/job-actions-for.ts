import type { Job } from '@redrive/core';
import type { JobActionKind } from '../hooks/use-job-actions.js';

/**
 * The actions the dashboard offers for a job, by status: running → pause (only when its last
 * checkpoint is pause-safe and no pause is pending) and cancel; paused → resume, cancel;
 * failed → retry, restart, delete; cancelled → retry, delete; completed → delete; queued → cancel.
 */
export function jobActionsFor(job: Pick<Job, 'status' | 'checkpoint' | 'pauseRequested'>): JobActionKind[] {
  switch (job.status) {
    case 'running':
      return job.checkpoint?.pauseSafe && !job.pauseRequested ? ['pause', 'cancel'] : ['cancel'];
    case 'paused':
      return ['resume', 'cancel'];
    case 'failed':
      return ['retry', 'restart', 'delete'];
    case 'cancelled':
      return ['retry', 'delete'];
    case 'completed':
      return ['delete'];
    case 'queued':
      return ['cancel'];
    default:
      return [];
  }
}

/** Button words for each action (also their accessible names). */
export const ACTION_LABELS: Record<JobActionKind, string> = {
  retry: 'Retry',
  restart: 'Restart',
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
  delete: 'Delete',
  redrive: 'Redrive',
};
