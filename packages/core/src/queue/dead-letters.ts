import type { JobFilter } from '../adapter/storage-adapter.js';
import { validateWith } from '../config/index.js';
import { NotFoundError, ValidationError } from '../errors/redrive-error.js';
import { toDeadLetter } from '../job/dead-letter.js';
import type { Job } from '../job/job.js';
import { callAdapter, checkScope, inScope, loadJob, type QueueContext, scopedFilter } from './context.js';
import { PAGING_KEYS, parseFilter } from './filter-keys.js';
import { deleteInState, forEachMatching, requeue } from './job-actions.js';
import { jobFilterSchema, listFilterSchema, purgeSchema } from './schemas.js';
import { assertActionAllowed } from './transitions.js';
import type {
  BulkResult,
  DeadLetterQueue,
  IdsOrFilter,
  ListJobsFilter,
  PurgeDeadLettersOptions,
  TenantScope,
} from './types.js';

/** Dead letters deleted per adapter call by `purge()`. */
const PURGE_BATCH = 1_000;

/** Default retention of dead letters for `purge()`: 7 days. */
export const DEFAULT_DLQ_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

async function loadDeadLetter(ctx: QueueContext, id: unknown, scope: TenantScope | undefined, where: string) {
  const job = await loadJob(ctx, id, scope, where);
  if (job.status !== 'failed') {
    throw new NotFoundError(`[redrive] [dlq] job ${job.id} is not a dead letter (it is ${job.status})`, {
      id: job.id,
    });
  }
  return job;
}

function parseTarget(
  target: unknown,
  options: unknown,
  where: string,
): { ids?: string[]; filter?: JobFilter; limit: number } {
  const limitIn = (options as { limit?: unknown } | undefined)?.limit ?? 100;
  if (typeof limitIn !== 'number' || !Number.isInteger(limitIn) || limitIn < 1 || limitIn > 10_000) {
    throw new ValidationError(`[redrive] [dlq] ${where}.limit: must be an integer in 1…10000`, {
      issues: [{ path: `${where}.limit`, message: 'must be an integer in 1…10000' }],
    });
  }
  const ids = Array.isArray(target) ? target : (target as { ids?: unknown } | null)?.ids;
  if (ids !== undefined) {
    // An empty list is valid and does nothing: "redrive everything in this category" code passes
    // whatever a list returned, and an empty dead-letter queue is the normal case.
    if (!Array.isArray(ids) || ids.length > 1000 || !ids.every((i) => typeof i === 'string' && i)) {
      throw new ValidationError(`[redrive] [dlq] ${where}.ids: must be 0…1000 job ids`, {
        issues: [{ path: `${where}.ids`, message: 'must be an array of 0…1000 non-empty strings' }],
      });
    }
    return { ids: ids as string[], limit: limitIn };
  }
  const filter = (target as { filter?: unknown } | null)?.filter;
  if (filter === undefined) {
    throw new ValidationError(`[redrive] [dlq] ${where}: give ids or { filter }`, {
      issues: [{ path: where, message: 'give ids or { filter }' }],
    });
  }
  return { filter: parseFilter(jobFilterSchema, filter, `${where}.filter`) as JobFilter, limit: limitIn };
}

async function eachDeadLetter(
  ctx: QueueContext,
  target: unknown,
  options: unknown,
  scope: TenantScope | undefined,
  where: string,
  act: (job: Job) => Promise<unknown>,
): Promise<BulkResult> {
  const s = checkScope(scope, where);
  const { ids, filter, limit } = parseTarget(target, options, where);
  const run = async (id: string) => act(await loadDeadLetter(ctx, id, s, where));
  // By ids as by filter: applied to every id that is a dead letter the scope may see; the others
  // (unknown, another tenant's, not failed) are listed in `failed` with their code, never thrown.
  if (ids) return forIds(ids, run);
  return forEachMatching(ctx, scopedFilter(filter!, s), ['failed'], limit, run, 'listDeadLetters');
}

async function forIds(ids: string[], run: (id: string) => Promise<unknown>): Promise<BulkResult> {
  const result: BulkResult = { succeeded: [], failed: [] };
  for (const id of ids) {
    try {
      await run(id);
      result.succeeded.push(id);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'INVALID_STATE' && code !== 'NOT_FOUND') throw error;
      result.failed.push({ id, code, message: (error as Error).message });
    }
  }
  return result;
}

/**
 * `purge` with a filter: the matching dead letters that failed before `olderThan`, deleted in
 * batches through the same path as `delete` (each one only while still failed).
 */
async function purgeMatching(
  ctx: QueueContext,
  filter: JobFilter,
  olderThan: number,
  scope: TenantScope | undefined,
): Promise<{ deleted: number }> {
  const failedTo = Math.min(filter.failedTo ?? olderThan, olderThan);
  let deleted = 0;
  for (;;) {
    const batch = await eachDeadLetter(
      ctx,
      { filter: { ...filter, failedTo } },
      { limit: PURGE_BATCH },
      scope,
      'deadLetters.purge',
      (job) => deleteInState(ctx, job, 'delete'),
    );
    deleted += batch.succeeded.length;
    if (batch.succeeded.length === 0) return { deleted };
  }
}

/** The `queue.deadLetters` object. */
export function createDeadLetterQueue(ctx: QueueContext): DeadLetterQueue {
  return {
    async list(filter?: ListJobsFilter, scope?: TenantScope) {
      const s = checkScope(scope, 'deadLetters.list');
      const f = parseFilter(listFilterSchema, filter ?? {}, 'deadLetters.list.filter', PAGING_KEYS);
      const page = await callAdapter(ctx, 'listDeadLetters', () =>
        ctx.adapter.listDeadLetters(scopedFilter({ ...f, limit: f.limit ?? 50 }, s)),
      );
      return {
        deadLetters: page.jobs.filter((j) => inScope(j, s)).map(toDeadLetter),
        nextCursor: page.nextCursor,
      };
    },
    async get(id: string, scope?: TenantScope) {
      const job = await loadDeadLetter(ctx, id, checkScope(scope, 'deadLetters.get'), 'deadLetters.get');
      const history = await callAdapter(ctx, 'getRetryHistory', () => ctx.adapter.getRetryHistory(job.id));
      return { ...toDeadLetter(job), history };
    },
    redrive(target: IdsOrFilter, options?: { limit?: number }, scope?: TenantScope) {
      return eachDeadLetter(ctx, target, options, scope, 'deadLetters.redrive', async (job) => {
        assertActionAllowed('redrive', job);
        ctx.events.emit('redriven', await requeue(ctx, job, 'redrive'));
      });
    },
    delete(target: IdsOrFilter, options?: { limit?: number }, scope?: TenantScope) {
      // Deleted only while still failed: a dead letter redriven meanwhile is a live job again.
      return eachDeadLetter(ctx, target, options, scope, 'deadLetters.delete', (job) =>
        deleteInState(ctx, job, 'delete'),
      );
    },
    async purge(options?: PurgeDeadLettersOptions, scope?: TenantScope) {
      const s = checkScope(scope, 'deadLetters.purge');
      const o = validateWith(purgeSchema, options ?? {}, 'deadLetters.purge');
      const olderThan =
        o.olderThan !== undefined
          ? o.olderThan instanceof Date
            ? o.olderThan.getTime()
            : o.olderThan
          : ctx.clock.now() - (o.olderThanMs ?? DEFAULT_DLQ_RETENTION_MS);
      const filter =
        o.filter === undefined
          ? {}
          : parseFilter<JobFilter>(jobFilterSchema, o.filter, 'deadLetters.purge.filter');
      if (Object.keys(filter).length > 0) return purgeMatching(ctx, filter, olderThan, scope);
      // One atomic statement per batch, tenant and status checked in the delete itself (a dead
      // letter redriven meanwhile is no longer failed and stays). In bounded batches until one
      // deletes nothing: an adapter deletes at most `limit` per call (Postgres caps a call at 1,000).
      const tenantId = s?.tenantId;
      let deleted = 0;
      for (;;) {
        const n = await callAdapter(ctx, 'purge', () =>
          ctx.adapter.purge({
            status: ['failed'],
            olderThan,
            limit: PURGE_BATCH,
            ...(tenantId === undefined ? {} : { tenantId }),
          }),
        );
        deleted += n;
        if (n === 0) break;
      }
      return { deleted };
    },
    async count(filter?: JobFilter, scope?: TenantScope) {
      const s = checkScope(scope, 'deadLetters.count');
      const f = parseFilter(jobFilterSchema, filter ?? {}, 'deadLetters.count.filter') as JobFilter;
      const stats = await callAdapter(ctx, 'stats', () =>
        ctx.adapter.stats({ ...scopedFilter(f, s), status: 'failed' }),
      );
      let n = 0;
      for (const counts of Object.values(stats.byType)) n += counts.failed ?? 0;
      return n;
    },
  };
}
