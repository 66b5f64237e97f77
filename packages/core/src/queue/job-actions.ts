import { resolveCapabilities } from '../adapter/capabilities.js';
import type { JobFilter, JobPatch, TransitionRequest } from '../adapter/storage-adapter.js';
import { validateWith } from '../config/index.js';
import {
  InvalidStateError,
  isRedriveError,
  NotFoundError,
  ValidationError,
} from '../errors/redrive-error.js';
import type { Job, JobStatus } from '../job/job.js';
import { callAdapter, checkScope, loadJob, type QueueContext, scopedFilter } from './context.js';
import { parseFilter } from './filter-keys.js';
import { bulkSchema, jobFilterSchema } from './schemas.js';
import { assertActionAllowed, type JobAction } from './transitions.js';
import type { BulkResult, TenantScope } from './types.js';

/** Fields that make a job run as if new: used by restart. */
const FRESH: JobPatch = {
  attempt: 0,
  error: null,
  errorStack: null,
  errorCategory: null,
  lastErrorAt: null,
  failedAt: null,
  completedAt: null,
  startedAt: null,
  progress: null,
  checkpoint: null,
  result: null,
  pausedAt: null,
  pauseReason: null,
  pauseRequested: false,
  requiresUserAction: false,
  suggestedAction: null,
};

/** Apply a guarded transition from the status we saw; a concurrent change makes it InvalidStateError. */
async function guarded(
  ctx: QueueContext,
  job: Job,
  action: JobAction,
  request: Omit<TransitionRequest, 'from' | 'now'>,
): Promise<Job> {
  const result = await callAdapter(ctx, 'transition', () =>
    ctx.adapter.transition(job.id, { ...request, from: [job.status], now: ctx.clock.now() }),
  );
  if (result.ok) return result.job;
  if (result.reason === 'not_found')
    throw new NotFoundError(`[redrive] [queue] job ${job.id} not found`, { id: job.id });
  throw new InvalidStateError(
    `[redrive] [queue] cannot ${action} job ${job.id}: it changed to ${result.status} meanwhile`,
    { id: job.id, status: result.status },
  );
}

/**
 * Pause: a queued job becomes `paused` at once; a running job with a pause-safe checkpoint gets
 * `pauseRequested` and its worker pauses it at that checkpoint (its heartbeat or next
 * checkpoint/progress write tells it). Returns the job as stored after the request.
 */
export async function pauseJob(
  ctx: QueueContext,
  id: unknown,
  reason: unknown,
  scope?: TenantScope,
): Promise<Job> {
  const s = checkScope(scope, 'pauseJob');
  if (reason !== undefined && reason !== null && (typeof reason !== 'string' || reason.length > 1000)) {
    throw new ValidationError('[redrive] [queue] pauseJob.reason: must be a string of at most 1000 chars', {
      issues: [{ path: 'pauseJob.reason', message: 'must be a string of at most 1000 chars' }],
    });
  }
  const job = await loadJob(ctx, id, s, 'pauseJob');
  assertActionAllowed('pause', job);
  const pauseReason = (reason as string | null | undefined) ?? null;
  if (job.status === 'running') {
    const updated = await guarded(ctx, job, 'pause', {
      to: 'running',
      patch: { pauseRequested: true, pauseReason },
    });
    ctx.events.emit('pauseRequested', updated);
    return updated;
  }
  const updated = await guarded(ctx, job, 'pause', {
    to: 'paused',
    patch: { pausedAt: ctx.clock.now(), pauseReason, pauseRequested: false },
  });
  ctx.events.emit('paused', updated);
  return updated;
}

/**
 * Resume: paused → queued; `resumeCount` + 1; the next run gets the checkpoint. Due at once unless
 * its `runAt` is still ahead (a delayed job, or a retry whose backoff is not over): `runAt` is
 * kept, so resuming never runs a job early.
 */
export async function resumeJob(ctx: QueueContext, id: unknown, scope?: TenantScope): Promise<Job> {
  const job = await loadJob(ctx, id, checkScope(scope, 'resumeJob'), 'resumeJob');
  assertActionAllowed('resume', job);
  const now = ctx.clock.now();
  const updated = await guarded(ctx, job, 'resume', {
    to: 'queued',
    patch: { resumedAt: now, pauseRequested: false },
    increment: ['resumeCount'],
  });
  ctx.events.emit('resumed', updated);
  return updated;
}

/** Cancel: queued / paused / running → cancelled. A running handler is aborted through `ctx.signal`. */
export async function cancelJob(ctx: QueueContext, id: unknown, scope?: TenantScope): Promise<Job> {
  const job = await loadJob(ctx, id, checkScope(scope, 'cancelJob'), 'cancelJob');
  assertActionAllowed('cancel', job);
  const updated = await guarded(ctx, job, 'cancel', { to: 'cancelled', patch: { pauseRequested: false } });
  ctx.events.emit('cancelled', updated);
  return updated;
}

/**
 * Retry: failed or cancelled → queued with its attempt counter reset and its history kept.
 * From `failed` this is a redrive (`redriveCount` + 1).
 */
export async function retryJob(ctx: QueueContext, id: unknown, scope?: TenantScope): Promise<Job> {
  const job = await loadJob(ctx, id, checkScope(scope, 'retryJob'), 'retryJob');
  assertActionAllowed('retry', job);
  const updated = await requeue(ctx, job, 'retry');
  ctx.events.emit(job.status === 'failed' ? 'redriven' : 'retried', updated);
  return updated;
}

/** Send a failed or cancelled job back to `queued` (shared by retry and DLQ redrive). */
export function requeue(ctx: QueueContext, job: Job, action: JobAction): Promise<Job> {
  return guarded(ctx, job, action, {
    to: 'queued',
    patch: requeuePatch(ctx.clock.now()),
    increment: job.status === 'failed' ? ['redriveCount'] : undefined,
  });
}

/** What a retry or redrive resets: due now, attempt 0, the dead letter's fields cleared. */
function requeuePatch(now: number): JobPatch {
  return {
    attempt: 0,
    runAt: now,
    failedAt: null,
    requiresUserAction: false,
    suggestedAction: null,
    pauseRequested: false,
  };
}

/** Restart: failed / cancelled / completed → queued as new (attempt 0, checkpoint, progress and result cleared; history kept). */
export async function restartJob(ctx: QueueContext, id: unknown, scope?: TenantScope): Promise<Job> {
  const job = await loadJob(ctx, id, checkScope(scope, 'restartJob'), 'restartJob');
  assertActionAllowed('restart', job);
  const updated = await guarded(ctx, job, 'restart', {
    to: 'queued',
    patch: { ...FRESH, runAt: ctx.clock.now() },
  });
  ctx.events.emit('restarted', updated);
  return updated;
}

/** Delete a job that is not running (cancel a running job first), with its history. */
export async function deleteJob(ctx: QueueContext, id: unknown, scope?: TenantScope): Promise<void> {
  const job = await loadJob(ctx, id, checkScope(scope, 'deleteJob'), 'deleteJob');
  assertActionAllowed('delete', job);
  await deleteInState(ctx, job, 'delete');
}

/**
 * Delete a job core loaded and judged deletable, only if it is still in the status it was judged
 * in: the adapter checks the status in the delete itself. A job claimed or redriven in between
 * survives, and the caller learns it (InvalidStateError, or NotFoundError when it is gone).
 */
export async function deleteInState(ctx: QueueContext, job: Job, action: JobAction): Promise<void> {
  const deleted = await callAdapter(ctx, 'deleteJobs', () =>
    ctx.adapter.deleteJobs([job.id], { status: [job.status] }),
  );
  if (deleted === 0) {
    const now = await callAdapter(ctx, 'getJob', () => ctx.adapter.getJob(job.id));
    if (!now) throw new NotFoundError(`[redrive] [queue] job ${job.id} not found`, { id: job.id });
    throw new InvalidStateError(
      `[redrive] [queue] cannot ${action} job ${job.id}: it changed to ${now.status} meanwhile`,
      { id: job.id, status: now.status },
    );
  }
  ctx.events.emit('deleted', job.id);
}

/** Apply one action to every job matching `filter`, up to `limit` (default 100). */
export async function bulk(
  ctx: QueueContext,
  action: unknown,
  filter: unknown,
  limit: unknown,
  scope?: TenantScope,
): Promise<BulkResult> {
  const s = checkScope(scope, 'bulk');
  const args = validateWith(bulkSchema, { action, limit: limit ?? 100 }, 'bulk');
  const f = scopedFilter(parseFilter(jobFilterSchema, filter ?? {}, 'bulk.filter') as JobFilter, s);
  const allowed: Record<typeof args.action, readonly JobStatus[]> = {
    retry: ['failed', 'cancelled'],
    cancel: ['queued', 'paused', 'running'],
    delete: ['queued', 'paused', 'completed', 'failed', 'cancelled'],
  };
  if (args.action !== 'delete' && resolveCapabilities(ctx.adapter).bulkTransition) {
    return bulkTransition(ctx, args.action, f, args.limit);
  }
  const apply = { retry: retryJob, cancel: cancelJob, delete: deleteJob }[args.action];
  return forEachMatching(ctx, f, allowed[args.action], args.limit, (id) => apply(ctx, id, s));
}

/**
 * Bulk retry / cancel through the adapter's `transitionMany` (one call per status group instead
 * of a read and a write per job), with the same patches and events as the single-job actions.
 * Jobs that no longer match are skipped by the store, so nothing is refused.
 */
async function bulkTransition(
  ctx: QueueContext,
  action: 'retry' | 'cancel',
  filter: JobFilter,
  limit: number,
): Promise<BulkResult> {
  const wanted = filter.status === undefined ? undefined : [filter.status].flat();
  const only = (statuses: JobStatus[]) =>
    statuses.filter((st) => wanted === undefined || wanted.includes(st));
  const { status: _status, ...rest } = filter;
  const result: BulkResult = { succeeded: [], failed: [] };
  const groups =
    action === 'cancel'
      ? [{ from: only(['queued', 'paused', 'running']), event: 'cancelled' as const }]
      : [
          { from: only(['failed']), event: 'redriven' as const },
          { from: only(['cancelled']), event: 'retried' as const },
        ];
  for (const group of groups) {
    const left = limit - result.succeeded.length;
    if (group.from.length === 0 || left <= 0) continue;
    const now = ctx.clock.now();
    const request: TransitionRequest & { limit: number } =
      action === 'cancel'
        ? { from: group.from, to: 'cancelled', patch: { pauseRequested: false }, now, limit: left }
        : {
            from: group.from,
            to: 'queued',
            patch: requeuePatch(now),
            increment: group.event === 'redriven' ? ['redriveCount'] : undefined,
            now,
            limit: left,
          };
    const changed = await callAdapter(ctx, 'transitionMany', () =>
      ctx.adapter.transitionMany!(rest, request),
    );
    for (const job of changed) {
      result.succeeded.push(job.id);
      ctx.events.emit(group.event, job);
    }
  }
  return result;
}

/**
 * Page through jobs matching `filter` (narrowed to `statuses`) and run `act` on each, up to
 * `limit`; refusals (a job that changed status meanwhile) are collected, not thrown.
 */
export async function forEachMatching(
  ctx: QueueContext,
  filter: JobFilter,
  statuses: readonly JobStatus[],
  limit: number,
  act: (id: string) => Promise<unknown>,
  list: 'listJobs' | 'listDeadLetters' = 'listJobs',
): Promise<BulkResult> {
  const wanted =
    filter.status === undefined ? [] : Array.isArray(filter.status) ? filter.status : [filter.status];
  const status = wanted.length ? statuses.filter((st) => wanted.includes(st)) : [...statuses];
  const result: BulkResult = { succeeded: [], failed: [] };
  if (status.length === 0) return result;
  // Collect first, act after: acting while paging would move jobs between pages.
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await callAdapter(ctx, list, () =>
      ctx.adapter[list]({ ...filter, status, limit: Math.min(500, limit - ids.length), cursor }),
    );
    for (const job of page.jobs) if (ids.length < limit) ids.push(job.id);
    cursor = page.nextCursor;
  } while (cursor && ids.length < limit);
  for (const id of ids) {
    try {
      await act(id);
      result.succeeded.push(id);
    } catch (error) {
      if (!isRedriveError(error) || (error.code !== 'INVALID_STATE' && error.code !== 'NOT_FOUND'))
        throw error;
      result.failed.push({ id, code: error.code, message: error.message });
    }
  }
  return result;
}
