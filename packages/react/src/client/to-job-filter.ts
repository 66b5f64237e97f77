import type { JobFilter } from '@redrive/core';
import type { JobsQuery } from './jobs-client.js';

/**
 * A {@link JobsQuery} as the queue's `JobFilter` (the same keys) with its empty values left out,
 * so that "all" (an empty string or list from a form) never becomes "none".
 */
export function toJobFilter(query: JobsQuery): JobFilter {
  const filter: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    filter[key] = value;
  }
  return filter as JobFilter;
}
