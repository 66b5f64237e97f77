'use client';
import type { JobMap } from '@redrive/core';
import { createContext, type ReactNode, useContext, useState } from 'react';
import type { JobsClient } from '../client/jobs-client.js';
import { JobsStore } from '../store/jobs-store.js';
import { assertTimerDelay, systemTimers, type Timers } from '../store/timers.js';
import { documentVisibility, type VisibilitySource } from '../store/visibility.js';

/** Default polling interval of the hooks: 3 s. */
export const DEFAULT_POLL_INTERVAL_MS = 3000;

/** What `JobsProvider` shares with the hooks below it. */
export interface JobsContextValue {
  client: JobsClient;
  store: JobsStore;
  timers: Timers;
  visibility: VisibilitySource;
  /** Default polling interval of every hook; `false` turns polling off. */
  pollIntervalMs: number | false;
}

const JobsContext = createContext<JobsContextValue | null>(null);

/** Props of {@link JobsProvider}. */
export interface JobsProviderProps {
  /** The backend: `createHttpClient(...)`, `createQueueClient(queue)` or your own `JobsClient`. */
  client: JobsClient;
  /** Polling interval of every hook below, in ms (1 … 2^31 − 1), or `false` for none. Default 3000. */
  pollIntervalMs?: number | false | undefined;
  /** Time source for polling. Default: the global timers. */
  timers?: Timers | undefined;
  /** Page visibility; polling pauses while hidden. Default: `document.visibilityState`. */
  visibility?: VisibilitySource | undefined;
  children?: ReactNode;
}

/**
 * Gives the hooks (`useJobs`, `useJob`, `useQueueStats`, `useDeadLetters`, `useJobActions`) their
 * client and a shared cache, so two components showing the same job see the same optimistic change.
 *
 * @example
 * <JobsProvider client={createHttpClient({ baseUrl: '/api/queue' })}><MyJobs /></JobsProvider>
 */
export function JobsProvider(props: JobsProviderProps) {
  const timers = props.timers ?? systemTimers;
  const [store] = useState(() => new JobsStore(() => timers.now()));
  const interval = props.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  if (interval !== false) assertTimerDelay('pollIntervalMs', interval);
  const value: JobsContextValue = {
    client: props.client,
    store,
    timers,
    visibility: props.visibility ?? documentVisibility,
    pollIntervalMs: interval,
  };
  return <JobsContext.Provider value={value}>{props.children}</JobsContext.Provider>;
}

/**
 * The provider's client, cache and timers. Throws a clear error outside a `JobsProvider`
 * (a hook without a backend would otherwise fail later and obscurely).
 */
export function useJobsContext(): JobsContextValue {
  const value = useContext(JobsContext);
  if (!value) {
    throw new Error(
      '[redrive] [react] No JobsProvider: wrap this component in <JobsProvider client={createHttpClient({ baseUrl })}>, or pass `client` to <JobQueueDashboard>.',
    );
  }
  return value;
}

/**
 * The `JobsClient` of the nearest {@link JobsProvider}; throws outside one. `Jobs`: the job map of
 * the provider's client, to type what it returns (not checked: the provider holds any client).
 */
export function useJobsClient<Jobs extends JobMap<Jobs> = any>(): JobsClient<Jobs> {
  return useJobsContext().client;
}
