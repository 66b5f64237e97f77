import { type Job, type JobFilter, ValidationError } from '@redrive/core';

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

/** A position in a listing: the sort key of the last job of the previous page. */
export interface PageKey {
  at: number;
  id: string;
}

/** Newest first: `at` desc, then `id` desc. True when `a` comes before `b`. */
export function before(a: PageKey, b: PageKey): boolean {
  return a.at !== b.at ? a.at > b.at : a.id > b.id;
}

/** Opaque to callers; URL-safe so it can travel in a query string as is. */
export function encodeCursor(key: PageKey): string {
  return `${key.at.toString(36)}.${encodeURIComponent(key.id)}`;
}

/** The key a cursor stands for; a malformed cursor is a `ValidationError` naming `cursor`. */
export function decodeCursor(cursor: string, where: string): PageKey {
  const dot = cursor.indexOf('.');
  const at = dot > 0 ? Number.parseInt(cursor.slice(0, dot), 36) : Number.NaN;
  let id: string | undefined;
  try {
    id = dot > 0 ? decodeURIComponent(cursor.slice(dot + 1)) : undefined;
  } catch {
    id = undefined;
  }
  if (!Number.isFinite(at) || id === undefined) {
    throw new ValidationError(`[redrive] [memory] ${where}: cursor is not a cursor this adapter issued`, {
      issues: [{ path: 'cursor', message: 'malformed cursor' }],
    });
  }
  return { at, id };
}

/**
 * The first `limit` items after `after` in newest-first order, by one pass that keeps a small
 * sorted buffer: O(n · log limit) comparisons at worst, instead of sorting every match.
 */
export function selectPage<T>(
  items: Iterable<T>,
  keyOf: (item: T) => PageKey | null,
  after: PageKey | null,
  limit: number,
): { page: T[]; more: boolean } {
  const buffer: { key: PageKey; item: T }[] = [];
  // One more than the page tells whether another page exists.
  const keep = limit + 1;
  for (const item of items) {
    const key = keyOf(item);
    if (key === null) continue;
    if (after !== null && !before(after, key)) continue;
    if (buffer.length === keep && !before(key, buffer[keep - 1]!.key)) continue;
    let lo = 0;
    let hi = buffer.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(buffer[mid]!.key, key)) lo = mid + 1;
      else hi = mid;
    }
    buffer.splice(lo, 0, { key, item });
    if (buffer.length > keep) buffer.pop();
  }
  const more = buffer.length > limit;
  return { page: buffer.slice(0, limit).map((b) => b.item), more };
}
