/*
 * fail: store core's decision for a failed attempt, fenced, as ONE batch: the status change
 * (re-queue at runAt, or dead-letter with its DLQ fields), the history row, the history trim.
 *
 * Values of the UPDATE: ?1 id, ?2 lease token, ?3 now, ?4 error, ?5 stack, ?6 category, ?7 dead
 * (0/1), ?8 retry runAt (null when dead), ?9 requiresUserAction (0/1), ?10 suggestedAction.
 *
 * The history INSERT is guarded by `changes()` (see history.ts): when the lease was lost the
 * UPDATE matches no row and the batch writes nothing at all; its last statement reads the row,
 * so a refusal tells a job cancelled under this token from a lost lease. The decision itself is core's; the
 * only rule here is the contract's: a retry of a job asked to pause while it ran goes to `paused`.
 */
import type { FailRequest, FailResult } from '@redrive/core';
import { JOBS, rowToJob } from '../row.js';
import type { SqlContext } from './context.js';
import { appendHistory } from './history.js';
import { currentState, refused } from './refused.js';

const FAIL_SQL = `UPDATE ${JOBS} SET
    status = CASE WHEN ?7 THEN 'failed' WHEN pause_requested THEN 'paused' ELSE 'queued' END,
    paused_at = CASE WHEN NOT ?7 AND pause_requested THEN ?3 ELSE paused_at END,
    pause_requested = 0,
    run_at = CASE WHEN ?7 THEN run_at ELSE ?8 END,
    error = ?4, error_stack = ?5, error_category = ?6, last_error_at = ?3, updated_at = ?3,
    failed_at = CASE WHEN ?7 THEN ?3 ELSE failed_at END,
    requires_user_action = CASE WHEN ?7 THEN ?9 ELSE requires_user_action END,
    suggested_action = CASE WHEN ?7 THEN ?10 ELSE suggested_action END,
    lease_owner = NULL, lease_expires_at = NULL
  WHERE id = ?1 AND status = 'running' AND lease_token = ?2
  RETURNING *`;

/** Applies the failure and says what it did (a refusal tells a cancel from a lost lease). */
export async function failJob(ctx: SqlContext, id: string, r: FailRequest): Promise<FailResult> {
  const dead = r.outcome.kind === 'dead';
  const [updated, , , current] = await ctx.db.batch([
    ctx.db
      .prepare(FAIL_SQL)
      .bind(
        id,
        r.leaseToken,
        r.now,
        r.error.message,
        r.error.stack,
        r.error.category,
        dead ? 1 : 0,
        r.outcome.kind === 'retry' ? r.outcome.runAt : null,
        r.outcome.kind === 'dead' && r.outcome.requiresUserAction ? 1 : 0,
        r.outcome.kind === 'dead' ? r.outcome.suggestedAction : null,
      ),
    ...appendHistory(ctx, id, r.history, r.historyLimit),
    currentState(ctx, id),
  ]);
  const row = updated?.results[0];
  if (!row) return refused(current, r.leaseToken);
  if (row.status === 'failed') return { ok: true, status: 'failed', job: rowToJob(row) };
  return { ok: true, status: row.status as 'queued' | 'paused' };
}
