/*
 * stats: the raw aggregates behind `queue.stats()`, without reading the whole table.
 *
 * Parameters: the filter's values (the same placeholders serve every sub-query).
 *
 * - Counts per status and type, each state from the index that already holds its rows, so no
 *   index exists for stats alone (each one costs every claim and completion a write):
 *   settled states (paused, completed, failed, cancelled) GROUP BY over jobs_settled_idx, an
 *   index-only scan (the visibility map, kept by autovacuum, lets it skip the heap); running
 *   jobs through jobs_lease_idx and queued ones through jobs_queued_idx or jobs_claim_idx (partial,
 *   so they read only the live rows).
 * - Retry-scheduled count and the oldest queued job: in the same pass over the queued backlog.
 * - Processing time: over the 10,000 most recently created completed jobs (jobs_settled_idx), so
 *   the cost does not grow with retention.
 */
import type { AdapterStats, JobFilter, JobStatus } from '@redrive/core';
import { inTransaction } from '../connection.js';
import type { PgPool } from '../pg-types.js';
import type { SqlContext } from './context.js';
import { filterConditions } from './filter.js';

/** The states jobs_settled_idx holds (its predicate, spelled the same so the planner matches it). */
const SETTLED = `'paused', 'completed', 'failed', 'cancelled'`;

/** How many of the newest completed jobs processing-time stats look at. */
export const PROCESSING_SAMPLE = 10_000;

/** Computes the aggregates for jobs matching `filter`. */
export async function jobStats(ctx: SqlContext, filter: JobFilter): Promise<AdapterStats> {
  const params: unknown[] = [];
  const where = filterConditions(filter, params);
  const sql = `SELECT 'count' AS kind, type, status, count(*)::int AS n, NULL::float8 AS a, NULL::float8 AS b,
            NULL::float8 AS c, NULL::float8 AS d
     FROM ${ctx.s}.jobs WHERE status IN (${SETTLED}) AND ${where} GROUP BY status, type
     UNION ALL
     SELECT 'count', type, 'running', count(*)::int, NULL, NULL, NULL, NULL
     FROM ${ctx.s}.jobs WHERE status = 'running' AND ${where} GROUP BY type
     UNION ALL
     SELECT 'queued', type, 'queued', count(*)::int, count(*) FILTER (WHERE attempt > 0)::float8,
            min(created_at)::float8, NULL, NULL
     FROM ${ctx.s}.jobs WHERE status = 'queued' AND ${where} GROUP BY type
     UNION ALL
     SELECT 'processing', NULL, NULL, count(*)::int, avg(ms), percentile_cont(0.5) WITHIN GROUP (ORDER BY ms),
            percentile_cont(0.95) WITHIN GROUP (ORDER BY ms), max(ms)
     FROM (SELECT (completed_at - started_at)::float8 AS ms FROM ${ctx.s}.jobs
           WHERE status = 'completed' AND started_at IS NOT NULL AND completed_at IS NOT NULL AND ${where}
           ORDER BY created_at DESC LIMIT ${PROCESSING_SAMPLE}) AS recent`;
  // jobs_settled_idx is as wide as a listing needs (status, created_at, id, and type for these
  // counts), and at a million rows the planner then prices a parallel scan of the whole heap
  // below an index-only scan of the settled entries: rule the heap scans out for this statement.
  const { rows } = await inTransaction(ctx.db as PgPool, async (client) => {
    await client.query('SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off');
    return client.query(sql, params);
  });
  const stats: AdapterStats = {
    // Keyed by job type (user data): prototype-free, so a type named `__proto__` is an ordinary key.
    byType: Object.create(null),
    retryScheduled: 0,
    oldestQueuedAt: null,
    processing: { count: 0, avgMs: null, p50Ms: null, p95Ms: null, maxMs: null },
  };
  for (const row of rows) {
    if (row.kind === 'count' || row.kind === 'queued') {
      const byStatus = stats.byType[row.type] ?? Object.create(null);
      byStatus[row.status as JobStatus] = row.n;
      stats.byType[row.type] = byStatus;
    }
    if (row.kind === 'queued') {
      stats.retryScheduled += row.a;
      const oldest = Number(row.b);
      if (stats.oldestQueuedAt === null || oldest < stats.oldestQueuedAt) stats.oldestQueuedAt = oldest;
    } else if (row.kind === 'processing') {
      stats.processing = { count: row.n, avgMs: row.a, p50Ms: row.b, p95Ms: row.c, maxMs: row.d };
    }
  }
  return stats;
}
