/*
 * stats: the raw aggregates behind `queue.stats()`, in ONE batch of three statements.
 *
 * Values: the filter's (each statement binds its own copy).
 *
 * - Counts per status and type: GROUP BY over redrive_jobs_status_type_idx (index only).
 * - Retry-scheduled count and the oldest queued job, over the queued rows.
 * - Processing time over the PROCESSING_SAMPLE most recently completed jobs, percentiles
 *   computed here (SQLite has no percentile function), so the cost does not grow with retention.
 */
import type { AdapterStats, JobFilter, JobStatus } from '@redrive/core';
import { JOBS } from '../row.js';
import type { SqlContext } from './context.js';
import { filterConditions } from './filter.js';

/** How many of the most recently completed jobs processing-time stats look at. */
export const PROCESSING_SAMPLE = 10_000;

type Values = (string | number | null)[];

/** Computes the aggregates for jobs matching `filter`. */
export async function jobStats(ctx: SqlContext, filter: JobFilter): Promise<AdapterStats> {
  const params: unknown[] = [];
  const where = filterConditions(filter, params);
  const values = params as Values;
  const [counts, queued, processing] = await ctx.db.batch([
    ctx.db
      .prepare(`SELECT status, type, count(*) AS n FROM ${JOBS} WHERE ${where} GROUP BY status, type`)
      .bind(...values),
    ctx.db
      .prepare(
        `SELECT sum(attempt > 0) AS retry, min(created_at) AS oldest FROM ${JOBS} WHERE status = 'queued' AND ${where}`,
      )
      .bind(...values),
    ctx.db
      .prepare(
        `SELECT completed_at - started_at AS ms FROM ${JOBS}
         WHERE status = 'completed' AND started_at IS NOT NULL AND completed_at IS NOT NULL AND ${where}
         ORDER BY updated_at DESC LIMIT ${PROCESSING_SAMPLE}`,
      )
      .bind(...values),
  ]);
  const byType: AdapterStats['byType'] = Object.create(null);
  for (const row of counts!.results) {
    const type = row.type as string;
    const byStatus = byType[type] ?? {};
    byStatus[row.status as JobStatus] = row.n as number;
    byType[type] = byStatus;
  }
  const q = queued!.results[0] ?? {};
  const times = processing!.results.map((r) => r.ms as number).sort((a, b) => a - b);
  return {
    byType,
    retryScheduled: (q.retry as number | null) ?? 0,
    oldestQueuedAt: (q.oldest as number | null) ?? null,
    processing: summarize(times),
  };
}

/** Count, mean, p50, p95 (linear interpolation, as PostgreSQL's percentile_cont) and max. */
function summarize(sorted: number[]): AdapterStats['processing'] {
  const n = sorted.length;
  if (n === 0) return { count: 0, avgMs: null, p50Ms: null, p95Ms: null, maxMs: null };
  const at = (p: number) => {
    const pos = (n - 1) * p;
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, n - 1);
    return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
  };
  const sum = sorted.reduce((s, v) => s + v, 0);
  return { count: n, avgMs: sum / n, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: sorted[n - 1]! };
}
