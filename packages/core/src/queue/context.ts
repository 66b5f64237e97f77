import type { JobFilter, StorageAdapter } from '../adapter/storage-adapter.js';
import type { Clock } from '../clock/clock.js';
import { validateWith } from '../config/index.js';
import { AdapterError, isRedriveError, NotFoundError } from '../errors/redrive-error.js';
import type { Job } from '../job/job.js';
import type { Emitter } from '../util/emitter.js';
import type { ResolvedPolicy } from './policy.js';
import { jobIdSchema, scopeSchema } from './schemas.js';
import type { QueueEvents, TenantScope } from './types.js';

/** What the queue's parts share (internal). */
export interface QueueContext {
  adapter: StorageAdapter;
  clock: Clock;
  events: Emitter<QueueEvents>;
  policyFor(type: string): ResolvedPolicy;
  generateId(): string;
  /** `count` ids at once, when the default id maker is in use (cheaper per id than `generateId`). */
  generateIds?: ((count: number) => string[]) | undefined;
  historyLimit: number;
  workerStaleAfterMs: number;
}

/** Validate a scope argument; `undefined` means "every tenant". */
export function checkScope(scope: TenantScope | undefined, where: string): TenantScope | undefined {
  if (scope === undefined) return undefined;
  return validateWith(scopeSchema, scope, `${where}.scope`);
}

/** The filter narrowed to the scope's tenant (the scope wins over the filter). */
export function scopedFilter<F extends JobFilter>(filter: F, scope: TenantScope | undefined): F {
  if (scope === undefined || scope.tenantId === undefined) return filter;
  return { ...filter, tenantId: scope.tenantId };
}

/** True when the scope may see the job. */
export function inScope(job: Job, scope: TenantScope | undefined): boolean {
  return scope === undefined || scope.tenantId === undefined || job.tenantId === scope.tenantId;
}

/**
 * Run an adapter call, wrapping the store's own failures in AdapterError (keeping `cause`);
 * Redrive's typed errors pass through unchanged.
 */
export async function callAdapter<T>(
  ctx: { adapter: StorageAdapter },
  what: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isRedriveError(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new AdapterError(`[redrive] [${ctx.adapter.name}] ${what} failed: ${message}`, {
      adapter: ctx.adapter.name,
      cause: error,
    });
  }
}

/** Load a job visible to the scope, or throw NotFoundError (another tenant's job looks missing). */
export async function loadJob(
  ctx: QueueContext,
  id: unknown,
  scope: TenantScope | undefined,
  where: string,
): Promise<Job> {
  const jobId = validateWith(jobIdSchema, id, `${where}.id`);
  const job = await callAdapter(ctx, 'getJob', () => ctx.adapter.getJob(jobId));
  if (!job || !inScope(job, scope)) {
    throw new NotFoundError(`[redrive] [queue] job ${jobId} not found`, { id: jobId });
  }
  return job;
}
