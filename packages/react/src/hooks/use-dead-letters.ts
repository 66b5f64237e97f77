'use client';
import type { DeadLetter, DeadLetterOf, JobMap } from '@redrive/core';
import { useCallback } from 'react';
import type { HookTypeName, JobsQuery, PageQuery } from '../client/jobs-client.js';
import type { JobOverlay } from '../store/job-overlay.js';
import { useJobsContext } from './jobs-provider.js';
import { type ListOptions, type PagedListResult, usePagedList } from './use-paged-list.js';

/** What {@link useDeadLetters} returns: the list hook result with the rows as `deadLetters` (typed by a job map). */
export type UseDeadLettersResult<Jobs extends JobMap<Jobs> = any> = PagedListResult<DeadLetterOf<Jobs>> & {
  deadLetters: DeadLetterOf<Jobs>[];
};

/**
 * Dead letters matching `query` (type, errorCategory, q, failedFrom..failedTo, ...), newest
 * failure first, polled like {@link useJobs}. A redriven or deleted one leaves the list at once.
 * Pass the job map as `Jobs` to type the rows, as with {@link useJobs}.
 *
 * @example
 * const { deadLetters } = useDeadLetters({ errorCategory: 'permanent_auth' });
 */
export function useDeadLetters<Jobs extends JobMap<Jobs> = any>(
  query: JobsQuery<HookTypeName<Jobs>> = {},
  options: ListOptions = {},
): UseDeadLettersResult<Jobs> {
  const { client } = useJobsContext();
  const load = useCallback((q: PageQuery) => client.listDeadLetters(q), [client]);
  const result = usePagedList<DeadLetter>('dead-letters', query, load, withoutRedriven, options);
  return { ...result, deadLetters: result.items } as UseDeadLettersResult<Jobs>;
}

function withoutRedriven(items: DeadLetter[], overlays: ReadonlyMap<string, JobOverlay>): DeadLetter[] {
  if (overlays.size === 0) return items;
  return items.filter((item) => {
    const overlay = overlays.get(item.id);
    return !overlay || (!overlay.removed && (overlay.patch?.status ?? 'failed') === 'failed');
  });
}
