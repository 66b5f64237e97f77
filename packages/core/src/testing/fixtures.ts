import type { FailRequest, NewJobRecord, RecoverRequest } from '../adapter/storage-adapter.js';
import type { ClaimedJob, Job, RetryHistoryEntry } from '../job/job.js';
import { check } from './assert.js';
import type { ConformanceContext } from './types.js';

/** The suite's epoch: a realistic millisecond timestamp, so SQL timestamp columns round-trip it. */
export const T0 = 1_700_000_000_000;

/** The lease length the checks use unless they say otherwise. */
export const LEASE_MS = 30_000;

/**
 * A complete {@link NewJobRecord} as core would hand it to `enqueue`, with a fresh UUID id;
 * override any field.
 *
 * @example await adapter.enqueue([newJobRecord({ type: 'email', priority: 5 })]);
 */
export function newJobRecord(overrides: Partial<NewJobRecord> = {}): NewJobRecord {
  return {
    id: globalThis.crypto.randomUUID(),
    type: 'conformance',
    queue: 'default',
    tenantId: null,
    payload: { n: 1 },
    priority: 0,
    runAt: T0,
    maxAttempts: 3,
    idempotencyKey: null,
    timeoutMs: null,
    title: null,
    metadata: {},
    createdAt: T0,
    ...overrides,
  };
}

/** Enqueue records and return the stored jobs (all must be created). */
export async function enqueueJobs(ctx: ConformanceContext, records: NewJobRecord[]): Promise<Job[]> {
  const results = await ctx.adapter.enqueue(records);
  check(
    results.length === records.length,
    `enqueue returned ${results.length} results for ${records.length} records`,
  );
  return results.map((r) => r.job);
}

/** Enqueue one record made by {@link newJobRecord}. */
export async function enqueueJob(
  ctx: ConformanceContext,
  overrides: Partial<NewJobRecord> = {},
): Promise<Job> {
  const [job] = await enqueueJobs(ctx, [newJobRecord(overrides)]);
  return job!;
}

/** Claim exactly one job (throws when none is due). */
export async function claimOne(
  ctx: ConformanceContext,
  options: { now?: number; workerId?: string; leaseMs?: number; types?: string[]; queues?: string[] } = {},
): Promise<ClaimedJob> {
  const [job] = await ctx.adapter.claim({
    workerId: options.workerId ?? 'worker-a',
    limit: 1,
    leaseMs: options.leaseMs ?? LEASE_MS,
    now: options.now ?? T0,
    types: options.types,
    queues: options.queues,
  });
  check(job !== undefined, 'claim returned no job although one was due');
  return job;
}

/** Enqueue a job and claim it: the usual start of a lease check. */
export async function runningJob(
  ctx: ConformanceContext,
  overrides: Partial<NewJobRecord> = {},
  options: { now?: number; workerId?: string; leaseMs?: number } = {},
): Promise<ClaimedJob> {
  const job = await enqueueJob(ctx, overrides);
  const claimed = await claimOne(ctx, { ...options, types: [job.type] });
  check(claimed.id === job.id, 'claim returned another job than the only due one');
  return claimed;
}

/** The job as stored: through `inspect` when given (bypassing the adapter), else `getJob`. */
export async function storedJob(ctx: ConformanceContext, id: string): Promise<Job | null> {
  return ctx.inspect ? await ctx.inspect.getJob(id) : await ctx.adapter.getJob(id);
}

/** Like {@link storedJob}, but the job must exist. */
export async function mustExist(ctx: ConformanceContext, id: string): Promise<Job> {
  const job = await storedJob(ctx, id);
  check(job !== null, `job ${id} is missing from the store`);
  return job;
}

/** The stored retry history, through `inspect` when it can read it. */
export async function storedHistory(ctx: ConformanceContext, id: string): Promise<RetryHistoryEntry[]> {
  return ctx.inspect?.getRetryHistory
    ? await ctx.inspect.getRetryHistory(id)
    : await ctx.adapter.getRetryHistory(id);
}

/** A history entry for a failed attempt. */
export function historyEntry(attempt: number, overrides: Partial<RetryHistoryEntry> = {}): RetryHistoryEntry {
  return {
    attempt,
    error: `boom ${attempt}`,
    stack: 'Error: boom\n    at handler',
    errorCategory: 'transient_server',
    delayMs: 1000,
    deadLettered: false,
    timestamp: T0,
    ...overrides,
  };
}

/** A `fail` request that retries at `runAt`, or dead-letters when `runAt` is `'dead'`. */
export function failRequest(
  job: { leaseToken: string; attempt: number },
  now: number,
  runAt: number | 'dead',
  historyLimit = 25,
): FailRequest {
  const dead = runAt === 'dead';
  return {
    leaseToken: job.leaseToken,
    now,
    error: {
      message: `boom ${job.attempt}`,
      stack: 'Error: boom\n    at handler',
      category: 'transient_server',
    },
    outcome: dead
      ? { kind: 'dead', requiresUserAction: false, suggestedAction: 'Retry later' }
      : { kind: 'retry', runAt },
    history: historyEntry(job.attempt, {
      timestamp: now,
      delayMs: dead ? 0 : runAt - now,
      deadLettered: dead,
    }),
    historyLimit,
  };
}

/** A `recoverExpiredLeases` request at `now`, by the worker `recoverer`. */
export function recoverRequest(now: number, limit = 100, leaseMs = LEASE_MS): RecoverRequest {
  return { workerId: 'recoverer', now, leaseMs, limit };
}

/**
 * What core does with expired leases: take them over, then record each as a failed attempt
 * (`transient_timeout`) retried at once, or dead-lettered when `dead` says so. Returns the jobs
 * taken over.
 */
export async function recoverAsCore(
  ctx: ConformanceContext,
  now: number,
  dead: (job: ClaimedJob) => boolean = (job) => job.attempt >= job.maxAttempts,
): Promise<ClaimedJob[]> {
  const taken = await ctx.adapter.recoverExpiredLeases(recoverRequest(now));
  for (const job of taken) {
    const request = failRequest(job, now, dead(job) ? 'dead' : now);
    request.error = { message: 'lease expired', stack: null, category: 'transient_timeout' };
    request.history = {
      ...request.history,
      error: 'lease expired',
      stack: null,
      errorCategory: 'transient_timeout',
    };
    const result = await ctx.adapter.fail(job.id, request);
    check(result.ok, `fail of a recovered job was refused (job ${job.id})`);
  }
  return taken;
}

/** The fields that must not move when a write is refused. */
export function essentials(job: Job): Partial<Job> {
  return {
    status: job.status,
    attempt: job.attempt,
    runAt: job.runAt,
    result: job.result,
    error: job.error,
    progress: job.progress,
    checkpoint: job.checkpoint,
    leaseOwner: job.leaseOwner,
    leaseExpiresAt: job.leaseExpiresAt,
    failedAt: job.failedAt,
    completedAt: job.completedAt,
    updatedAt: job.updatedAt,
  };
}
