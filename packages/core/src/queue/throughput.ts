import * as z from 'zod/mini';
import { resolveCapabilities } from '../adapter/capabilities.js';
import { THROUGHPUT_BUCKET_MS, type ThroughputBucket } from '../adapter/throughput.js';
import { validateWith } from '../config/index.js';
import { ValidationError } from '../errors/redrive-error.js';
import { callAdapter, checkScope, type QueueContext } from './context.js';
import type { TenantScope, Throughput, ThroughputQuery } from './types.js';

/** How far back `queue.throughput()` looks at most: one bucket per minute of one day. */
export const MAX_THROUGHPUT_WINDOW_MS = 24 * 60 * 60 * 1000;

const querySchema = z.strictObject({
  since: z.union([z.int().check(z.minimum(0)), z.date()]),
  type: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});

/**
 * `queue.throughput()`: finished jobs per minute from `since` to now, every minute present (zeros
 * included), oldest first; `null` when the adapter does not report throughput.
 */
export async function throughput(
  ctx: QueueContext,
  query: ThroughputQuery,
  scope?: TenantScope,
): Promise<Throughput | null> {
  const s = checkScope(scope, 'throughput');
  const q = validateWith(querySchema, query, 'throughput');
  if (!resolveCapabilities(ctx.adapter).throughput) return null;
  const now = ctx.clock.now();
  const sinceMs = q.since instanceof Date ? q.since.getTime() : q.since;
  if (now - sinceMs > MAX_THROUGHPUT_WINDOW_MS) {
    const message = `must be within the last ${MAX_THROUGHPUT_WINDOW_MS / 3_600_000} hours`;
    throw new ValidationError(`[redrive] [throughput] since: ${message}`, {
      issues: [{ path: 'since', message }],
    });
  }
  const first = Math.floor(sinceMs / THROUGHPUT_BUCKET_MS) * THROUGHPUT_BUCKET_MS;
  if (first > now) return { buckets: [] };
  const found = await callAdapter(ctx, 'throughput', () =>
    ctx.adapter.throughput!({
      since: first,
      // Exclusive: a job that finished at this very millisecond counts.
      until: now + 1,
      ...(q.type === undefined ? {} : { type: q.type }),
      ...(s?.tenantId === undefined ? {} : { tenantId: s.tenantId }),
    }),
  );
  const byMinute = new Map<number, ThroughputBucket>();
  for (const b of found) byMinute.set(b.minute, b);
  const buckets: ThroughputBucket[] = [];
  for (let minute = first; minute <= now; minute += THROUGHPUT_BUCKET_MS) {
    const b = byMinute.get(minute);
    buckets.push({ minute, completed: b?.completed ?? 0, failed: b?.failed ?? 0 });
  }
  return { buckets };
}
