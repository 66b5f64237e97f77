'use client';
import type { JobMap, JobOf, RetryHistoryEntry } from '@redrive/core';
import { useSyncExternalStore } from 'react';
import type { JobsClientError } from '../client/jobs-client-error.js';
import { applyOverlay } from '../store/job-overlay.js';
import { useJobsContext } from './jobs-provider.js';
import { type PollingOptions, useResource } from './use-resource.js';

/** What {@link useJob} returns. `job` is null when it was (optimistically) deleted. */
export interface UseJobResult<Jobs extends JobMap<Jobs> = any> {
  /** The job (typed by the job map given to `useJob`), `undefined` while loading. */
  job: JobOf<Jobs> | null | undefined;
  /** Failed attempts, oldest first. */
  history: RetryHistoryEntry[];
  loading: boolean;
  error: JobsClientError | undefined;
  refresh: () => Promise<void>;
}

/**
 * One job and its retry history, polled. Pass `null` to load nothing. Pass the job map as `Jobs`
 * to type `job` (narrow it by `job.type`).
 *
 * @example
 * const { job, history } = useJob(selectedId);
 */
export function useJob<Jobs extends JobMap<Jobs> = any>(
  id: string | null | undefined,
  options: PollingOptions = {},
): UseJobResult<Jobs> {
  const { client, store } = useJobsContext();
  const state = useResource(
    `job:${id}`,
    async () => {
      const [job, history] = await Promise.all([client.getJob(id!), client.getHistory(id!)]);
      return { job, history: history.retries };
    },
    { ...options, enabled: Boolean(id) && (options.enabled ?? true) },
  );
  const overlays = useSyncExternalStore(store.subscribe, store.overlays, store.overlays);
  const job = state.data ? applyOverlay(state.data.job, overlays) : undefined;
  return {
    job: job as JobOf<Jobs> | null | undefined,
    history: state.data?.history ?? [],
    loading: state.loading,
    error: state.error,
    refresh: state.refresh,
  };
}
