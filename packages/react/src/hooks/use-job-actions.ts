'use client';
import type { Job } from '@redrive/core';
import { useCallback, useMemo, useState, useSyncExternalStore } from 'react';
import type { JobActionName } from '../client/jobs-client.js';
import { type JobsClientError, toJobsClientError } from '../client/jobs-client-error.js';
import type { JobOverlay } from '../store/job-overlay.js';
import { useJobsContext } from './jobs-provider.js';

/** Every action `useJobActions` performs on one job. */
export type JobActionKind = JobActionName | 'delete' | 'redrive';

/** The outcome of one action: the job after it (not for delete), or the error it was refused with. */
export type JobActionOutcome = { ok: true; job: Job | null } | { ok: false; error: JobsClientError };

/** What {@link useJobActions} returns. */
export interface UseJobActionsResult {
  /** Run `action` on `job` (a job or its id): shown at once, rolled back if the backend refuses. */
  run(action: JobActionKind, job: Job | string, options?: { reason?: string }): Promise<JobActionOutcome>;
  retry(job: Job | string): Promise<JobActionOutcome>;
  restart(job: Job | string): Promise<JobActionOutcome>;
  pause(job: Job | string, reason?: string): Promise<JobActionOutcome>;
  resume(job: Job | string): Promise<JobActionOutcome>;
  cancel(job: Job | string): Promise<JobActionOutcome>;
  remove(job: Job | string): Promise<JobActionOutcome>;
  redrive(job: Job | string): Promise<JobActionOutcome>;
  /** The action in flight on this job, if any (buttons show it and stay disabled). */
  pendingAction(id: string): JobActionKind | undefined;
  /** The last refusal, with the job it concerned; cleared by the next successful action. */
  error: (JobsClientError & { jobId?: string }) | undefined;
  clearError(): void;
}

/**
 * Job actions with optimistic updates: the list and detail views show the expected status at
 * once, the job is marked pending (one action at a time per job), and a refusal from the backend
 * rolls the change back and is reported in `error` (and in the returned outcome). Success reloads
 * every mounted hook so counts and lists agree with the store.
 *
 * @example
 * const { retry, pendingAction } = useJobActions();
 * <button disabled={!!pendingAction(job.id)} onClick={() => retry(job)}>Retry</button>
 */
export function useJobActions(): UseJobActionsResult {
  const { client, store } = useJobsContext();
  const pending = useSyncExternalStore(store.subscribe, store.pending, store.pending);
  const [error, setError] = useState<(JobsClientError & { jobId?: string }) | undefined>();

  const run = useCallback(
    async (action: JobActionKind, target: Job | string, options?: { reason?: string }) => {
      const job = typeof target === 'string' ? undefined : target;
      const id = typeof target === 'string' ? target : target.id;
      try {
        store.begin(id, action, optimistic(action, job));
      } catch (e) {
        return { ok: false, error: toJobsClientError(e) } as const;
      }
      try {
        let result: Job | null = null;
        if (action === 'delete') await client.deleteJob(id);
        else if (action === 'redrive') {
          const outcome = await client.redrive({ ids: [id] });
          const refused = outcome.failed[0];
          if (refused) throw toJobsClientError({ code: refused.code, message: refused.message });
        } else result = await client.act(id, action, options);
        // Keep showing the outcome until the refresh below brings it from the store.
        store.end(id, result ? { patch: result } : optimistic(action, job));
        setError(undefined);
        await store.refreshAll();
        store.settle(id);
        return { ok: true, job: result } as const;
      } catch (e) {
        store.end(id, undefined);
        const err = Object.assign(toJobsClientError(e), { jobId: id });
        setError(err);
        return { ok: false, error: err } as const;
      }
    },
    [client, store],
  );

  return useMemo(
    () => ({
      run,
      retry: (job) => run('retry', job),
      restart: (job) => run('restart', job),
      pause: (job, reason) => run('pause', job, reason ? { reason } : undefined),
      resume: (job) => run('resume', job),
      cancel: (job) => run('cancel', job),
      remove: (job) => run('delete', job),
      redrive: (job) => run('redrive', job),
      pendingAction: (id) => pending.get(id) as JobActionKind | undefined,
      error,
      clearError: () => setError(undefined),
    }),
    [run, pending, error],
  );
}

/** What the job will look like once the action succeeds, as far as we can tell before the answer. */
function optimistic(action: JobActionKind, job: Job | undefined): JobOverlay | undefined {
  switch (action) {
    case 'delete':
      return { removed: true };
    case 'retry':
    case 'redrive':
      return { patch: { status: 'queued' } };
    case 'restart':
      return { patch: { status: 'queued', attempt: 0, progress: null, checkpoint: null, result: null } };
    case 'resume':
      return { patch: { status: 'queued', pauseReason: null } };
    case 'cancel':
      return { patch: { status: 'cancelled' } };
    case 'pause':
      // A running job pauses at its next pause-safe checkpoint; until then it only asks.
      return { patch: job?.status === 'running' ? { pauseRequested: true } : { status: 'paused' } };
  }
}
