/*
 * Retry history: the statements that append a job's history row and trim it to the newest N,
 * run inside the caller's batch, and the read.
 */
import type { RetryHistoryEntry } from '@redrive/core';
import { HISTORY, rowToHistoryEntry } from '../row.js';
import type { SqlContext } from './context.js';

/**
 * Appends one history row, guarded: it writes only when the statement just before it in the
 * batch changed a row (`changes()` reads the connection's last INSERT/UPDATE/DELETE, which in a
 * batch is the fenced status change). A fenced write that lost its lease thus leaves no history.
 *
 * Values: ?1 job id, ?2 attempt, ?3 error, ?4 stack, ?5 category, ?6 delay ms, ?7 dead-lettered (0/1), ?8 at.
 */
export const APPEND_HISTORY_SQL = `INSERT INTO ${HISTORY} (job_id, attempt, error, stack, error_category, delay_ms, dead_lettered, at)
  SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 WHERE changes() = 1`;

/** Keeps the newest `?2` history rows of job `?1` (after the append). */
export const TRIM_HISTORY_SQL = `DELETE FROM ${HISTORY} WHERE job_id = ?1 AND seq NOT IN (
    SELECT seq FROM ${HISTORY} WHERE job_id = ?1 ORDER BY seq DESC LIMIT ?2)`;

/** The bound statements appending `entry` to job `id` and trimming its history to `limit`. */
export function appendHistory(ctx: SqlContext, id: string, entry: RetryHistoryEntry, limit: number) {
  return [
    ctx.db
      .prepare(APPEND_HISTORY_SQL)
      .bind(
        id,
        entry.attempt,
        entry.error,
        entry.stack,
        entry.errorCategory,
        entry.delayMs,
        entry.deadLettered ? 1 : 0,
        entry.timestamp,
      ),
    ctx.db.prepare(TRIM_HISTORY_SQL).bind(id, limit),
  ];
}

/** A job's history, oldest first. */
export async function getHistory(ctx: SqlContext, id: string): Promise<RetryHistoryEntry[]> {
  const { results } = await ctx.db
    .prepare(
      `SELECT attempt, error, stack, error_category, delay_ms, dead_lettered, at FROM ${HISTORY}
       WHERE job_id = ?1 ORDER BY seq`,
    )
    .bind(id)
    .all();
  return results.map(rowToHistoryEntry);
}
