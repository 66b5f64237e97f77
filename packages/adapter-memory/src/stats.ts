import type { AdapterStats, Job } from '@redrive/core';
import type { StoredJob } from './stored-job.js';

/** Most run times kept for percentiles; count, average and maximum stay exact beyond it. */
const SAMPLE_SIZE = 2048;

/**
 * Aggregates over the jobs that pass `matches`, in one pass. Percentiles come from a reservoir
 * sample of at most {@link SAMPLE_SIZE} run times (Vitter's algorithm R with a fixed-seed
 * generator, so the same store always gives the same answer), which keeps a store of a million
 * completed jobs from allocating and sorting a million numbers per call.
 */
export function computeStats(stored: Iterable<StoredJob>, matches: (job: Job) => boolean): AdapterStats {
  // Keyed by job type, which users choose: a type named `__proto__` must be a key, not a prototype.
  const byType: AdapterStats['byType'] = Object.create(null);
  let retryScheduled = 0;
  let oldestQueuedAt: number | null = null;
  let count = 0;
  let sum = 0;
  let max = 0;
  const sample: number[] = [];
  let seed = 0x2545f491;
  for (const s of stored) {
    const job = s.job;
    if (!matches(job)) continue;
    const counts = byType[job.type] ?? Object.create(null);
    byType[job.type] = counts;
    counts[job.status] = (counts[job.status] ?? 0) + 1;
    if (job.status === 'queued') {
      if (job.attempt > 0) retryScheduled++;
      if (oldestQueuedAt === null || job.createdAt < oldestQueuedAt) oldestQueuedAt = job.createdAt;
    } else if (job.status === 'completed' && job.completedAt !== null && job.startedAt !== null) {
      const ms = Math.max(0, job.completedAt - job.startedAt);
      count++;
      sum += ms;
      if (ms > max) max = ms;
      if (sample.length < SAMPLE_SIZE) {
        sample.push(ms);
      } else {
        // xorshift32: deterministic and allocation-free.
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        const slot = (seed >>> 0) % count;
        if (slot < SAMPLE_SIZE) sample[slot] = ms;
      }
    }
  }
  sample.sort((a, b) => a - b);
  return {
    byType,
    retryScheduled,
    oldestQueuedAt,
    processing: {
      count,
      avgMs: count > 0 ? sum / count : null,
      p50Ms: percentile(sample, 0.5),
      p95Ms: percentile(sample, 0.95),
      maxMs: count > 0 ? max : null,
    },
  };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil(p * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}
