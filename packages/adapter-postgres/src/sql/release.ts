/*
 * release: give a leased job back without a failure, fenced, in one statement: snooze or stop
 * (`queued`, optionally refunding the attempt the claim counted) or pause at a checkpoint (`paused`).
 *
 * Parameters: $1 id, $2 lease token, $3 now, $4 target status, $5 runAt (null: now),
 *             $6 refund attempt (bool), $7 pause reason.
 */
import type { ReleaseRequest } from '@redrive/core';
import type { SqlContext } from './context.js';

function releaseSql(s: string): string {
  return `WITH upd AS (
    UPDATE ${s}.jobs SET
      status = $4,
      run_at = CASE WHEN $4 = 'queued' THEN COALESCE($5::bigint, $3) ELSE run_at END,
      attempt = CASE WHEN $6 THEN GREATEST(attempt - 1, 0) ELSE attempt END,
      paused_at = CASE WHEN $4 = 'paused' THEN $3 ELSE paused_at END,
      pause_reason = CASE WHEN $4 = 'paused' THEN $7 ELSE pause_reason END,
      pause_requested = false, lease_owner = NULL, lease_expires_at = NULL, prefetched = false, updated_at = $3
    WHERE id = $1 AND status = 'running' AND lease_token = $2
    RETURNING id
  )
  SELECT id FROM upd`;
}

/** Releases the job; false when the lease was lost. */
export async function releaseJob(ctx: SqlContext, id: string, r: ReleaseRequest): Promise<boolean> {
  const runAt = r.to === 'queued' ? (r.runAt ?? r.now) : null;
  const { rows } = await ctx.db.query(releaseSql(ctx.s), [
    id,
    r.leaseToken,
    r.now,
    r.to,
    runAt,
    r.refundAttempt,
    r.pauseReason ?? null,
  ]);
  return rows.length > 0;
}
