import type { ClaimedJob, ErrorCategory, Job, JobStatus, RetryHistoryEntry } from '@redrive/core';

/** The jobs table (one name for every statement). */
export const JOBS = 'redrive_jobs';
/** The retry history table. */
export const HISTORY = 'redrive_job_history';
/** The workers table. */
export const WORKERS = 'redrive_workers';

/** JSON text for a TEXT column; `undefined` and `null` are stored as SQL NULL (read back as null). */
export function jsonOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

function parse(text: unknown): unknown {
  return typeof text === 'string' ? JSON.parse(text) : null;
}

function bool(value: unknown): boolean {
  return value === 1 || value === true || value === '1';
}

/** Maps a `redrive_jobs` row (`SELECT *` or `RETURNING *`) to the contract's Job. */
export function rowToJob(row: Record<string, unknown>): Job {
  return {
    id: row.id as string,
    type: row.type as string,
    queue: row.queue as string,
    tenantId: row.tenant_id as string | null,
    payload: parse(row.payload),
    status: row.status as JobStatus,
    priority: row.priority as number,
    progress: parse(row.progress) as Job['progress'],
    attempt: row.attempt as number,
    maxAttempts: row.max_attempts as number,
    error: row.error as string | null,
    errorStack: row.error_stack as string | null,
    errorCategory: row.error_category as ErrorCategory | null,
    lastErrorAt: row.last_error_at as number | null,
    runAt: row.run_at as number,
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
    startedAt: row.started_at as number | null,
    completedAt: row.completed_at as number | null,
    failedAt: row.failed_at as number | null,
    title: row.title as string | null,
    metadata: (parse(row.metadata) as Record<string, unknown> | null) ?? {},
    result: parse(row.result),
    leaseOwner: row.lease_owner as string | null,
    leaseExpiresAt: row.lease_expires_at as number | null,
    checkpoint: parse(row.checkpoint) as Job['checkpoint'],
    pausedAt: row.paused_at as number | null,
    resumedAt: row.resumed_at as number | null,
    pauseReason: row.pause_reason as string | null,
    resumeCount: row.resume_count as number,
    pauseRequested: bool(row.pause_requested),
    idempotencyKey: row.idempotency_key as string | null,
    timeoutMs: row.timeout_ms as number | null,
    redriveCount: row.redrive_count as number,
    requiresUserAction: bool(row.requires_user_action),
    suggestedAction: row.suggested_action as string | null,
  };
}

/** Maps a freshly claimed row: the Job plus its lease token. */
export function rowToClaimedJob(row: Record<string, unknown>): ClaimedJob {
  return { ...(rowToJob(row) as ClaimedJob), leaseToken: row.lease_token as string };
}

/** Claim order: priority desc, created_at asc, run_at asc, then insertion order (rowid). */
export function byClaimOrder(a: Record<string, unknown>, b: Record<string, unknown>): number {
  return (
    (b.priority as number) - (a.priority as number) ||
    (a.created_at as number) - (b.created_at as number) ||
    (a.run_at as number) - (b.run_at as number) ||
    (a.claim_pos as number) - (b.claim_pos as number)
  );
}

/** Maps a `redrive_job_history` row to a history entry. */
export function rowToHistoryEntry(r: Record<string, unknown>): RetryHistoryEntry {
  return {
    attempt: r.attempt as number,
    error: r.error as string,
    stack: r.stack as string | null,
    errorCategory: r.error_category as ErrorCategory,
    delayMs: r.delay_ms as number,
    deadLettered: r.dead_lettered === 1,
    timestamp: r.at as number,
  };
}
