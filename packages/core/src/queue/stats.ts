import type { JobFilter } from '../adapter/storage-adapter.js';
import { JOB_STATUSES, type JobStatus } from '../job/job.js';
import { callAdapter, checkScope, type QueueContext, scopedFilter } from './context.js';
import { parseFilter } from './filter-keys.js';
import { jobFilterSchema } from './schemas.js';
import type { QueueStats, StatusCounts, TenantScope } from './types.js';

function zeroCounts(): StatusCounts {
  const counts = {} as StatusCounts;
  for (const status of JOB_STATUSES) counts[status] = 0;
  return counts;
}

/** `queue.stats()`: counts per status and type, retries scheduled, DLQ size, age of the backlog, rates. */
export async function stats(ctx: QueueContext, filter?: JobFilter, scope?: TenantScope): Promise<QueueStats> {
  const s = checkScope(scope, 'stats');
  const f = scopedFilter(parseFilter(jobFilterSchema, filter ?? {}, 'stats.filter') as JobFilter, s);
  const now = ctx.clock.now();
  const raw = await callAdapter(ctx, 'stats', () => ctx.adapter.stats(f));
  const counts = zeroCounts();
  // Keyed by job type (user data): prototype-free, so a type named `__proto__` is an ordinary key.
  const byType: Record<string, StatusCounts> = Object.create(null);
  for (const [type, perStatus] of Object.entries(raw.byType)) {
    const typeCounts = zeroCounts();
    for (const [status, n] of Object.entries(perStatus) as Array<[JobStatus, number | undefined]>) {
      typeCounts[status] = n ?? 0;
      counts[status] += n ?? 0;
    }
    byType[type] = typeCounts;
  }
  let total = 0;
  for (const status of JOB_STATUSES) total += counts[status];
  const finished = counts.completed + counts.failed;
  return {
    counts,
    byType,
    retryScheduled: raw.retryScheduled,
    deadLetters: counts.failed,
    oldestQueuedAgeMs: raw.oldestQueuedAt === null ? null : Math.max(0, now - raw.oldestQueuedAt),
    total,
    successRate: finished === 0 ? null : counts.completed / finished,
    failureRate: finished === 0 ? null : counts.failed / finished,
    processing: raw.processing,
  };
}
