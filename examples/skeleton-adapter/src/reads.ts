import {
  type AdapterStats,
  type Job,
  type JobFilter,
  type JobPage,
  type ListRequest,
  type RetryHistoryEntry,
  ValidationError,
} from '@redrive/core';
import { allRows, newestFirst, type Row, readRow, type Table } from './table.js';

/*
 * Reads: one job, its history, pages of jobs, aggregates. Every one a linear scan over the
 * table; a real store answers these from indexes (see the guide).
 */

/** The job, or null. */
export function getJob(table: Table, id: string): Job | null {
  return readRow(table, id)?.job ?? null;
}

/** The retry history, oldest first; empty for an unknown id. */
export function getRetryHistory(table: Table, id: string): RetryHistoryEntry[] {
  return readRow(table, id)?.history ?? [];
}

/** `value`, or each of `value`, includes `x`; an absent field matches everything. */
function oneOf<T>(value: T | T[] | undefined, x: T): boolean {
  return value === undefined || (Array.isArray(value) ? value.includes(x) : value === x);
}

/** Every `JobFilter` field narrows; `tenantId: null` means jobs without a tenant. */
export function matches(job: Job, filter: JobFilter): boolean {
  const q = filter.q?.toLowerCase();
  return (
    oneOf(filter.status, job.status) &&
    oneOf(filter.type, job.type) &&
    (filter.queue === undefined || job.queue === filter.queue) &&
    (filter.tenantId === undefined || job.tenantId === filter.tenantId) &&
    (filter.errorCategory === undefined ||
      (job.errorCategory !== null && oneOf(filter.errorCategory, job.errorCategory))) &&
    (filter.ids === undefined || filter.ids.includes(job.id)) &&
    (filter.createdFrom === undefined || job.createdAt >= filter.createdFrom) &&
    (filter.createdTo === undefined || job.createdAt < filter.createdTo) &&
    (filter.failedFrom === undefined || (job.failedAt !== null && job.failedAt >= filter.failedFrom)) &&
    (filter.failedTo === undefined || (job.failedAt !== null && job.failedAt < filter.failedTo)) &&
    (q === undefined ||
      [job.id, job.type, job.title, job.error].some((text) => text?.toLowerCase().includes(q)))
  );
}

/** The cursor: the sort key of the last job of a page, as JSON. Callers treat it as opaque. */
function encodeCursor(at: number, id: string): string {
  return JSON.stringify([at, id]);
}

function decodeCursor(cursor: string): [at: number, id: string] {
  try {
    const [at, id] = JSON.parse(cursor) as unknown[];
    if (typeof at === 'number' && typeof id === 'string') return [at, id];
  } catch {}
  throw new ValidationError('[redrive] [skeleton] list: cursor is not one this adapter issued', {
    issues: [{ path: 'cursor', message: 'is not one this adapter issued' }],
  });
}

/**
 * Keyset pagination over the rows `include` keeps, newest first by (`at`, id): the page starts
 * strictly after the cursor's key, so jobs inserted meanwhile neither repeat nor shift a page.
 */
function page(table: Table, request: ListRequest, include: (row: Row) => boolean, at: (job: Job) => number) {
  const after = request.cursor ? decodeCursor(request.cursor) : undefined;
  const rows = allRows(table)
    .filter((row) => include(row) && matches(row.job, request))
    .filter(
      (row) =>
        after === undefined || at(row.job) < after[0] || (at(row.job) === after[0] && row.job.id < after[1]),
    )
    .sort(newestFirst(at));
  const jobs = rows.slice(0, request.limit).map((row) => row.job);
  const last = jobs.at(-1);
  const more = rows.length > request.limit && last !== undefined;
  return { jobs, nextCursor: more ? encodeCursor(at(last), last.id) : null } satisfies JobPage;
}

/** Every job, newest first (`createdAt` desc, then id desc). */
export function listJobs(table: Table, request: ListRequest): JobPage {
  return page(
    table,
    request,
    () => true,
    (job) => job.createdAt,
  );
}

/** Dead letters (`failed` jobs), newest failure first (`failedAt` desc, then id desc). */
export function listDeadLetters(table: Table, request: ListRequest): JobPage {
  return page(
    table,
    request,
    (row) => row.job.status === 'failed',
    (job) => job.failedAt ?? 0,
  );
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;
}

/** Counts by type × status, scheduled retries, the oldest queued job, run times of completed jobs. */
export function stats(table: Table, filter: JobFilter): AdapterStats {
  // Keyed by job type, which users choose: a type named `__proto__` must be a key, not a prototype.
  const byType: AdapterStats['byType'] = Object.create(null);
  let retryScheduled = 0;
  let oldestQueuedAt: number | null = null;
  const runTimes: number[] = [];
  for (const { job } of allRows(table)) {
    if (!matches(job, filter)) continue;
    const counts = byType[job.type] ?? Object.create(null);
    byType[job.type] = counts;
    counts[job.status] = (counts[job.status] ?? 0) + 1;
    if (job.status === 'queued') {
      if (job.attempt > 0) retryScheduled++;
      if (oldestQueuedAt === null || job.createdAt < oldestQueuedAt) oldestQueuedAt = job.createdAt;
    }
    if (job.status === 'completed' && job.completedAt !== null && job.startedAt !== null) {
      runTimes.push(job.completedAt - job.startedAt);
    }
  }
  runTimes.sort((a, b) => a - b);
  const count = runTimes.length;
  return {
    byType,
    retryScheduled,
    oldestQueuedAt,
    processing: {
      count,
      avgMs: count > 0 ? runTimes.reduce((sum, ms) => sum + ms, 0) / count : null,
      p50Ms: percentile(runTimes, 0.5),
      p95Ms: percentile(runTimes, 0.95),
      maxMs: runTimes.at(-1) ?? null,
    },
  };
}
