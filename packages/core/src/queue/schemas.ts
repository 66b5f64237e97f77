import * as z from 'zod';
import { ERROR_CATEGORIES } from '../classify/categories.js';
import { JOB_STATUSES } from '../job/job.js';

// zod schemas for everything a caller hands the queue. Each public function validates its
// input with these (through validateWith, which names the bad field) before touching the store.

const epochMs = z.number().int().nonnegative();
const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item)]);

export const jobIdSchema = z.string().min(1, 'must be a non-empty string').max(200);
export const jobTypeSchema = z.string().min(1, 'must be a non-empty string').max(200);

export const enqueueOptionsSchema = z
  .object({
    priority: z.number().int().optional(),
    runAt: z.union([epochMs, z.date()]).optional(),
    delayMs: z.number().nonnegative().finite().optional(),
    idempotencyKey: z.string().min(1).max(500).optional(),
    maxRetries: z.number().int().min(1).optional(),
    maxAttempts: z.number().int().min(1).optional(),
    tenantId: z.string().min(1).max(200).nullable().optional(),
    title: z.string().max(1000).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    timeoutMs: z.number().int().positive().optional(),
    queue: z.string().min(1).max(200).optional(),
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
      message: 'maxRetries and maxAttempts are the same number (most executions): give one',
      path: ['maxAttempts'],
    },
  );

export const jobFilterSchema = z
  .object({
    status: oneOrMany(z.enum(JOB_STATUSES)).optional(),
    type: oneOrMany(z.string().min(1)).optional(),
    queue: z.string().min(1).optional(),
    tenantId: z.string().min(1).nullable().optional(),
    errorCategory: oneOrMany(z.enum(ERROR_CATEGORIES)).optional(),
    q: z.string().max(200).optional(),
    createdFrom: epochMs.optional(),
    createdTo: epochMs.optional(),
    failedFrom: epochMs.optional(),
    failedTo: epochMs.optional(),
    ids: z.array(z.string().min(1)).max(1000).optional(),
  })
  .strict();

export const listFilterSchema = jobFilterSchema
  .extend({
    limit: z.number().int().min(1).max(1000).optional(),
    cursor: z.string().nullable().optional(),
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

export const scopeSchema = z.object({ tenantId: z.string().min(1).nullable().optional() }).strict();
