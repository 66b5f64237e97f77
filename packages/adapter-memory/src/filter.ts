import type { Job, JobFilter } from '@redrive/core';

/**
 * `JobFilter` as a predicate. Array-valued fields are turned into sets once per call so a scan
 * over many jobs stays linear.
 */
export function compileFilter(filter: JobFilter): (job: Job) => boolean {
  const statuses = toSet(filter.status);
  const types = toSet(filter.type);
  const categories = toSet(filter.errorCategory);
  const ids = filter.ids ? new Set(filter.ids) : undefined;
  const q = filter.q ? filter.q.toLowerCase() : undefined;
  const { queue, tenantId, createdFrom, createdTo, failedFrom, failedTo } = filter;
  return (job) => {
    if (statuses && !statuses.has(job.status)) return false;
    if (types && !types.has(job.type)) return false;
    if (queue !== undefined && job.queue !== queue) return false;
    if (tenantId !== undefined && job.tenantId !== tenantId) return false;
    if (categories && (job.errorCategory === null || !categories.has(job.errorCategory))) return false;
    if (ids && !ids.has(job.id)) return false;
    if (createdFrom !== undefined && job.createdAt < createdFrom) return false;
    if (createdTo !== undefined && job.createdAt >= createdTo) return false;
    if (failedFrom !== undefined && (job.failedAt === null || job.failedAt < failedFrom)) return false;
    if (failedTo !== undefined && (job.failedAt === null || job.failedAt >= failedTo)) return false;
    if (q !== undefined && !matchesText(job, q)) return false;
    return true;
  };
}

function matchesText(job: Job, q: string): boolean {
  return (
    job.id.toLowerCase().includes(q) ||
    job.type.toLowerCase().includes(q) ||
    job.title?.toLowerCase().includes(q) === true ||
    job.error?.toLowerCase().includes(q) === true
  );
}

function toSet<T>(value: T | T[] | undefined): Set<T> | undefined {
  if (value === undefined) return undefined;
  return new Set(Array.isArray(value) ? value : [value]);
}
