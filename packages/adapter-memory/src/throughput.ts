import type { ThroughputBucket, ThroughputRequest } from '@redrive/core';
import { THROUGHPUT_BUCKET_MS } from '@redrive/core';
import type { StoredJob } from './stored-job.js';

/**
 * Finished jobs per minute in `[since, until)`, in one pass over the store (as `stats` does): a
 * completed job counts in the minute of its `completedAt`, a dead letter in that of its `failedAt`.
 * Only minutes with a count, oldest first.
 */
export function computeThroughput(
  stored: Iterable<StoredJob>,
  request: ThroughputRequest,
): ThroughputBucket[] {
  const { since, until, type, tenantId } = request;
  const buckets = new Map<number, ThroughputBucket>();
  for (const s of stored) {
    const job = s.job;
    let at: number | null;
    if (job.status === 'completed') at = job.completedAt;
    else if (job.status === 'failed') at = job.failedAt;
    else continue;
    if (at === null || at < since || at >= until) continue;
    if (type !== undefined && job.type !== type) continue;
    if (tenantId !== undefined && job.tenantId !== tenantId) continue;
    const minute = Math.floor(at / THROUGHPUT_BUCKET_MS) * THROUGHPUT_BUCKET_MS;
    let bucket = buckets.get(minute);
    if (bucket === undefined) {
      bucket = { minute, completed: 0, failed: 0 };
      buckets.set(minute, bucket);
    }
    if (job.status === 'completed') bucket.completed++;
    else bucket.failed++;
  }
  return [...buckets.values()].sort((a, b) => a.minute - b.minute);
}
