import * as z from 'zod';
import { ERROR_CATEGORIES } from '../classify/categories.js';
import { timerDurationMs } from '../config/duration.js';
import { JOB_STATUSES } from '../job/job.js';
import { MAX_EPOCH_MS, MAX_INT32, MIN_INT32, storableString } from '../util/storable.js';

// zod schemas for everything a caller hands the queue. Each public function validates its
// input with these (through validateWith, which names the bad field) before touching the store.

// Every string and number a caller hands the queue must be one every store can hold (see
// util/storable.ts): text without NUL or lone surrogates, int32 counts, timestamps in Date's range.
const epochMs = z
  .number()
  .int()
  .nonnegative()
  .max(MAX_EPOCH_MS, 'must be an epoch-ms time before year 275760');
const text = () => storableString();
const int32 = z.number().int().min(MIN_INT32).max(MAX_INT32, `must be at most ${MAX_INT32}`);
const attempts = z.number().int().min(1).max(MAX_INT32, `must be at most ${MAX_INT32}`);

/**
 * A plain JSON object (metadata). Not `z.record`: it copies into a fresh `{}` and silently drops a
 * `__proto__` key; the object is kept as given (own keys only; the JSON check follows).
 */
export const plainObject = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'must be an object',
);
const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item)]);

export const jobIdSchema = text().min(1, 'must be a non-empty string').max(200);
export const jobTypeSchema = text().min(1, 'must be a non-empty string').max(200);

export const enqueueOptionsSchema = z
  .object({
    priority: int32.optional(),
    runAt: z.union([epochMs, z.date()]).optional(),
    delayMs: z.number().nonnegative().max(MAX_EPOCH_MS, 'must be at most 8.64e15 ms').optional(),
    idempotencyKey: text().min(1).max(500).optional(),
    maxRetries: attempts.optional(),
    maxAttempts: attempts.optional(),
    tenantId: text().min(1).max(200).nullable().optional(),
    title: text().max(1000).optional(),
    metadata: plainObject.optional(),
    timeoutMs: timerDurationMs().optional(),
    queue: text().min(1).max(200).optional(),
    db: z.unknown().optional(),
  })
  .strict()
  .refine((o) => !(o.runAt !== undefined && o.delayMs !== undefined), {
    message: 'give runAt or delayMs, not both',
    path: ['delayMs'],
  })
  .refine(
    (o) => !(o.maxRetries !== undefined && o.maxAttempts !== undefined && o.maxRetries !== o.maxAttempts),
    {
      message: 'must equal maxRetries when both are given (maxRetries is an alias of maxAttempts)',
      path: ['maxAttempts'],
    },
  );

export const jobFilterSchema = z
  .object({
    status: oneOrMany(z.enum(JOB_STATUSES)).optional(),
    type: oneOrMany(text().min(1)).optional(),
    queue: text().min(1).optional(),
    tenantId: text().min(1).nullable().optional(),
    errorCategory: oneOrMany(z.enum(ERROR_CATEGORIES)).optional(),
    q: text().max(200).optional(),
    createdFrom: epochMs.optional(),
    createdTo: epochMs.optional(),
    failedFrom: epochMs.optional(),
    failedTo: epochMs.optional(),
    ids: z.array(text().min(1)).max(1000).optional(),
  })
  .strict();

export const listFilterSchema = jobFilterSchema
  .extend({
    limit: z.number().int().min(1).max(1000).optional(),
    cursor: text().nullable().optional(),
  })
  .strict();

export const bulkSchema = z.object({
  action: z.enum(['retry', 'cancel', 'delete']),
  limit: z.number().int().min(1).max(10_000),
});

export const purgeSchema = z
  .object({
    olderThan: z.union([epochMs, z.date()]).optional(),
    olderThanMs: z.number().int().nonnegative().optional(),
  })
  .strict()
  .refine((o) => !(o.olderThan !== undefined && o.olderThanMs !== undefined), {
    message: 'give olderThan or olderThanMs, not both',
    path: ['olderThanMs'],
  });

export const scopeSchema = z.object({ tenantId: text().min(1).nullable().optional() }).strict();
