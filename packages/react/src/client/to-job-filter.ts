import type { JobFilter } from '@redrive/core';
import type { JobsQuery } from './jobs-client.js';

/**
 * A {@link JobsQuery} as the queue's `JobFilter`: `category` → `errorCategory`, and `from`/`to`
 * → the created range for jobs or the failed range for dead letters. Empty values are left out
 * so that "all" never becomes "none".
 */
export function toJobFilter(query: JobsQuery, range: 'created' | 'failed' = 'created'): JobFilter {
  const filter: JobFilter = {};
  if (!isEmpty(query.status)) filter.status = query.status;
  if (!isEmpty(query.type)) filter.type = query.type;
  if (query.q) filter.q = query.q;
  if (!isEmpty(query.category)) filter.errorCategory = query.category;
  if (query.queue) filter.queue = query.queue;
  if (query.from !== undefined) filter[`${range}From`] = query.from;
  if (query.to !== undefined) filter[`${range}To`] = query.to;
  if (query.ids) filter.ids = query.ids;
  return filter;
}

function isEmpty(value: string | string[] | undefined): boolean {
  return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}
