/*
 * recoverExpiredLeases as the adapter contract still words it: expired leases come back as
 * re-queued, dead-lettered or paused jobs. The store half is the take-over (no decision, see
 * sql/take-over-expired.ts); each job taken over is then written through `fail` with the outcome
 * the contract prescribes for a crashed attempt (its last attempt dead-letters, a pending pause
 * pauses, anything else re-queues at once). This module disappears when core takes the expired
 * leases back and applies the job's own policy to them.
 */
import { isPermanentCategory, type RecoverRequest, type RecoverResult } from '@redrive/core';
import type { SqlContext } from './sql/context.js';
import { failJob } from './sql/fail.js';
import { takeOverExpired } from './sql/take-over-expired.js';

/** The owner recorded for the instant between the take-over and the write of its outcome. */
const RECOVERY_OWNER = 'redrive:lease-recovery';

/** Recovers up to `limit` (default 1,000) expired leases. */
export async function recoverExpiredLeases(ctx: SqlContext, r: RecoverRequest): Promise<RecoverResult> {
  const taken = await takeOverExpired(ctx, {
    now: r.now,
    workerId: RECOVERY_OWNER,
    leaseMs: 60_000,
    limit: r.limit ?? 1000,
  });
  const result: RecoverResult = { requeued: [], deadLettered: [], paused: [] };
  for (const { job } of taken) {
    const dead = !job.pauseRequested && job.attempt >= job.maxAttempts;
    const row = await failJob(ctx, job.id, {
      leaseToken: job.leaseToken,
      now: r.now,
      error: { message: r.error.message, stack: null, category: r.error.category },
      outcome: dead
        ? {
            kind: 'dead',
            requiresUserAction: isPermanentCategory(r.error.category),
            suggestedAction: r.suggestedAction,
          }
        : { kind: 'retry', runAt: r.now },
      history: {
        attempt: job.attempt,
        error: r.error.message,
        stack: null,
        errorCategory: r.error.category,
        delayMs: 0,
        deadLettered: dead,
        timestamp: r.now,
      },
      historyLimit: r.historyLimit,
    });
    if (row?.status === 'failed') result.deadLettered.push(job.id);
    else if (row?.status === 'paused') result.paused.push(job.id);
    else if (row?.status === 'queued') result.requeued.push(job.id);
  }
  return result;
}
