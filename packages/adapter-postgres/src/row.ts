import type { ClaimedJob, ErrorCategory, Job, JobStatus } from '@redrive/core';

/** The stored columns a Job is read from (qualified by `alias` when given). */
export function jobColumns(alias = ''): string {
  const p = alias ? `${alias}.` : '';
  return COLUMNS.map((c) => p + c).join(', ');
}

/** The job columns but those in `omit`, in the order {@link jobColumns} lists them. */
export function jobColumnList(omit: readonly string[] = []): JobColumn[] {
  return COLUMNS.filter((c) => !omit.includes(c));
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
] as const;

/** A stored column of `jobs` that a Job field is read from. */
export type JobColumn = (typeof COLUMNS)[number];

/** `bigint` arrives as a string from `pg` (unless the app set a type parser): epoch ms fit a double exactly. */
function ms(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

function msOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : ms(value);
}

/** Maps a `jobs` row (pg's default: an object keyed by column name) to the contract's Job. */
export function rowToJob(row: Record<string, any>): Job {
  return readJob(row, NAMED_LAYOUT);
}

/**
 * Where each job column's value sits in a row: its name in pg's default object rows, its position
 * in `rowMode: 'array'` rows (-1 for a column the statement did not return: read as `undefined`).
 * Array rows are for the hot statements that return hundreds of jobs (claims): pg builds an object
 * row by copying a template of every column and then storing each value by name, an array row by
 * index, which costs markedly less per row.
 */
export type RowLayout = { readonly [C in JobColumn]: string | number };

/** The layout of pg's default object rows: every column by its name. */
export const NAMED_LAYOUT = Object.fromEntries(COLUMNS.map((c) => [c, c])) as RowLayout;

/** The layout of array rows whose columns are `columns`, in that order. */
export function positionsOf(columns: readonly string[]): RowLayout {
  return Object.fromEntries(COLUMNS.map((c) => [c, columns.indexOf(c)])) as RowLayout;
}

/** Maps a row laid out as `l` says to the contract's Job. */
export function readJob(row: any, l: RowLayout): Job {
  return {
    id: row[l.id],
    type: row[l.type],
    queue: row[l.queue],
    tenantId: row[l.tenant_id],
    payload: row[l.payload],
    status: row[l.status] as JobStatus,
    priority: row[l.priority],
    progress: row[l.progress],
    attempt: row[l.attempt],
    maxAttempts: row[l.max_attempts],
    error: row[l.error],
    errorStack: row[l.error_stack],
    errorCategory: row[l.error_category] as ErrorCategory | null,
    lastErrorAt: msOrNull(row[l.last_error_at]),
    runAt: ms(row[l.run_at]),
    createdAt: ms(row[l.created_at]),
    updatedAt: ms(row[l.updated_at]),
    startedAt: msOrNull(row[l.started_at]),
    completedAt: msOrNull(row[l.completed_at]),
    failedAt: msOrNull(row[l.failed_at]),
    title: row[l.title],
    metadata: row[l.metadata] ?? {},
    result: row[l.result],
    leaseOwner: row[l.lease_owner],
    leaseExpiresAt: msOrNull(row[l.lease_expires_at]),
    checkpoint: row[l.checkpoint],
    pausedAt: msOrNull(row[l.paused_at]),
    resumedAt: msOrNull(row[l.resumed_at]),
    pauseReason: row[l.pause_reason],
    resumeCount: row[l.resume_count],
    pauseRequested: row[l.pause_requested],
    idempotencyKey: row[l.idempotency_key],
    timeoutMs: row[l.timeout_ms],
    redriveCount: row[l.redrive_count],
    requiresUserAction: row[l.requires_user_action],
    suggestedAction: row[l.suggested_action],
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
