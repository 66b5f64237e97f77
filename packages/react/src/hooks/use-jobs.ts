'use client';
import type { Job } from '@redrive/core';
import { useCallback } from 'react';
import type { JobsQuery, PageQuery } from '../client/jobs-client.js';
import { applyOverlays } from '../store/job-overlay.js';
import { useJobsContext } from './jobs-provider.js';
import { type ListOptions, type PagedListResult, usePagedList } from './use-paged-list.js';

/** What {@link useJobs} returns: the list hook result with the rows as `jobs`. */
export type UseJobsResult = PagedListResult<Job> & { jobs: Job[] };

/**
 * Jobs matching `query`, newest first, polled every 3 s (pauses while the tab is hidden), with
 * keyset "load more". Optimistic changes from `useJobActions` show at once.
 *
 * @example
 * const { jobs, loading, hasMore, loadMore } = useJobs({ status: 'failed', q: 'invoice' });
 */
export function useJobs(query: JobsQuery = {}, options: ListOptions = {}): UseJobsResult {
  const { client } = useJobsContext();
  const load = useCallback((q: PageQuery) => client.listJobs(q), [client]);
  const result = usePagedList<Job>('jobs', query, load, applyOverlays, options);
  return { ...result, jobs: result.items };
}
