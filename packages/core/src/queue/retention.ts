import * as z from 'zod/mini';
import { validateWith } from '../config/index.js';
import type { JobStatus } from '../job/job.js';
import { MAX_EPOCH_MS } from '../util/storable.js';
import { callAdapter, checkScope, type QueueContext } from './context.js';
import type { PurgeJobsOptions, TenantScope } from './types.js';

/** Jobs deleted per adapter call by `purge()`. */
const PURGE_BATCH = 1_000;

/** Default retention of completed and cancelled jobs for `queue.purge()`: 7 days. */
export const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** The statuses `queue.purge` may delete: finished jobs that are not dead letters. */
export const PURGEABLE_STATUSES = ['completed', 'cancelled'] as const;

type PurgeableStatus = (typeof PURGEABLE_STATUSES)[number];
const isPurgeable = (v: unknown): v is PurgeableStatus => PURGEABLE_STATUSES.includes(v as PurgeableStatus);

// One message for every wrong shape, so a caller who tried 'failed' learns where dead letters go.
const statusSchema = z.custom<PurgeableStatus | PurgeableStatus[]>(
  (v) => isPurgeable(v) || (Array.isArray(v) && v.length > 0 && v.every(isPurgeable)),
  "must be 'completed', 'cancelled' or a non-empty list of them (dead letters: deadLetters.purge)",
);

const purgeJobsSchema = z
  .strictObject({
    status: z.optional(statusSchema),
    olderThan: z.optional(
      z.union([
        z.int().check(z.minimum(0), z.maximum(MAX_EPOCH_MS, 'must be an epoch-ms time before year 275760')),
        z.date(),
      ]),
    ),
    olderThanMs: z.optional(z.int().check(z.minimum(0))),
  })
  .check(
    z.refine((o) => !(o.olderThan !== undefined && o.olderThanMs !== undefined), {
      message: 'give olderThan or olderThanMs, not both',
      path: ['olderThanMs'],
    }),
  );

/**
 * `queue.purge`: delete completed and cancelled jobs (with their history) whose last change is
 * older than the retention. One atomic statement per batch, with the status and the tenant checked
 * in the delete itself, so a job restarted meanwhile (queued again) stays; batches repeat until one
 * deletes nothing (an adapter deletes at most `limit` per call).
 */
export async function purgeJobs(
  ctx: QueueContext,
  options: PurgeJobsOptions | undefined,
  scope: TenantScope | undefined,
): Promise<{ deleted: number }> {
  const s = checkScope(scope, 'purge');
  const o = validateWith(purgeJobsSchema, options ?? {}, 'purge');
  const status: JobStatus[] =
    o.status === undefined ? [...PURGEABLE_STATUSES] : Array.isArray(o.status) ? [...o.status] : [o.status];
  const olderThan =
    o.olderThan instanceof Date
      ? o.olderThan.getTime()
      : (o.olderThan ?? ctx.clock.now() - (o.olderThanMs ?? DEFAULT_RETENTION_MS));
  const tenantId = s?.tenantId;
  let deleted = 0;
  for (;;) {
    const n = await callAdapter(ctx, 'purge', () =>
      ctx.adapter.purge({
        status,
        olderThan,
        limit: PURGE_BATCH,
        ...(tenantId === undefined ? {} : { tenantId }),
      }),
    );
    deleted += n;
    if (n === 0) return { deleted };
  }
}
