'use client';
import type { ThroughputBucket } from '../client/jobs-client.js';
import { useJobsContext } from './jobs-provider.js';
import { type PollingOptions, type ResourceResult, useResource } from './use-resource.js';

/** What {@link useThroughput} returns; `supported` is false when the backend cannot count per minute. */
export type UseThroughputResult = ResourceResult<ThroughputBucket[]> & { supported: boolean };

const HOUR_MS = 3_600_000;

/**
 * Completed and failed jobs per minute over the last `windowMs` (default one hour), from the store.
 * `supported` is false when the client has no `throughput` method or the backend answers
 * `NOT_FOUND` (an adapter without the capability, an older server).
 *
 * @example
 * const { data: buckets, supported } = useThroughput({ type: 'export' });
 */
export function useThroughput(
  query: { type?: string | undefined; windowMs?: number | undefined } = {},
  options: PollingOptions = {},
): UseThroughputResult {
  const { client, timers } = useJobsContext();
  const windowMs = query.windowMs ?? HOUR_MS;
  const has = typeof client.throughput === 'function';
  const state = useResource(
    `throughput:${windowMs}:${query.type ?? ''}`,
    () => {
      const since = Math.floor((timers.now() - windowMs) / 60_000) * 60_000;
      return client.throughput!({ since, type: query.type || undefined });
    },
    { ...options, enabled: has && (options.enabled ?? true) },
  );
  return { ...state, supported: has && state.error?.code !== 'NOT_FOUND' };
}
