import type { ClaimedJob, ErrorCategory, Job, JobStatus } from '@redrive/core';

/** The stored columns a Job is read from (qualified by `alias` when given), but those in `omit`. */
export function jobColumns(alias = '', omit: readonly string[] = []): string {
  const p = alias ? `${alias}.` : '';
  return COLUMNS.filter((c) => !omit.includes(c))
    .map((c) => p + c)
    .join(', ');
}

const COLUMNS = [
  'id',
  'type',
  'queue',
  'tenant_id',
  'payload',
  'status',
  'priority',
  'progress',
  'attempt',
  'max_attempts',
  'error',
  'error_stack',
  'error_category',
  'last_error_at',
  'run_at',
  'created_at',
  'updated_at',
  'started_at',
  'completed_at',
  'failed_at',
  'title',
  'metadata',
  'result',
  'lease_owner',
  'lease_expires_at',
  'lease_token',
  'checkpoint',
  'paused_at',
  'resumed_at',
  'pause_reason',
  'resume_count',
  'pause_requested',
  'idempotency_key',
  'timeout_ms',
  'redrive_count',
  'requires_user_action',
  'suggested_action',
];

/** `bigint` arrives as a string from `pg` (unless the app set a type parser): epoch ms fit a double exactly. */
function ms(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

function msOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : ms(value);
}

/** Maps a `jobs` row to the contract's Job. */
export function rowToJob(row: Record<string, any>): Job {
  return {
    id: row.id,
    type: row.type,
    queue: row.queue,
    tenantId: row.tenant_id,
    payload: row.payload,
    status: row.status as JobStatus,
    priority: row.priority,
    progress: row.progress,
    attempt: row.attempt,
    maxAttempts: row.max_attempts,
    error: row.error,
    errorStack: row.error_stack,
    errorCategory: row.error_category as ErrorCategory | null,
    lastErrorAt: msOrNull(row.last_error_at),
    runAt: ms(row.run_at),
    createdAt: ms(row.created_at),
    updatedAt: ms(row.updated_at),
    startedAt: msOrNull(row.started_at),
    completedAt: msOrNull(row.completed_at),
    failedAt: msOrNull(row.failed_at),
    title: row.title,
    metadata: row.metadata ?? {},
    result: row.result,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: msOrNull(row.lease_expires_at),
    checkpoint: row.checkpoint,
    pausedAt: msOrNull(row.paused_at),
    resumedAt: msOrNull(row.resumed_at),
    pauseReason: row.pause_reason,
    resumeCount: row.resume_count,
    pauseRequested: row.pause_requested,
    idempotencyKey: row.idempotency_key,
    timeoutMs: row.timeout_ms,
    redriveCount: row.redrive_count,
    requiresUserAction: row.requires_user_action,
    suggestedAction: row.suggested_action,
  };
}

/**
 * Maps a freshly claimed row: the Job plus its lease token (added to the Job built above rather
 * than spread into a copy of it: a claim maps hundreds of rows, and copying 37 fields each was a
 * visible part of a claim's client-side cost).
 */
export function rowToClaimedJob(row: Record<string, any>): ClaimedJob {
  const job = rowToJob(row) as ClaimedJob;
  job.leaseToken = row.lease_token;
  return job;
}

/** JSON for a jsonb parameter; `undefined` stores SQL NULL. */
export function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}
