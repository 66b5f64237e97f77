/*
 * Throughput: how many jobs finished per minute, for a dashboard's chart. An optional part of the
 * adapter contract (`capabilities.throughput`): a store that cannot answer cheaply leaves it out,
 * and `queue.throughput()` then answers `null` (the HTTP route 404, the dashboard hides its chart).
 */

/** One minute of finished jobs. */
export interface ThroughputBucket {
  /** Start of the minute, epoch ms (a multiple of 60,000). */
  minute: number;
  /** Jobs now `completed` whose `completedAt` falls in this minute. */
  completed: number;
  /** Jobs now `failed` (dead letters) whose `failedAt` falls in this minute. */
  failed: number;
}

/** Arguments of the adapter's `throughput`: jobs finished in `[since, until)`. */
export interface ThroughputRequest {
  /** Start of the first minute, epoch ms (core passes a multiple of 60,000). */
  since: number;
  /** End, exclusive: core passes its `now` + 1. */
  until: number;
  /** Only jobs of this type. */
  type?: string | undefined;
  /** Only this tenant's jobs; `null` = jobs without a tenant; absent = every tenant. */
  tenantId?: string | null | undefined;
}

/** Length of a throughput bucket. */
export const THROUGHPUT_BUCKET_MS = 60_000;
