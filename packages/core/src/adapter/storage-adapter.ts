import type { ErrorCategory } from '../classify/categories.js';
import type {
  ClaimedJob,
  Job,
  JobCheckpoint,
  JobProgress,
  JobStatus,
  RetryHistoryEntry,
} from '../job/job.js';

/*
 * The storage adapter contract: the only way the queue and the runner touch a store.
 *
 * Rules every adapter keeps (the conformance suite in `@redrive/core/testing` checks them):
 * - Core decides, adapters store. Backoff, retry-or-dead and state-machine rules are decided
 *   in core; the adapter persists the decision. It never computes a backoff.
 * - Each method is atomic on its own (one statement, one `batch()`, or one transaction):
 *   a crash leaves either the old state or the new one, never half.
 * - Writes after a claim are fenced by the lease token that claim issued: a stale token
 *   changes nothing and the method says so (returns `false`), it does not throw.
 * - `now` is always passed in (the injected clock); adapters never read the wall clock for
 *   decisions, so tests can jump forward instead of sleeping.
 * - Timestamps are epoch milliseconds.
 */

/** A job as core hands it to `enqueue`: every field decided, ready to store. */
export interface NewJobRecord {
  id: string;
  type: string;
  queue: string;
  tenantId: string | null;
  payload: unknown;
  priority: number;
  runAt: number;
  maxAttempts: number;
  idempotencyKey: string | null;
  timeoutMs: number | null;
  title: string | null;
  metadata: Record<string, unknown>;
  createdAt: number;
}

/** Options for `enqueue`. */
export interface EnqueueOptions {
  /**
   * A client of the caller's own transaction (SQL adapters with `capabilities.transactionalEnqueue`):
   * the jobs exist only if that transaction commits.
   */
  db?: unknown;
}

/** What `enqueue` did with one record, in input order. */
export interface EnqueueResult {
  job: Job;
  /**
   * False when a live job (queued, running or paused) of the same tenant already had the idempotency
   * key: `job` is that job.
   */
  created: boolean;
}

/** Arguments of `claim`. */
export interface ClaimRequest {
  workerId: string;
  /** Only these job types (all when absent). */
  types?: string[] | undefined;
  /** Only these queues (all when absent). */
  queues?: string[] | undefined;
  /** Most jobs to claim. */
  limit: number;
  /** The lease length: `leaseExpiresAt = now + leaseMs`. */
  leaseMs: number;
  now: number;
}

/** A lease held by a worker: the job and the token its claim issued. */
export interface LeaseRef {
  id: string;
  leaseToken: string;
}

/** Arguments of `heartbeat`. */
export interface HeartbeatRequest {
  workerId: string;
  leases: LeaseRef[];
  leaseMs: number;
  now: number;
}

/** What `heartbeat` learnt about the worker's leases (job ids). Extended leases are not listed. */
export interface HeartbeatResult {
  /** Leases the worker no longer holds (expired and re-claimed, deleted, completed elsewhere). */
  lost: string[];
  /** Jobs cancelled while running: abort the handler. */
  cancelled: string[];
  /** Jobs asked to pause while running: pause them at their checkpoint. */
  pauseRequested: string[];
}

/** Arguments of `complete`. */
export interface CompleteRequest {
  leaseToken: string;
  result: unknown;
  now: number;
}

/** Arguments of `fail`: core's decision for a failed attempt, stored in one atomic step with its history entry. */
export interface FailRequest {
  leaseToken: string;
  now: number;
  error: { message: string; stack: string | null; category: ErrorCategory };
  /** `retry`: back to `queued` with `runAt`; `dead`: to `failed` (the dead-letter queue). */
  outcome:
    | { kind: 'retry'; runAt: number }
    | { kind: 'dead'; requiresUserAction: boolean; suggestedAction: string | null };
  /** Appended to the job's retry history in the same atomic step. */
  history: RetryHistoryEntry;
  /** Keep at most this many history entries for the job (newest kept). */
  historyLimit: number;
}

/**
 * Arguments of `release`: give a claimed job back without a failure.
 * Used by snooze (`to: 'queued'`, later `runAt`), graceful stop and claimed-but-never-started jobs
 * (`refundAttempt: true`), pause at a checkpoint (`to: 'paused'`), and acknowledging a cancel.
 */
export interface ReleaseRequest {
  leaseToken: string;
  now: number;
  to: 'queued' | 'paused';
  /** For `to: 'queued'`: when it may run again. */
  runAt?: number | undefined;
  /** Give back the attempt the claim counted (the handler never ran, or snoozed). */
  refundAttempt: boolean;
  /** For `to: 'paused'`. */
  pauseReason?: string | null | undefined;
}

/** Arguments of `progress`. */
export interface ProgressRequest {
  leaseToken: string;
  progress: JobProgress;
  now: number;
}

/** Arguments of `checkpoint`. */
export interface CheckpointRequest {
  leaseToken: string;
  checkpoint: JobCheckpoint;
  now: number;
}

/** Answer of a fenced write that may also carry a control request for the running handler. */
export interface FencedWriteResult {
  /** False when the lease was lost: nothing was written. */
  ok: boolean;
  /** The job was cancelled while running. */
  cancelled?: boolean;
  /** A pause was asked for while running. */
  pauseRequested?: boolean;
}

/** Fields a guarded `transition` may set alongside the status. */
export type JobPatch = Partial<
  Pick<
    Job,
    | 'attempt'
    | 'runAt'
    | 'error'
    | 'errorStack'
    | 'errorCategory'
    | 'lastErrorAt'
    | 'failedAt'
    | 'completedAt'
    | 'startedAt'
    | 'progress'
    | 'checkpoint'
    | 'pausedAt'
    | 'resumedAt'
    | 'pauseReason'
    | 'pauseRequested'
    | 'requiresUserAction'
    | 'suggestedAction'
    | 'result'
    | 'maxAttempts'
  >
>;

/** Arguments of `transition`: a guarded status change for pause / resume / cancel / retry / redrive. */
export interface TransitionRequest {
  /** Apply only when the job's status is one of these; otherwise change nothing. */
  from: readonly JobStatus[];
  /** The new status (may equal the old one, e.g. a pause request on a running job). */
  to: JobStatus;
  patch?: JobPatch | undefined;
  /** Counters to add 1 to, atomically. */
  increment?: ReadonlyArray<'resumeCount' | 'redriveCount'> | undefined;
  /**
   * Leaving `running` for another status clears the lease owner and expiry; the lease token is kept
   * so the worker's heartbeat can learn why (a cancelled job answers `cancelled`, not `lost`).
   */
  now: number;
}

/** What `transition` found: the updated job, or why nothing changed. */
export type TransitionResult =
  | { ok: true; job: Job }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'invalid_state'; status: JobStatus };

/** Filters shared by listing, bulk actions and stats. Every field narrows; absent fields do not. */
export interface JobFilter {
  status?: JobStatus | JobStatus[] | undefined;
  type?: string | string[] | undefined;
  queue?: string | undefined;
  /** `null` matches jobs without a tenant; absent matches every tenant. */
  tenantId?: string | null | undefined;
  errorCategory?: ErrorCategory | ErrorCategory[] | undefined;
  /** Case-insensitive substring over id, type, title and error. */
  q?: string | undefined;
  /** `createdAt >= createdFrom`. */
  createdFrom?: number | undefined;
  /** `createdAt < createdTo`. */
  createdTo?: number | undefined;
  /** `failedAt >= failedFrom` (dead letters). */
  failedFrom?: number | undefined;
  /** `failedAt < failedTo` (dead letters). */
  failedTo?: number | undefined;
  ids?: string[] | undefined;
}

/** Arguments of `listJobs` / `listDeadLetters`: a filter plus keyset pagination. */
export interface ListRequest extends JobFilter {
  limit: number;
  /** The `nextCursor` of the previous page. Opaque; adapter-specific. */
  cursor?: string | null | undefined;
}

/** A page of jobs. `nextCursor` is null on the last page. */
export interface JobPage {
  jobs: Job[];
  nextCursor: string | null;
}

/** Raw aggregates an adapter computes; `queue.stats()` derives the public stats from them. */
export interface AdapterStats {
  /** Jobs per type per status. */
  byType: Record<string, Partial<Record<JobStatus, number>>>;
  /** Queued jobs that already ran at least once (a retry is scheduled). */
  retryScheduled: number;
  /** `createdAt` of the oldest queued job, or null. */
  oldestQueuedAt: number | null;
  /** Run time (`completedAt - startedAt`) of completed jobs, over what the adapter keeps. */
  processing: {
    count: number;
    avgMs: number | null;
    p50Ms: number | null;
    p95Ms: number | null;
    maxMs: number | null;
  };
}

/** A worker as last seen through its heartbeat. */
export interface WorkerInfo {
  workerId: string;
  lastSeenAt: number;
  /**
   * Jobs `running` under its lease, counted when `listWorkers` runs (not as of its last heartbeat):
   * it drops as soon as jobs finish.
   */
  activeJobs: number;
}

/** Options of `deleteJobs`. */
export interface DeleteJobsOptions {
  /** Delete only jobs in one of these statuses (checked in the delete itself). Default: any status. */
  status?: readonly JobStatus[] | undefined;
}

/** Arguments of `purge`. */
export interface PurgeRequest {
  status: JobStatus[];
  olderThan: number;
  limit?: number | undefined;
  /** Only this tenant's jobs (`null`: jobs without a tenant). Default: every tenant. */
  tenantId?: string | null | undefined;
}

/** Arguments of `recoverExpiredLeases`. */
export interface RecoverRequest {
  now: number;
  /** Most jobs to recover in this call. */
  limit?: number | undefined;
  /** History entry fields for a recovered attempt: message and category are core's. */
  error: { message: string; category: ErrorCategory };
  historyLimit: number;
  /** For jobs whose last attempt it was: the dead letter's suggested action. */
  suggestedAction: string | null;
}

/** What `recoverExpiredLeases` did. */
export interface RecoverResult {
  /** Back to `queued` (run at once), attempt kept. */
  requeued: string[];
  /** Their lease expired on their last attempt: now `failed`, in the dead-letter queue. */
  deadLettered: string[];
  /** A pause had been requested: now `paused`. */
  paused: string[];
}

/**
 * What an adapter can do beyond the required methods. Core reads these flags and falls back
 * when one is absent; the conformance suite skips what an adapter does not claim.
 */
export interface AdapterCapabilities {
  /** `subscribe` delivers wake-ups (e.g. Postgres LISTEN/NOTIFY), so idle workers need not poll. */
  subscribe?: boolean;
  /** `enqueue` accepts `{ db }`: the caller's transaction. */
  transactionalEnqueue?: boolean;
  /** Several processes may share the store (Postgres, D1); false for in-process stores. */
  multiProcess?: boolean;
  /** `transitionMany` exists. */
  bulkTransition?: boolean;
  /** `listWorkers` exists. */
  workers?: boolean;
  /** `releaseWorker` exists (a stopping runner hands back what the adapter holds for it). */
  releaseWorker?: boolean;
}

/** Arguments of `releaseWorker`. */
export interface ReleaseWorkerRequest {
  now: number;
}

/** What `releaseWorker` did. */
export interface ReleaseWorkerResult {
  /** Jobs claimed ahead for the worker (never handed to core) that went back to `queued`. */
  released: string[];
}

/** An event an adapter pushes to subscribers: jobs became due or were added. */
export interface WakeUp {
  /** Queue the jobs are in, when known. */
  queue?: string | undefined;
  /** Earliest `runAt` of the new jobs, when known (a delayed job wakes nobody early). */
  runAt?: number | undefined;
}

/**
 * The storage adapter contract. Implement the required methods; declare optional
 * ones in `capabilities`. Run `runAdapterConformance` from `@redrive/core/testing` against it.
 * See docs/guides/writing-an-adapter.md.
 */
export interface StorageAdapter {
  /** Short name used in error messages, e.g. `'postgres'`. */
  readonly name: string;
  readonly capabilities: AdapterCapabilities;

  /**
   * Insert jobs, honouring idempotency keys: a key is unique per `(tenantId, idempotencyKey)` among
   * live jobs (queued, running, paused), the null tenant being its own space. A live job of the same
   * tenant with the key is returned instead (`created: false`); another tenant's job never is.
   */
  enqueue(jobs: NewJobRecord[], options?: EnqueueOptions): Promise<EnqueueResult[]>;
  /**
   * Atomically move up to `limit` due `queued` jobs (`runAt <= now`; priority desc, then `createdAt` asc)
   * to `running`: lease them to `workerId` until `now + leaseMs`, add 1 to `attempt`, set `startedAt`,
   * and issue a fresh, unique lease token per claim. Two concurrent claims never return the same job.
   */
  claim(request: ClaimRequest): Promise<ClaimedJob[]>;
  /**
   * Extend the leases still held to `now + leaseMs` (and bump `updatedAt`); record the worker as alive.
   * A runner also calls it with no leases when it starts (and when a drain starts), so it shows in
   * `listWorkers` at once.
   */
  heartbeat(request: HeartbeatRequest): Promise<HeartbeatResult>;
  /**
   * Fenced: `running` with this lease token → `completed` (a pending `pauseRequested` is cleared).
   * False when the lease was lost.
   */
  complete(id: string, request: CompleteRequest): Promise<boolean>;
  /**
   * Fenced: record the error and history entry, then re-queue or dead-letter, in one atomic step.
   * When a pause was requested while it ran (`pauseRequested`), a `retry` outcome goes to `paused`
   * instead (`pausedAt = now`, `runAt` = the outcome's, checkpoint kept, the flag cleared), as lease
   * recovery does; a `dead` outcome clears the flag.
   */
  fail(id: string, request: FailRequest): Promise<boolean>;
  /** Fenced: give the job back without a failure (snooze, stop, pause at a checkpoint). */
  release(id: string, request: ReleaseRequest): Promise<boolean>;
  /** Fenced: store progress. */
  progress(id: string, request: ProgressRequest): Promise<FencedWriteResult>;
  /** Fenced: store the checkpoint (replacing the previous one). */
  checkpoint(id: string, request: CheckpointRequest): Promise<FencedWriteResult>;
  /** Guarded status change; changes nothing when the status is not in `from`. */
  transition(id: string, request: TransitionRequest): Promise<TransitionResult>;
  /**
   * Jobs `running` with `leaseExpiresAt <= now` go back to `queued` (run at once), or to `failed`
   * when that was their last attempt, or to `paused` when a pause was requested; each with a history
   * entry, atomically per job. Safe to call from many workers at once.
   */
  recoverExpiredLeases(request: RecoverRequest): Promise<RecoverResult>;

  getJob(id: string): Promise<Job | null>;
  /** Keyset pagination, newest first (`createdAt` desc, then `id` desc). */
  listJobs(request: ListRequest): Promise<JobPage>;
  /** Failed jobs, newest failure first (`failedAt` desc, then `id` desc). */
  listDeadLetters(request: ListRequest): Promise<JobPage>;
  /** Oldest first. Empty for an unknown id. */
  getRetryHistory(id: string): Promise<RetryHistoryEntry[]>;
  stats(filter: JobFilter & { now: number }): Promise<AdapterStats>;
  /**
   * Delete the jobs (and their history) with these ids; returns how many were deleted. With
   * `options.status`, only those whose status is one of these at the moment of the delete, in the
   * same atomic statement: core deletes a job it chose in a given state (a dead letter, a job an
   * action may delete), and a job that changed meanwhile (redriven, claimed) must survive.
   */
  deleteJobs(ids: string[], options?: DeleteJobsOptions): Promise<number>;
  /** Delete up to `limit` jobs in `status` whose last change (`updatedAt`) is before `olderThan`. */
  purge(request: PurgeRequest): Promise<number>;

  /** Optional (`capabilities.bulkTransition`): `transition` every job matching `filter`, up to `limit`. */
  transitionMany?(filter: JobFilter, request: TransitionRequest & { limit: number }): Promise<Job[]>;
  /** Optional (`capabilities.subscribe`): call `listener` when jobs are added or become due. Returns unsubscribe. */
  subscribe?(listener: (wakeUp: WakeUp) => void): () => void;
  /** Optional (`capabilities.workers`): workers seen through heartbeats since `since`. */
  listWorkers?(request: { since: number }): Promise<WorkerInfo[]>;
  /**
   * Optional (`capabilities.releaseWorker`): the runner `workerId` has stopped (end of `stop()`, after
   * it released the jobs it held, and end of `drain()`). Give back every job the adapter claimed for
   * this worker but never returned from `claim` (a claim-ahead / prefetch buffer): `running` →
   * `queued`, attempt refunded, `runAt` kept, lease cleared, so it does not wait for its lease to
   * expire with an attempt used. Jobs `claim` did return are core's: never touch them. Then forget
   * the worker, so `listWorkers` no longer lists it. Safe to call for an unknown worker.
   */
  releaseWorker?(workerId: string, request: ReleaseWorkerRequest): Promise<ReleaseWorkerResult>;
  /** Optional: a cheap round trip to check the store answers. Core falls back to `getJob`. */
  ping?(): Promise<void>;
  /** Optional: release connections, timers, listeners. */
  close?(): Promise<void>;
}
