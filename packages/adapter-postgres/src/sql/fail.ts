/*
 * fail: store core's decision for a failed attempt, fenced, in ONE statement: the status change
 * (re-queue with runAt, or dead-letter with its DLQ fields), the history row, and the history trim.
 *
 * Parameters: $1 id, $2 lease token, $3 now, $4 error message, $5 stack, $6 category,
 *             $7 dead (bool), $8 retry runAt (null when dead), $9 requiresUserAction,
 *             $10 suggestedAction, $11 history attempt, $12 history delayMs, $13 history deadLettered,
 *             $14 history timestamp, $15 history limit, $16 history error, $17 history stack,
 *             $18 history category.
 *
 * Answers with the status the row went to (and, for a dead letter, the whole row, which core
 * reports); when nothing changed, whether the job was cancelled under this token. That last
 * read sees the statement's snapshot, i.e. the row as it was before this statement.
 */
import type { FailRequest, FailResult } from '@redrive/core';
import { jobColumns, rowToJob } from '../row.js';
import { fencedAnswerSql } from './answer.js';
import type { SqlContext } from './context.js';
import { trimHistorySql } from './history.js';

function failSql(s: string): string {
  return `WITH upd AS (
    UPDATE ${s}.jobs SET
      -- A pause asked for during the attempt is honoured by a retry: paused, the retry's runAt kept.
      status = CASE WHEN $7 THEN 'failed' WHEN pause_requested THEN 'paused' ELSE 'queued' END,
      paused_at = CASE WHEN NOT $7 AND pause_requested THEN $3 ELSE paused_at END,
      pause_requested = false,
      run_at = CASE WHEN $7 THEN run_at ELSE $8 END,
      error = $4, error_stack = $5, error_category = $6, last_error_at = $3, updated_at = $3,
      failed_at = CASE WHEN $7 THEN $3 ELSE failed_at END,
      requires_user_action = CASE WHEN $7 THEN $9 ELSE requires_user_action END,
      suggested_action = CASE WHEN $7 THEN $10 ELSE suggested_action END,
      lease_owner = NULL, lease_expires_at = NULL, prefetched = false
    WHERE id = $1 AND status = 'running' AND lease_token = $2
    RETURNING ${jobColumns()}
  ), ins AS (
    INSERT INTO ${s}.job_history (job_id, attempt, error, stack, error_category, delay_ms, dead_lettered, at)
    SELECT id, $11::int, $16::text, $17::text, $18::text, $12::bigint, $13::boolean, $14::bigint FROM upd WHERE $15::int > 0
  ), trim AS (${trimHistorySql(s, '$15::int')})
  ${fencedAnswerSql(s, '$1', '$2')}`;
}

/** Applies the failure and says what it did. */
export async function failJob(ctx: SqlContext, id: string, r: FailRequest): Promise<FailResult> {
  const dead = r.outcome.kind === 'dead';
  const runAt = r.outcome.kind === 'retry' ? r.outcome.runAt : null;
  const { rows } = await ctx.db.query({
    name: `redrive-fail-${ctx.s}`,
    text: failSql(ctx.s),
    values: [
      id,
      r.leaseToken,
      r.now,
      r.error.message,
      r.error.stack,
      r.error.category,
      dead,
      runAt,
      r.outcome.kind === 'dead' ? r.outcome.requiresUserAction : false,
      r.outcome.kind === 'dead' ? r.outcome.suggestedAction : null,
      r.history.attempt,
      r.history.delayMs,
      r.history.deadLettered,
      r.history.timestamp,
      r.historyLimit,
      r.history.error,
      r.history.stack,
      r.history.errorCategory,
    ],
  });
  const row = rows[0];
  if (row === undefined || row.status === null) return { ok: false, cancelled: row?.was_cancelled === true };
  if (row.status === 'failed') return { ok: true, status: 'failed', job: rowToJob(row) };
  return { ok: true, status: row.status };
}
