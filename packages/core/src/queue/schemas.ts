import * as z from 'zod/mini';
import { ERROR_CATEGORIES } from '../classify/categories.js';
import { timerDurationMs } from '../config/duration.js';
import { JOB_STATUSES } from '../job/job.js';
import { MAX_EPOCH_MS, MAX_INT32, MIN_INT32, storableString } from '../util/storable.js';

// zod schemas (zod/mini: a Worker bundles a fraction of the full API) for everything a caller
// hands the queue. Each public function validates its input with these (through validateWith,
// which names the bad field and words every problem) before touching the store.

// Every string and number a caller hands the queue must be one every store can hold (see
// util/storable.ts): text without NUL or lone surrogates, int32 counts, timestamps in Date's range.
const epochMs = z
  .int()
  .check(z.minimum(0), z.maximum(MAX_EPOCH_MS, 'must be an epoch-ms time before year 275760'));
const epochOrDate = z.union([epochMs, z.date()]);
const int32 = z.int().check(z.minimum(MIN_INT32), z.maximum(MAX_INT32, `must be at most ${MAX_INT32}`));
const attempts = z.int().check(z.minimum(1), z.maximum(MAX_INT32, `must be at most ${MAX_INT32}`));
const name = (max: number) => storableString(z.minLength(1, 'must be a non-empty string'), z.maxLength(max));

/**
 * A plain JSON object (metadata). Not `z.record`: it copies into a fresh `{}` and silently drops a
 * `__proto__` key; the object is kept as given (own keys only; the JSON check follows).
 */
export const plainObject = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'must be an object',
);
const oneOrMany = <T extends z.core.SomeType>(item: T) => z.union([item, z.array(item)]);

export const jobIdSchema = name(200);
export const jobTypeSchema = name(200);

export const enqueueOptionsSchema = z
  .strictObject({
    priority: z.optional(int32),
    runAt: z.optional(epochOrDate),
    delayMs: z.optional(
      z.number().check(z.minimum(0), z.maximum(MAX_EPOCH_MS, 'must be at most 8.64e15 ms')),
    ),
    idempotencyKey: z.optional(storableString(z.minLength(1), z.maxLength(500))),
    maxRetries: z.optional(attempts),
    maxAttempts: z.optional(attempts),
    tenantId: z.optional(z.nullable(name(200))),
    title: z.optional(storableString(z.maxLength(1000))),
    metadata: z.optional(plainObject),
    timeoutMs: z.optional(timerDurationMs()),
    queue: z.optional(name(200)),
    db: z.optional(z.unknown()),
  })
  .check(
    z.refine((o) => !(o.runAt !== undefined && o.delayMs !== undefined), {
      message: 'give runAt or delayMs, not both',
      path: ['delayMs'],
    }),
    z.refine(
      (o) => !(o.maxRetries !== undefined && o.maxAttempts !== undefined && o.maxRetries !== o.maxAttempts),
      {
        message: 'must equal maxRetries when both are given (maxRetries is an alias of maxAttempts)',
        path: ['maxAttempts'],
      },
    ),
  );

export const jobFilterSchema = z.strictObject({
  status: z.optional(oneOrMany(z.enum(JOB_STATUSES))),
  type: z.optional(oneOrMany(storableString(z.minLength(1)))),
  queue: z.optional(storableString(z.minLength(1))),
  tenantId: z.optional(z.nullable(storableString(z.minLength(1)))),
  errorCategory: z.optional(oneOrMany(z.enum(ERROR_CATEGORIES))),
  q: z.optional(storableString(z.maxLength(200))),
  createdFrom: z.optional(epochMs),
  createdTo: z.optional(epochMs),
  failedFrom: z.optional(epochMs),
  failedTo: z.optional(epochMs),
  ids: z.optional(z.array(storableString(z.minLength(1))).check(z.maxLength(1000))),
});

export const listFilterSchema = z.extend(jobFilterSchema, {
  limit: z.optional(z.int().check(z.minimum(1), z.maximum(1000))),
  cursor: z.optional(z.nullable(storableString())),
});

export const bulkSchema = z.object({
  action: z.enum(['retry', 'cancel', 'delete']),
  limit: z.int().check(z.minimum(1), z.maximum(10_000)),
});

export const purgeSchema = z
  .strictObject({
    olderThan: z.optional(epochOrDate),
    olderThanMs: z.optional(z.int().check(z.minimum(0))),
    filter: z.optional(plainObject),
  })
  .check(
    z.refine((o) => !(o.olderThan !== undefined && o.olderThanMs !== undefined), {
      message: 'give olderThan or olderThanMs, not both',
      path: ['olderThanMs'],
    }),
  );

export const scopeSchema = z.strictObject({
  tenantId: z.optional(z.nullable(storableString(z.minLength(1)))),
});
