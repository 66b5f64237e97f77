import type { ErrorCategory } from '../classify/categories.js';
import type {
  ClaimedJob,
  Job,
  JobCheckpoint,
  JobProgress,
  JobStatus,
  RetryHistoryEntry,
} from '../job/job.js';

// The plain-data requests and answers of the storage adapter contract (storage-adapter.ts).

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
  /**
   * Whether the worker has started the job's run (called its handler). `false` for a job it holds
   * without having started it (claimed ahead, waiting for a free slot); absent means started. A store
   * with `capabilities.crashRefunds` records a lease reported started, for `recoverExpiredLeases`
   * to tell (`RecoveredJob.startReported`); it never un-records it.
   */
  started?: boolean;
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
  /** Keep at most this many history entries for the job (newest kept); an integer >= 1. */
  historyLimit: number;
}

/**
 * A fenced write that changed nothing: the lease token is not the job's current one, or the job
 * left `running`. `cancelled` is true when the job was cancelled while this token held it (the
 * worker reports a cancel, not a lost lease).
 */
export interface WriteRefused {
  ok: false;
  cancelled: boolean;
}

/** What `complete` did. */
export type CompleteResult = { ok: true; status: 'completed' } | WriteRefused;

/**
 * What `fail` did: the status the job is in now (`paused` when a pause was asked for during the
 * attempt and the outcome was a retry). A dead letter comes with the stored job, which core reports.
 */
export type FailResult =
  | { ok: true; status: 'queued' | 'paused' }
  | { ok: true; status: 'failed'; job: Job }
  | WriteRefused;

/** What `release` did: the status the job is in now. */
export type ReleaseResult = { ok: true; status: 'queued' | 'paused' } | WriteRefused;

/**
 * Arguments of `release`: give a claimed job back without a failure.
 * Used by snooze (`to: 'queued'`, later `runAt`), graceful stop and claimed-but-never-started jobs
 * (`refundAttempt: true`), and pause at a checkpoint (`to: 'paused'`, the reason given with the
 * pause request kept).
 */
export interface ReleaseRequest {
  leaseToken: string;
  now: number;
  to: 'queued' | 'paused';
  /** For `to: 'queued'`: when it may run again. */
  runAt?: number | undefined;
  /** Give back the attempt the claim counted (the handler never ran, or snoozed). */
  refundAttempt: boolean;
  /**
   * Count this release in the job's crash refunds (`RecoveredJob.crashRefunds` + 1, in the same
   * atomic step): core's refund of an expired lease whose run was never reported started. Only sent
   * to a store with `capabilities.crashRefunds`, always with `refundAttempt: true`.
   */
  crashRefund?: boolean | undefined;
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

/**
 * A job `recoverExpiredLeases` hands back: leased to the recovering worker under a fresh token,
 * with the facts core's crash refund reads when the store has `capabilities.crashRefunds` (a store
 * without it leaves them out, and core charges the attempt).
 */
export interface RecoveredJob<Payload = unknown, Result = unknown> extends ClaimedJob<Payload, Result> {
  /**
   * True when a heartbeat reported the expired lease's run as started (`LeaseRef.started` not
   * `false`); false when no heartbeat did between its claim and its expiry.
   */
  startReported?: boolean;
  /** How many crash refunds the job has had so far (`release` with `crashRefund`), over its life. */
  crashRefunds?: number;
}

/** Arguments of `recoverExpiredLeases`. */
export interface RecoverRequest {
  /** The worker that takes the expired leases over, to record their outcome. */
  workerId: string;
  now: number;
  /** The new lease: `leaseExpiresAt = now + leaseMs`. */
  leaseMs: number;
  /** Most jobs to take over in this call; an integer >= 1 (required: no adapter-chosen default). */
  limit: number;
}

/** Arguments of `purge`. */
export interface PurgeRequest {
  /** Only jobs in one of these statuses. */
  status: JobStatus[];
  /** Only jobs whose last change (`updatedAt`) is before this time. */
  olderThan: number;
  /** Most jobs to delete in this call; an integer >= 1 (required: no adapter-chosen default). */
  limit: number;
  /** Only this tenant's jobs (`null`: jobs without a tenant). Default: every tenant. */
  tenantId?: string | null | undefined;
}

/** Options of `deleteJobs`. */
export interface DeleteJobsOptions {
  /** Delete only jobs in one of these statuses (checked in the delete itself). Default: any status. */
  status?: readonly JobStatus[] | undefined;
}

/** Arguments of `releaseWorker`. */
export interface ReleaseWorkerRequest {
  now: number;
}

/** An event an adapter pushes to subscribers: jobs became due or were added. */
export interface WakeUp {
  /** Queue the jobs are in, when known. */
  queue?: string | undefined;
  /** Earliest `runAt` of the new jobs, when known (a delayed job wakes nobody early). */
  runAt?: number | undefined;
}
