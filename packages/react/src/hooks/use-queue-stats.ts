'use client';
import type { QueueStats } from '@redrive/core';
import { useJobsContext } from './jobs-provider.js';
import { type PollingOptions, type ResourceResult, useResource } from './use-resource.js';

/**
 * The queue's counts per status and type, retries scheduled and dead letters, polled.
 *
 * @example
 * const { data: stats } = useQueueStats();
 * stats?.counts.failed
 */
export function useQueueStats(
  query: { type?: string | undefined } = {},
  options: PollingOptions = {},
): ResourceResult<QueueStats> {
  const { client } = useJobsContext();
  return useResource(`stats:${query.type ?? ''}`, () => client.getStats(query), options);
}
