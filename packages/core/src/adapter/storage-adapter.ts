import type { ClaimedJob, Job, RetryHistoryEntry } from '../job/job.js';
import type { AdapterCapabilities } from './capabilities.js';
import type {
  AdapterStats,
  CheckpointRequest,
  ClaimRequest,
  CompleteRequest,
  CompleteResult,
  DeleteJobsOptions,
  EnqueueOptions,
  EnqueueResult,
  FailRequest,
  FailResult,
  FencedWriteResult,
  HeartbeatRequest,
  HeartbeatResult,
  JobFilter,
  JobPage,
  ListRequest,
  NewJobRecord,
  ProgressRequest,
  PurgeRequest,
  RecoveredJob,
  RecoverRequest,
  ReleaseRequest,
  ReleaseResult,
  ReleaseWorkerRequest,
  TransitionRequest,
  TransitionResult,
  WakeUp,
  WorkerInfo,
} from './requests.js';
import type { ThroughputBucket, ThroughputRequest } from './throughput.js';

export type { AdapterCapabilities } from './capabilities.js';
// The requests and answers, and the capability flags, are importable from here too.
export type * from './requests.js';

/**
 * The storage adapter contract: the only way the queue and the runner touch a store. Implement
 * the {@link REQUIRED_ADAPTER_METHODS}; declare optional ones in `capabilities`. Run
 * `runAdapterConformance` from `@redrive/core/testing` against it; see
 * docs/guides/writing-an-adapter.md.
 *
 * Rules every adapter keeps (the conformance suite checks each):
 * - Core decides, adapters store. Retry or dead-letter, backoff delays, error categories,
 *   `requiresUserAction`, crash refunds and state-machine rules are decided in core; the adapter
 *   persists what it is told, atomically. An expired lease is handed back to core
 *   (`recoverExpiredLeases`), which records it as a failed attempt through `fail`, or gives its
 *   attempt back through `release` when its run never started (`capabilities.crashRefunds`).
 * - Each method is atomic on its own (one statement, one `batch()`, or one transaction): a crash
 *   leaves either the old state or the new one, never half.
 * - Writes after a claim are fenced by the lease token that claim issued: a stale token changes
 *   nothing and the answer says so (`ok: false`); it does not throw.
 * - Writes report what they did (the resulting status, and the job where core needs it), so core
 *   never reads a job back to learn the outcome of its own write.
 * - Bad arguments (a missing `limit`, a `historyLimit` below 1, a non-finite time) are refused
 *   with a `ValidationError` before anything is written.
 * - `now` is always passed in (the injected clock); adapters never read the wall clock for
 *   decisions, so tests can jump forward instead of sleeping. Timestamps are epoch milliseconds.
 */
export interface StorageAdapter {
  /** Short name used in error messages, e.g. `'postgres'`. */
  readonly name: string;
  /** Optional capabilities; an absent flag means "not supported" (see `resolveCapabilities`). */
  readonly capabilities: AdapterCapabilities;

  /**
   * Insert jobs, honouring idempotency keys: a key is unique per `(tenantId, idempotencyKey)` among
   * live jobs (queued, running, paused), the null tenant being its own space. A live job of the same
   * tenant with the key is returned instead (`created: false`); another tenant's job never is.
   * Results are in input order.
   */
  enqueue(jobs: NewJobRecord[], options?: EnqueueOptions): Promise<EnqueueResult[]>;
  /**
   * Atomically move up to `limit` due `queued` jobs (`runAt <= now`; priority desc, then `createdAt`
   * asc) to `running`: lease them to `workerId` until `now + leaseMs`, add 1 to `attempt`, set
   * `startedAt`, and issue a fresh, unique lease token per claim. Never more than `limit`; two
   * concurrent claims never return the same job; every job leased is returned (a store never
   * holds claimed jobs back). With `capabilities.crashRefunds`, each new lease starts as not
   * reported started (see `heartbeat`).
   */
  claim(request: ClaimRequest): Promise<ClaimedJob[]>;
  /**
   * Extend the leases still held to `now + leaseMs` (and bump `updatedAt`); record the worker as
   * alive. A runner also calls it with no leases when it starts, so it shows in `listWorkers` at once.
   * With `capabilities.crashRefunds`, also record each held lease whose `started` is not `false` as
   * reported started (for the rest of that lease; a lease listed with `started: false` stays as it was).
   */
  heartbeat(request: HeartbeatRequest): Promise<HeartbeatResult>;
  /**
   * Fenced: `running` with this lease token → `completed` (a pending `pauseRequested` is cleared).
   * Refused (`ok: false`) when the lease was lost; `cancelled: true` when the job was cancelled
   * while this token held it.
   */
  complete(id: string, request: CompleteRequest): Promise<CompleteResult>;
  /**
   * Fenced: record the error and the history entry (trimmed to the newest `historyLimit`), then
   * store core's outcome, in one atomic step: `retry` → `queued` at `runAt`; `dead` → `failed` with
   * the outcome's `requiresUserAction` and `suggestedAction`, answered with the stored job. When a
   * pause was requested while it ran, a `retry` goes to `paused` instead (`pausedAt = now`, `runAt`
   * the outcome's, checkpoint and pause reason kept, the flag cleared) and says so; a `dead`
   * outcome clears the flag. `historyLimit` below 1 is refused (`ValidationError`).
   */
  fail(id: string, request: FailRequest): Promise<FailResult>;
  /**
   * Fenced: give the job back without a failure: `to: 'queued'` at `runAt` (default `now`), or
   * `to: 'paused'` (`pausedAt = now`, the pause reason kept); the attempt refunded when asked; lease
   * owner and expiry cleared. A job cancelled while this token held it is left as it is and the
   * answer is `{ ok: false, cancelled: true }`. With `crashRefund` (and `capabilities.crashRefunds`),
   * the job's crash refunds go up by 1 in the same step.
   */
  release(id: string, request: ReleaseRequest): Promise<ReleaseResult>;
  /** Fenced: store progress. */
  progress(id: string, request: ProgressRequest): Promise<FencedWriteResult>;
  /** Fenced: store the checkpoint (replacing the previous one). */
  checkpoint(id: string, request: CheckpointRequest): Promise<FencedWriteResult>;
  /** Guarded status change; changes nothing when the status is not in `from`. Answers the new job. */
  transition(id: string, request: TransitionRequest): Promise<TransitionResult>;
  /**
   * Take over up to `limit` jobs `running` with `leaseExpiresAt <= now`, oldest expiry first: lease
   * each to `workerId` until `now + leaseMs` under a fresh lease token (attempt unchanged, so the
   * crashed worker's token is fenced out), and return them. Core then records each as a failed
   * attempt through `fail` with its own decision, or gives the attempt back through `release`.
   * Nothing else changes: no history, no status decision, no refund. Two concurrent calls never
   * return the same job; `limit` is required. With `capabilities.crashRefunds`, each job carries
   * the stored facts: `startReported` (a heartbeat reported the expired lease's run as started)
   * and `crashRefunds` (releases with `crashRefund` so far); the take-over changes neither.
   */
  recoverExpiredLeases(request: RecoverRequest): Promise<RecoveredJob[]>;

  /** The job, or null for an unknown id. */
  getJob(id: string): Promise<Job | null>;
  /** Keyset pagination, newest first (`createdAt` desc, then `id` desc). */
  listJobs(request: ListRequest): Promise<JobPage>;
  /** Failed jobs, newest failure first (`failedAt` desc, then `id` desc). */
  listDeadLetters(request: ListRequest): Promise<JobPage>;
  /** Oldest first. Empty for an unknown id. */
  getRetryHistory(id: string): Promise<RetryHistoryEntry[]>;
  /** Aggregates over the jobs matching `filter` (see {@link AdapterStats}). */
  stats(filter: JobFilter): Promise<AdapterStats>;
  /**
   * Delete the jobs (and their history) with these ids; returns how many were deleted. With
   * `options.status`, only those whose status is one of these at the moment of the delete, in the
   * same atomic statement: core deletes a job it chose in a given state (a dead letter, a job an
   * action may delete), and a job that changed meanwhile (redriven, claimed) must survive.
   */
  deleteJobs(ids: string[], options?: DeleteJobsOptions): Promise<number>;
  /**
   * Delete up to `limit` jobs in one of `status` whose last change (`updatedAt`) is before
   * `olderThan`, each deleted only while it still matches (a job that changed meanwhile is kept).
   * Returns how many were deleted; `limit` is required. Which matching jobs a call picks first is
   * the store's choice (its cheapest index: by `createdAt` or by `updatedAt`): callers repeat the
   * call until it returns 0.
   */
  purge(request: PurgeRequest): Promise<number>;

  /**
   * Optional (`capabilities.bulkTransition`): `transition` up to `limit` jobs matching `filter`
   * whose status is in `from`, newest first (`createdAt` desc, then `id` desc, as `listJobs`), each
   * atomically; returns the changed jobs in that order. Core's bulk actions use it when declared.
   */
  transitionMany?(filter: JobFilter, request: TransitionRequest & { limit: number }): Promise<Job[]>;
  /** Optional (`capabilities.subscribe`): call `listener` when jobs are added or become due. Returns unsubscribe. */
  subscribe?(listener: (wakeUp: WakeUp) => void): () => void;
  /** Optional (`capabilities.workers`): workers seen through heartbeats since `since`. */
  listWorkers?(request: { since: number }): Promise<WorkerInfo[]>;
  /**
   * Optional (`capabilities.releaseWorker`): the runner `workerId` has stopped (end of `stop()` and
   * of `drain()`): forget it, so `listWorkers` no longer lists it. Touches no job: every job a
   * runner holds came from `claim`, and the runner has given back the ones it did not start. Safe
   * to call for an unknown worker.
   */
  releaseWorker?(workerId: string, request: ReleaseWorkerRequest): Promise<void>;
  /**
   * Optional (`capabilities.throughput`): per minute in `[since, until)`, how many jobs now
   * `completed` have their `completedAt` in it and how many now `failed` have their `failedAt` in
   * it. Only minutes with a count, oldest first; core fills the gaps. Must not read every job:
   * use an index on the finish times.
   */
  throughput?(request: ThroughputRequest): Promise<ThroughputBucket[]>;
  /** Optional: a cheap round trip to check the store answers. Core falls back to `getJob`. */
  ping?(): Promise<void>;
  /** Optional: release connections, timers, listeners. */
  close?(): Promise<void>;
}

/**
 * The methods every adapter must implement (the rest are optional capabilities). `createQueue`
 * refuses an adapter without one of them, naming it; the conformance suite's self-test checks
 * the same list.
 */
export const REQUIRED_ADAPTER_METHODS = [
  'enqueue',
  'claim',
  'heartbeat',
  'complete',
  'fail',
  'release',
  'progress',
  'checkpoint',
  'transition',
  'recoverExpiredLeases',
  'getJob',
  'listJobs',
  'listDeadLetters',
  'getRetryHistory',
  'stats',
  'deleteJobs',
  'purge',
] as const satisfies ReadonlyArray<keyof StorageAdapter>;

/** The name of a required adapter method. */
export type RequiredAdapterMethod = (typeof REQUIRED_ADAPTER_METHODS)[number];

/** The required methods `adapter` lacks (empty when it has them all). */
export function missingAdapterMethods(adapter: unknown): RequiredAdapterMethod[] {
  if (typeof adapter !== 'object' || adapter === null) return [...REQUIRED_ADAPTER_METHODS];
  return REQUIRED_ADAPTER_METHODS.filter(
    (method) => typeof (adapter as Record<string, unknown>)[method] !== 'function',
  );
}
