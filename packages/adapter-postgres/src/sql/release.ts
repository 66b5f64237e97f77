/*
 * release: give a leased job back without a failure, fenced, in one statement: snooze or stop
 * (`queued`, optionally refunding the attempt the claim counted) or pause at a checkpoint
 * (`paused`, the reason given with the pause request kept). Answers as fail does (answer.ts).
 *
 * Parameters: $1 id, $2 lease token, $3 now, $4 target status, $5 runAt (null: now),
 *             $6 refund attempt (bool), $7 count a crash refund (bool).
 */
import type { ReleaseRequest, ReleaseResult } from '@redrive/core';
import { fencedAnswerSql } from './answer.js';
import type { SqlContext } from './context.js';

function releaseSql(s: string): string {
  return `WITH upd AS (
    UPDATE ${s}.jobs SET
      status = $4,
      run_at = CASE WHEN $4 = 'queued' THEN COALESCE($5::bigint, $3) ELSE run_at END,
      attempt = CASE WHEN $6 THEN GREATEST(attempt - 1, 0) ELSE attempt END,
      crash_refunds = crash_refunds + CASE WHEN $7 THEN 1 ELSE 0 END,
      paused_at = CASE WHEN $4 = 'paused' THEN $3 ELSE paused_at END,
      pause_requested = false, lease_owner = NULL, lease_expires_at = NULL, prefetched = false, updated_at = $3
    WHERE id = $1 AND status = 'running' AND lease_token = $2
    RETURNING status
  )
  ${fencedAnswerSql(s, '$1', '$2')}`;
}

/** Releases the job and says what it did. */
export async function releaseJob(ctx: SqlContext, id: string, r: ReleaseRequest): Promise<ReleaseResult> {
  const runAt = r.to === 'queued' ? (r.runAt ?? r.now) : null;
  const { rows } = await ctx.db.query(releaseSql(ctx.s), [
    id,
    r.leaseToken,
    r.now,
    r.to,
    runAt,
    r.refundAttempt,
    r.crashRefund === true,
  ]);
  const row = rows[0];
  if (row === undefined || row.status === null) return { ok: false, cancelled: row?.was_cancelled === true };
  return { ok: true, status: row.status };
}
