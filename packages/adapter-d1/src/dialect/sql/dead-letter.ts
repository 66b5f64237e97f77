/*
 * Dead letters written from outside the runner (a Cloudflare Queues consumer): a message that
 * failed for good becomes a Redrive job in `failed`, with its history, so it is listed, inspected
 * and redriven through the same API and dashboard as any job.
 *
 * recordAttempt: ?1 job id, then a history row (?2…?8), one statement per failed delivery.
 * storeDeadLetter: ONE batch: the job row (status `failed`, ON CONFLICT DO NOTHING: a message
 * delivered again after its dead letter was stored writes nothing twice), the final history row
 * guarded by `changes() = 1`, the trim. forgetAttempts: ?1 job id (the message succeeded later).
 */
import type { Job, RetryHistoryEntry } from '@redrive/core';
import { HISTORY, JOBS, jsonOrNull } from '../row.js';
import type { SqlContext } from './context.js';
import { APPEND_HISTORY_SQL, TRIM_HISTORY_SQL } from './history.js';

const RECORD_SQL = `INSERT INTO ${HISTORY} (job_id, attempt, error, stack, error_category, delay_ms, dead_lettered, at)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`;

const historyValues = (id: string, h: RetryHistoryEntry) =>
  [id, h.attempt, h.error, h.stack, h.errorCategory, h.delayMs, h.deadLettered ? 1 : 0, h.timestamp] as const;

/** Appends a history row for a failed delivery that will be retried (one statement). */
export async function recordAttempt(ctx: SqlContext, id: string, entry: RetryHistoryEntry): Promise<void> {
  await ctx.db
    .prepare(RECORD_SQL)
    .bind(...historyValues(id, entry))
    .run();
}

/** Drops the history rows of a message that finally succeeded (one statement). */
export async function forgetAttempts(ctx: SqlContext, id: string): Promise<void> {
  await ctx.db.prepare(`DELETE FROM ${HISTORY} WHERE job_id = ?1`).bind(id).run();
}

const INSERT_FAILED_SQL = `INSERT INTO ${JOBS} (id, type, queue, tenant_id, payload, status, priority, attempt,
    max_attempts, error, error_stack, error_category, last_error_at, run_at, created_at, updated_at, started_at,
    failed_at, title, metadata, requires_user_action, suggested_action)
  VALUES (?1, ?2, ?3, ?4, ?5, 'failed', ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?12, ?12, ?12, ?15, ?16, ?17, ?18)
  ON CONFLICT (id) DO NOTHING`;

/** Stores `job` (status `failed`) and its final history entry in one batch; false when it existed. */
export async function storeDeadLetter(
  ctx: SqlContext,
  job: Job,
  final: RetryHistoryEntry,
  historyLimit: number,
): Promise<boolean> {
  const [inserted] = await ctx.db.batch([
    ctx.db
      .prepare(INSERT_FAILED_SQL)
      .bind(
        job.id,
        job.type,
        job.queue,
        job.tenantId,
        jsonOrNull(job.payload),
        job.priority,
        job.attempt,
        job.maxAttempts,
        job.error,
        job.errorStack,
        job.errorCategory,
        job.failedAt,
        job.runAt,
        job.createdAt,
        job.title,
        JSON.stringify(job.metadata),
        job.requiresUserAction ? 1 : 0,
        job.suggestedAction,
      ),
    ctx.db.prepare(APPEND_HISTORY_SQL).bind(...historyValues(job.id, final)),
    ctx.db.prepare(TRIM_HISTORY_SQL).bind(job.id, historyLimit),
  ]);
  return (inserted?.meta?.changes ?? 0) > 0;
}
