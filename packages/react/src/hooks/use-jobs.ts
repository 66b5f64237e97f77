'use client';
import type { Job, JobMap, JobOf } from '@redrive/core';
import { useCallback } from 'react';
import type { HookTypeName, JobsQuery, PageQuery } from '../client/jobs-client.js';
import { applyOverlays } from '../store/job-overlay.js';
import { useJobsContext } from './jobs-provider.js';
import { type ListOptions, type PagedListResult, usePagedList } from './use-paged-list.js';

/** What {@link useJobs} returns: the list hook result with the rows as `jobs` (typed by a job map). */
export type UseJobsResult<Jobs extends JobMap<Jobs> = any> = PagedListResult<JobOf<Jobs>> & {
  jobs: JobOf<Jobs>[];
};

/**
 * Jobs matching `query`, newest first, polled every 3 s (pauses while the tab is hidden), with
 * keyset "load more". Optimistic changes from `useJobActions` show at once. Pass the job map of the
 * provider's queue as `Jobs` to type the rows (a union discriminated by `type`) and `query.type`.
 *
 * @example
 * const { jobs, loading, hasMore, loadMore } = useJobs({ status: 'failed', q: 'invoice' });
 * const emails = useJobs<Jobs>({ type: 'send-email' }); // emails.jobs[0]?.payload typed by the map
 */
export function useJobs<Jobs extends JobMap<Jobs> = any>(
  query: JobsQuery<HookTypeName<Jobs>> = {},
  options: ListOptions = {},
): UseJobsResult<Jobs> {
  const { client } = useJobsContext();
  const load = useCallback((q: PageQuery) => client.listJobs(q), [client]);
  const result = usePagedList<Job>('jobs', query, load, applyOverlays, options);
  return { ...result, jobs: result.items } as UseJobsResult<Jobs>;
}
