import type { NewJobRecord } from '../adapter/storage-adapter.js';
import type { Job } from './job.js';

/**
 * The job a freshly enqueued record becomes: every field of {@link Job} at its initial value
 * (`queued`, attempt 0, no lease, no error). For adapters, which can then answer `enqueue` without
 * reading the row back. `payload` and `metadata` default to the record's (`undefined` payload
 * stored as `null`); an adapter that stores them encoded passes its encoded forms instead.
 *
 * Written as one object literal on purpose: a fixed shape is much faster to build than a spread,
 * and this runs once per enqueued job.
 */
export function jobFromRecord(
  record: NewJobRecord,
  payload: unknown = record.payload === undefined ? null : record.payload,
  metadata: Record<string, unknown> = record.metadata ?? {},
): Job {
  return {
    id: record.id,
    type: record.type,
    queue: record.queue,
    tenantId: record.tenantId,
    payload,
    status: 'queued',
    priority: record.priority,
    progress: null,
    attempt: 0,
    maxAttempts: record.maxAttempts,
    error: null,
    errorStack: null,
    errorCategory: null,
    lastErrorAt: null,
    runAt: record.runAt,
    createdAt: record.createdAt,
    updatedAt: record.createdAt,
    startedAt: null,
    completedAt: null,
    failedAt: null,
    title: record.title,
    metadata,
    result: null,
    leaseOwner: null,
    leaseExpiresAt: null,
    checkpoint: null,
    pausedAt: null,
    resumedAt: null,
    pauseReason: null,
    resumeCount: 0,
    pauseRequested: false,
    idempotencyKey: record.idempotencyKey,
    timeoutMs: record.timeoutMs,
    redriveCount: 0,
    requiresUserAction: false,
    suggestedAction: null,
  };
}
