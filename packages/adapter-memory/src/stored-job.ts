import type { ClaimedJob, Job, RetryHistoryEntry } from '@redrive/core';
import { decodeCheckpoint, decodeJson } from './json-value.js';

/**
 * One job as the memory adapter holds it: the job itself plus what the contract keeps out of
 * `Job` (the current lease token and the retry history) and the bookkeeping of the ready queue.
 */
export interface StoredJob {
  job: Job;
  /** Token of the last claim; kept after a transition out of `running` so heartbeats can say why. */
  token: string | null;
  history: RetryHistoryEntry[];
  /** Insertion order: the last tie-breaker of claim order, so equal jobs run first-in first-out. */
  seq: number;
  /** Version of this job's live ready-queue entry; 0 when it has none (see ready-queue.ts). */
  qv: number;
  /** Deleted: a tombstone in the insertion-order list until it is compacted (see job-table.ts). */
  gone: boolean;
  /** A heartbeat reported the current lease's run started (reset by every claim). */
  startReported: boolean;
  /** Releases with `crashRefund` so far (core's crash refunds; see `RecoveredJob`). */
  crashRefunds: number;
}

/**
 * A copy for callers: changing a returned job never changes the store. Payload, metadata and
 * result (and checkpoint data) are decoded afresh from their stored JSON (as a SQL row read
 * would); progress is stored frozen and shared.
 *
 * Written out field by field on purpose: an object literal with a fixed shape is several times
 * faster to build than `{ ...job }`, and `{ ...job, leaseToken }` was a quarter of a claim's cost.
 */
export function snapshot(stored: StoredJob): Job {
  return copyJob(stored.job);
}

/** See {@link snapshot}. */
export function copyJob(j: Job): Job {
  return {
    id: j.id,
    type: j.type,
    queue: j.queue,
    tenantId: j.tenantId,
    payload: decodeJson(j.payload),
    status: j.status,
    priority: j.priority,
    progress: j.progress,
    attempt: j.attempt,
    maxAttempts: j.maxAttempts,
    error: j.error,
    errorStack: j.errorStack,
    errorCategory: j.errorCategory,
    lastErrorAt: j.lastErrorAt,
    runAt: j.runAt,
    createdAt: j.createdAt,
    updatedAt: j.updatedAt,
    startedAt: j.startedAt,
    completedAt: j.completedAt,
    failedAt: j.failedAt,
    title: j.title,
    metadata: decodeJson(j.metadata) as Record<string, unknown>,
    result: decodeJson(j.result),
    leaseOwner: j.leaseOwner,
    leaseExpiresAt: j.leaseExpiresAt,
    checkpoint: decodeCheckpoint(j.checkpoint),
    pausedAt: j.pausedAt,
    resumedAt: j.resumedAt,
    pauseReason: j.pauseReason,
    resumeCount: j.resumeCount,
    pauseRequested: j.pauseRequested,
    idempotencyKey: j.idempotencyKey,
    timeoutMs: j.timeoutMs,
    redriveCount: j.redriveCount,
    requiresUserAction: j.requiresUserAction,
    suggestedAction: j.suggestedAction,
  };
}

/** A claimed job's snapshot with the token its claim issued. */
export function claimedSnapshot(stored: StoredJob, leaseToken: string): ClaimedJob {
  const j = stored.job;
  return {
    id: j.id,
    type: j.type,
    queue: j.queue,
    tenantId: j.tenantId,
    payload: decodeJson(j.payload),
    status: j.status,
    priority: j.priority,
    progress: j.progress,
    attempt: j.attempt,
    maxAttempts: j.maxAttempts,
    error: j.error,
    errorStack: j.errorStack,
    errorCategory: j.errorCategory,
    lastErrorAt: j.lastErrorAt,
    runAt: j.runAt,
    createdAt: j.createdAt,
    updatedAt: j.updatedAt,
    startedAt: j.startedAt,
    completedAt: j.completedAt,
    failedAt: j.failedAt,
    title: j.title,
    metadata: decodeJson(j.metadata) as Record<string, unknown>,
    result: decodeJson(j.result),
    leaseOwner: j.leaseOwner,
    leaseExpiresAt: j.leaseExpiresAt,
    checkpoint: decodeCheckpoint(j.checkpoint),
    pausedAt: j.pausedAt,
    resumedAt: j.resumedAt,
    pauseReason: j.pauseReason,
    resumeCount: j.resumeCount,
    pauseRequested: j.pauseRequested,
    idempotencyKey: j.idempotencyKey,
    timeoutMs: j.timeoutMs,
    redriveCount: j.redriveCount,
    requiresUserAction: j.requiresUserAction,
    suggestedAction: j.suggestedAction,
    leaseToken,
  } as ClaimedJob;
}

/** Live jobs hold their idempotency key; finished ones release it. */
export function isLive(status: Job['status']): boolean {
  return status === 'queued' || status === 'running' || status === 'paused';
}

/**
 * The idempotency index key of a job: keys are unique per (tenantId, idempotencyKey), the null
 * tenant being its own space, so one tenant's key never finds another tenant's job.
 * The tenant is length-prefixed so no (tenant, key) pair can spell another pair's index key.
 */
export function idempotencyIndexKey(tenantId: string | null, key: string): string {
  return tenantId === null ? `-${key}` : `${tenantId.length}:${tenantId}${key}`;
}
