import type { NewJobRecord } from '../adapter/storage-adapter.js';
import { validateWith } from '../config/index.js';
import { ValidationError } from '../errors/redrive-error.js';
import type { Job } from '../job/job.js';
import { assertJsonValue, isQuickStorableJson } from '../util/json.js';
import { assertStorableJson, MAX_EPOCH_MS, unstorableReason } from '../util/storable.js';
import { callAdapter, type QueueContext } from './context.js';
import { enqueueOptionsSchema } from './schemas.js';
import type { EnqueueItem, EnqueueJobOptions, TenantScope } from './types.js';

const EMPTY_METADATA: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/**
 * Turn `(type, payload, options)` into the record the adapter stores, every default decided
 * (core decides, adapters store). Throws ValidationError naming the field; nothing is written.
 * The common case (no options, no schema) skips zod entirely: enqueueMany of 100k jobs stays cheap.
 */
export function buildRecord(
  ctx: QueueContext,
  type: unknown,
  payload: unknown,
  options: EnqueueJobOptions | undefined,
  scope: TenantScope | undefined,
  whereBase: string,
  index?: number,
  now: number = ctx.clock.now(),
  id?: string,
): NewJobRecord {
  if (typeof type !== 'string' || type.length === 0 || type.length > 200) {
    throw new ValidationError(
      `[redrive] [queue] ${at(whereBase, index)}.type: must be a non-empty string (at most 200 chars)`,
      {
        issues: [{ path: `${at(whereBase, index)}.type`, message: 'must be a non-empty string' }],
      },
    );
  }
  const typeReason = unstorableReason(type);
  if (typeReason !== undefined) {
    throw new ValidationError(`[redrive] [queue] ${at(whereBase, index)}.type: ${typeReason}`, {
      issues: [{ path: `${at(whereBase, index)}.type`, message: typeReason }],
    });
  }
  const policy = ctx.policyFor(type);
  const opts =
    options === undefined
      ? undefined
      : validateWith(enqueueOptionsSchema, options, `${at(whereBase, index)}.options`);
  let data = payload;
  if (policy.schema) {
    const parsed = policy.schema.safeParse(payload);
    if (!parsed.success) {
      const issues = (parsed.error.issues ?? []).map((i) => ({
        path: [`${at(whereBase, index)}.payload`, ...(i.path ?? []).map(String)].join('.'),
        message: i.message,
      }));
      const detail =
        issues.map((i) => `${i.path}: ${i.message}`).join('; ') || `${at(whereBase, index)}.payload: invalid`;
      throw new ValidationError(`[redrive] [queue] payload of ${type} failed its schema: ${detail}`, {
        issues,
      });
    }
    data = parsed.data;
  }
  if (payload === undefined && !policy.schema) data = null;
  if (!isQuickStorableJson(data)) {
    assertJsonValue(data, `${at(whereBase, index)}.payload`, 'queue');
    assertStorableJson(data, `${at(whereBase, index)}.payload`, 'queue');
  }
  if (opts?.metadata !== undefined) {
    assertJsonValue(opts.metadata, `${at(whereBase, index)}.options.metadata`, 'queue');
    assertStorableJson(opts.metadata, `${at(whereBase, index)}.options.metadata`, 'queue');
  }
  let runAt = now;
  if (opts?.runAt !== undefined) runAt = opts.runAt instanceof Date ? opts.runAt.getTime() : opts.runAt;
  else if (opts?.delayMs !== undefined) runAt = now + Math.ceil(opts.delayMs); // never early; stores keep whole ms
  if (!(runAt >= 0 && runAt <= MAX_EPOCH_MS)) {
    const path = `${at(whereBase, index)}.options.${opts?.runAt !== undefined ? 'runAt' : 'delayMs'}`;
    throw new ValidationError(`[redrive] [queue] ${path}: must give a time before year 275760`, {
      issues: [{ path, message: 'must give a time before year 275760' }],
    });
  }
  const tenantId = scope?.tenantId !== undefined ? scope.tenantId : (opts?.tenantId ?? null);
  return {
    id: id ?? ctx.generateId(),
    type,
    queue: opts?.queue ?? policy.queue,
    tenantId,
    payload: data,
    priority: opts?.priority ?? policy.priority,
    runAt,
    maxAttempts: opts?.maxAttempts ?? opts?.maxRetries ?? storedMaxAttempts(policy.retry.maxAttempts),
    idempotencyKey: opts?.idempotencyKey ?? null,
    timeoutMs: opts?.timeoutMs ?? policy.timeoutMs,
    title: opts?.title ?? null,
    metadata: opts?.metadata ?? EMPTY_METADATA,
    createdAt: now,
  };
}

/** Store one job; returns it (or the live job that already had its idempotency key). */
export async function enqueueOne(
  ctx: QueueContext,
  type: unknown,
  payload: unknown,
  options: EnqueueJobOptions | undefined,
  scope: TenantScope | undefined,
): Promise<Job> {
  const record = buildRecord(ctx, type, payload, options, scope, 'enqueue');
  const db = options?.db;
  if (db !== undefined) assertTransactional(ctx, 'enqueue.options.db');
  const [result] = await callAdapter(ctx, 'enqueue', () =>
    ctx.adapter.enqueue([record], db === undefined ? undefined : { db }),
  );
  if (!result) throw new ValidationError('[redrive] [queue] enqueue: the adapter stored nothing');
  if (result.created && ctx.events.has('enqueued')) ctx.events.emit('enqueued', result.job);
  return result.job;
}

/**
 * Store many jobs in one adapter call (atomic when the adapter's enqueue is). Every item is
 * validated first: one bad item throws and nothing is stored.
 */
export async function enqueueMany(
  ctx: QueueContext,
  items: unknown,
  scope: TenantScope | undefined,
): Promise<Job[]> {
  if (!Array.isArray(items)) {
    throw new ValidationError('[redrive] [queue] enqueueMany.items: must be an array', {
      issues: [{ path: 'enqueueMany.items', message: 'must be an array' }],
    });
  }
  if (items.length === 0) return [];
  const records: NewJobRecord[] = new Array(items.length);
  let db: unknown;
  const now = ctx.clock.now();
  // The common item (a type seen just before, no options, no schema, a small storable payload)
  // takes the defaults worked out once per call; any other goes through buildRecord, which also
  // words every error. Both give the same record.
  const nowStorable = now >= 0 && now <= MAX_EPOCH_MS;
  const tenantId = scope?.tenantId !== undefined ? scope.tenantId : null;
  let defaults: TypeDefaults | undefined;
  const ids = ctx.generateIds?.(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as EnqueueItem | null;
    if (typeof item !== 'object' || item === null) {
      throw new ValidationError(
        `[redrive] [queue] enqueueMany.items.${i}: must be { type, payload, options? }`,
        {
          issues: [{ path: `enqueueMany.items.${i}`, message: 'must be an object' }],
        },
      );
    }
    const payload = item.payload;
    if (
      defaults !== undefined &&
      item.type === defaults.type &&
      item.options === undefined &&
      isQuickStorableJson(payload)
    ) {
      records[i] = {
        id: ids === undefined ? ctx.generateId() : ids[i]!,
        type: defaults.type,
        queue: defaults.queue,
        tenantId,
        payload: payload === undefined ? null : payload,
        priority: defaults.priority,
        runAt: now,
        maxAttempts: defaults.maxAttempts,
        idempotencyKey: null,
        timeoutMs: defaults.timeoutMs,
        title: null,
        metadata: EMPTY_METADATA,
        createdAt: now,
      };
      continue;
    }
    const record = buildRecord(
      ctx,
      item.type,
      payload,
      item.options,
      scope,
      'enqueueMany.items.',
      i,
      now,
      ids?.[i],
    );
    records[i] = record;
    if (item.options === undefined && nowStorable) defaults = typeDefaults(ctx, record.type);
    if (item.options?.db !== undefined) {
      assertTransactional(ctx, `enqueueMany.items.${i}.options.db`);
      db = item.options.db;
    }
  }
  const results = await callAdapter(ctx, 'enqueue', () =>
    ctx.adapter.enqueue(records, db === undefined ? undefined : { db }),
  );
  const jobs: Job[] = new Array(results.length);
  const emit = ctx.events.has('enqueued');
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    jobs[i] = r.job;
    if (emit && r.created) ctx.events.emit('enqueued', r.job);
  }
  return jobs;
}

/** What an item without options gets from its type's policy (for a type without a payload schema). */
interface TypeDefaults {
  type: string;
  queue: string;
  priority: number;
  maxAttempts: number;
  timeoutMs: number | null;
}

function typeDefaults(ctx: QueueContext, type: string): TypeDefaults | undefined {
  const policy = ctx.policyFor(type);
  if (policy.schema) return undefined;
  return {
    type,
    queue: policy.queue,
    priority: policy.priority,
    maxAttempts: storedMaxAttempts(policy.retry.maxAttempts),
    timeoutMs: policy.timeoutMs,
  };
}

/** Largest stored attempt limit: a policy's `Infinity` ("retry forever") is kept as int32 max so SQL stores hold it. */
export const FOREVER_ATTEMPTS = 2_147_483_647;

function storedMaxAttempts(maxAttempts: number): number {
  return Number.isFinite(maxAttempts) ? maxAttempts : FOREVER_ATTEMPTS;
}

// The field path named in errors, built only on the error path (enqueueMany calls buildRecord per item).
function at(base: string, index: number | undefined): string {
  return index === undefined ? base : base + index;
}

// An adapter without transactional enqueue would silently ignore the caller's transaction: the
// jobs would exist even if it rolled back. Refuse instead.
function assertTransactional(ctx: QueueContext, path: string): void {
  if (ctx.adapter.capabilities.transactionalEnqueue === true) return;
  throw new ValidationError(
    `[redrive] [queue] ${path}: the ${ctx.adapter.name} adapter does not support transactional enqueue (capabilities.transactionalEnqueue)`,
    { issues: [{ path, message: 'the adapter does not support transactional enqueue' }] },
  );
}
