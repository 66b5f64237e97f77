/*
 * History helpers shared by fail and recover: the CTE fragments that append a retry-history row
 * for each updated job and trim the job's history to the newest N, inside the caller's statement.
 *
 * Parameters are the caller's; `limit` is the placeholder of the history limit (integer).
 * All CTEs of one statement see the same snapshot, so the trim cannot see the row being
 * inserted: it keeps the newest `limit - 1` existing rows, and the new one makes `limit`.
 */
import type { RetryHistoryEntry } from '@redrive/core';
import type { SqlContext } from './context.js';

/** `DELETE` CTE body trimming the history of the jobs in CTE `upd` to the newest `limit` (incl. the new row). */
export function trimHistorySql(s: string, limit: string): string {
  return `DELETE FROM ${s}.job_history h USING upd
    WHERE h.job_id = upd.id AND h.seq NOT IN (
      SELECT k.seq FROM ${s}.job_history k WHERE k.job_id = upd.id
      ORDER BY k.seq DESC LIMIT GREATEST(${limit} - 1, 0))`;
}

/** A job's history, oldest first. */
export async function getHistory(ctx: SqlContext, id: string): Promise<RetryHistoryEntry[]> {
  const { rows } = await ctx.db.query(
    `SELECT attempt, error, stack, error_category, delay_ms, dead_lettered, at
     FROM ${ctx.s}.job_history WHERE job_id = $1 ORDER BY seq`,
    [id],
  );
  return rows.map((r) => ({
    attempt: r.attempt,
    error: r.error,
    stack: r.stack,
    errorCategory: r.error_category,
    delayMs: Number(r.delay_ms),
    deadLettered: r.dead_lettered,
    timestamp: Number(r.at),
  }));
}
