/*
 * throughput: finished jobs per minute in [since, until), for a dashboard's chart.
 *
 * Two range scans, each on the index that holds its rows by finish time: completed jobs through
 * jobs_completed_at_idx (completed_at, INCLUDE type and tenant_id, so an index-only scan), dead
 * letters through jobs_dlq_idx (failed_at). The range is a day at most (core checks it), so the
 * cost follows the number of jobs finished in it, not the size of the table.
 */
import type { ThroughputBucket, ThroughputRequest } from '@redrive/core';
import type { SqlContext } from './context.js';

/** Counts per minute, only minutes with a count, oldest first. */
export async function jobThroughput(
  ctx: SqlContext,
  request: ThroughputRequest,
): Promise<ThroughputBucket[]> {
  const params: unknown[] = [request.since, request.until];
  let extra = '';
  if (request.type !== undefined) {
    params.push(request.type);
    extra += ` AND type = $${params.length}`;
  }
  if (request.tenantId === null) extra += ' AND tenant_id IS NULL';
  else if (request.tenantId !== undefined) {
    params.push(request.tenantId);
    extra += ` AND tenant_id = $${params.length}`;
  }
  const { rows } = await ctx.db.query(
    `SELECT minute, sum(completed)::int AS completed, sum(failed)::int AS failed FROM (
       SELECT (completed_at / 60000) * 60000 AS minute, count(*) AS completed, 0 AS failed
       FROM ${ctx.s}.jobs
       WHERE status = 'completed' AND completed_at >= $1 AND completed_at < $2${extra}
       GROUP BY 1
       UNION ALL
       SELECT (failed_at / 60000) * 60000, 0, count(*)
       FROM ${ctx.s}.jobs
       WHERE status = 'failed' AND failed_at >= $1 AND failed_at < $2${extra}
       GROUP BY 1
     ) AS per_state GROUP BY minute ORDER BY minute`,
    params,
  );
  return rows.map((r: { minute: string | number; completed: number; failed: number }) => ({
    minute: Number(r.minute),
    completed: r.completed,
    failed: r.failed,
  }));
}
