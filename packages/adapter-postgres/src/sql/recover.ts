/*
 * recoverExpiredLeases: return jobs whose lease expired (their worker died or stalled) in ONE
 * statement: back to `queued` (run at once), to `failed` when that was their last attempt, or to
 * `paused` when a pause was requested; each with a history row, history trimmed.
 *
 * Parameters: $1 now, $2 limit, $3 error message, $4 category, $5 history limit,
 *             $6 suggested action (dead letters), $7 requiresUserAction (dead letters).
 *
 * SKIP LOCKED makes concurrent sweepers split the expired rows instead of queueing behind each
 * other, and a row a worker is completing right now is skipped (its fenced write wins).
 *
 * Claimed ahead, never started: a row still `prefetched` (no heartbeat has listed its lease) may
 * have sat in a crashed worker's claim-ahead buffer. It goes back to `queued` with the claim's
 * attempt refunded and no history row, so a worker crash does not cost a buffered job an attempt.
 * A job that crashes its worker before the first heartbeat looks the same, so at most
 * MAX_CRASH_REFUNDS such refunds are given per job (`crash_refunds`): after that the attempt is
 * charged as for any expired lease, and a job that kills every worker still reaches the
 * dead-letter queue instead of looping for ever.
 */
import type { RecoverRequest, RecoverResult } from '@redrive/core';
import type { SqlContext } from './context.js';
import { trimHistorySql } from './history.js';

/** Refunds per job for a claimed-ahead job lost in a crash before any heartbeat (see above). */
export const MAX_CRASH_REFUNDS = 2;

function recoverSql(s: string): string {
  return `WITH expired AS (
    -- Row values come from the locked (newest) row versions, not the statement snapshot.
    SELECT id, prefetched AND crash_refunds < ${MAX_CRASH_REFUNDS} AS prefetched, pause_requested, attempt,
      max_attempts FROM ${s}.jobs
    WHERE status = 'running' AND lease_expires_at <= $1
    ORDER BY lease_expires_at LIMIT $2
    FOR UPDATE SKIP LOCKED
  ), decided AS (
    SELECT id, prefetched,
      CASE WHEN prefetched THEN 'queued'
           WHEN pause_requested THEN 'paused'
           WHEN attempt >= max_attempts THEN 'failed'
           ELSE 'queued' END AS next
    FROM expired
  ), upd AS (
    UPDATE ${s}.jobs j SET
      status = d.next,
      attempt = CASE WHEN d.prefetched THEN GREATEST(j.attempt - 1, 0) ELSE j.attempt END,
      crash_refunds = CASE WHEN d.prefetched THEN j.crash_refunds + 1 ELSE j.crash_refunds END,
      run_at = CASE WHEN d.next = 'queued' THEN $1 ELSE j.run_at END,
      error = CASE WHEN d.prefetched THEN j.error ELSE $3 END,
      error_category = CASE WHEN d.prefetched THEN j.error_category ELSE $4 END,
      error_stack = CASE WHEN d.prefetched THEN j.error_stack ELSE NULL END,
      last_error_at = CASE WHEN d.prefetched THEN j.last_error_at ELSE $1 END,
      failed_at = CASE WHEN d.next = 'failed' THEN $1 ELSE j.failed_at END,
      requires_user_action = CASE WHEN d.next = 'failed' THEN $7 ELSE j.requires_user_action END,
      suggested_action = CASE WHEN d.next = 'failed' THEN $6 ELSE j.suggested_action END,
      paused_at = CASE WHEN d.next = 'paused' THEN $1 ELSE j.paused_at END,
      pause_requested = CASE WHEN d.next = 'paused' THEN false ELSE j.pause_requested END,
      lease_owner = NULL, lease_expires_at = NULL, prefetched = false, updated_at = $1
    FROM decided d WHERE j.id = d.id
    RETURNING j.id, j.status, j.attempt, d.prefetched
  ), ins AS (
    INSERT INTO ${s}.job_history (job_id, attempt, error, stack, error_category, delay_ms, dead_lettered, at)
    SELECT id, attempt, $3::text, NULL, $4::text, 0, status = 'failed', $1::bigint FROM upd
    WHERE NOT prefetched AND $5::int > 0
  ), trim AS (${trimHistorySql(s, '$5::int')} AND NOT upd.prefetched)
  SELECT id, status FROM upd`;
}

/** Recovers up to `limit` expired leases (default 1000). */
export async function recoverExpiredLeases(ctx: SqlContext, r: RecoverRequest): Promise<RecoverResult> {
  const { rows } = await ctx.db.query(recoverSql(ctx.s), [
    r.now,
    r.limit ?? 1000,
    r.error.message,
    r.error.category,
    r.historyLimit,
    r.suggestedAction,
    r.error.category.startsWith('permanent_'),
  ]);
  const result: RecoverResult = { requeued: [], deadLettered: [], paused: [] };
  for (const row of rows) {
    if (row.status === 'queued') result.requeued.push(row.id);
    else if (row.status === 'failed') result.deadLettered.push(row.id);
    else result.paused.push(row.id);
  }
  return result;
}
