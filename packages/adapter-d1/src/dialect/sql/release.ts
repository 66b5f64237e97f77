/*
 * release: give a leased job back without a failure, fenced, in ONE statement: snooze or stop
 * (`queued` at runAt, optionally refunding the attempt the claim counted) or pause at a checkpoint.
 *
 * Values: ?1 id, ?2 lease token, ?3 now, ?4 target status, ?5 runAt, ?6 refund (0/1), ?7 count a
 * crash refund (0/1). A pause
 * keeps the reason given with the pause request. One batch: the update, then the row's state,
 * so a refusal tells a job cancelled under this token from a lost lease.
 */
import type { ReleaseRequest, ReleaseResult } from '@redrive/core';
import { JOBS } from '../row.js';
import type { SqlContext } from './context.js';
import { currentState, refused } from './refused.js';

const RELEASE_SQL = `UPDATE ${JOBS} SET
    status = ?4,
    run_at = CASE WHEN ?4 = 'queued' THEN ?5 ELSE run_at END,
    attempt = CASE WHEN ?6 THEN max(attempt - 1, 0) ELSE attempt END,
    crash_refunds = crash_refunds + ?7,
    paused_at = CASE WHEN ?4 = 'paused' THEN ?3 ELSE paused_at END,
    pause_requested = 0, lease_owner = NULL, lease_expires_at = NULL, updated_at = ?3
  WHERE id = ?1 AND status = 'running' AND lease_token = ?2
  RETURNING status`;

/** Releases the job and says what it did. */
export async function releaseJob(ctx: SqlContext, id: string, r: ReleaseRequest): Promise<ReleaseResult> {
  const [updated, current] = await ctx.db.batch([
    ctx.db
      .prepare(RELEASE_SQL)
      .bind(
        id,
        r.leaseToken,
        r.now,
        r.to,
        r.to === 'queued' ? (r.runAt ?? r.now) : null,
        r.refundAttempt ? 1 : 0,
        r.crashRefund === true ? 1 : 0,
      ),
    currentState(ctx, id),
  ]);
  const row = updated?.results[0];
  if (!row) return refused(current, r.leaseToken);
  return { ok: true, status: row.status as 'queued' | 'paused' };
}
