import type { EnqueueOptions, JobFilter, StorageAdapter } from '../adapter/storage-adapter.js';
import type { ThroughputBucket } from '../adapter/throughput.js';
import type { ClassifyOptions } from '../classify/index.js';
import type { Clock } from '../clock/clock.js';
import type { Job, JobStatus, RetryHistoryEntry } from '../job/job.js';
import type {
  DeadLetterOf,
  InferSchemaOutput,
  JobInput,
  JobMap,
  JobOf,
  JobPayload,
  JobTypeName,
} from './job-map.js';
import type { JobTypePolicy } from './policy.js';

/**
 * Restricts a call to one tenant. A job of another tenant behaves exactly like a
 * missing one (`NotFoundError`); listings, stats, bulk actions and the DLQ see only this
 * tenant's jobs; new jobs belong to it whatever their options say. `null` = jobs without a tenant.
 */
export interface TenantScope {
  tenantId?: string | null | undefined;
}

/** Queue-wide classification options of `createQueue`: {@link ClassifyOptions} plus `unknownIsRetryable`. */
export interface QueueClassifierOptions extends ClassifyOptions {
  /** Retry errors classified `unknown` (no rule recognised them). Default true; a policy's own value wins. */
  unknownIsRetryable?: boolean | undefined;
}

/** A policy per job type name, any payload. */
export type PolicyMap = Record<string, JobTypePolicy<any>>;

/**
 * The `policies` of `createQueue`. With a job map: at most one per type of the map, its hooks and
 * schema typed by that type's payload. Without one: any names, each policy typed by its own
 * `schema` (`Schemas` holds each policy's schema type, inferred from the call).
 */
export type PoliciesFor<Jobs, Schemas = Record<string, unknown>> = [Jobs] extends [never]
  ? { [Type in keyof Schemas]: JobTypePolicy<InferSchemaOutput<Schemas[Type]>> & { schema?: Schemas[Type] } }
  : {
      [Type in keyof Jobs]?: JobTypePolicy<string extends Type ? any : JobPayload<Jobs, Type>> | undefined;
    };

/** Options of `createQueue`. `Policies`: the type of `policies` (see {@link PoliciesFor}). */
export interface CreateQueueOptions<Policies = PolicyMap> {
  /** Where jobs are stored, e.g. `memoryAdapter()` or `postgresAdapter({ pool })`. */
  adapter: StorageAdapter;
  /**
   * Policies per job type (retries, timeout, schema, hooks). Without a job map on `createQueue`,
   * the policies' schemas type the queue (see `InferJobMap`).
   */
  policies?: Policies | undefined;
  /** Policy for types without an entry in `policies`. Default: `DEFAULT_RETRY_CONFIG` (5 executions). */
  defaultPolicy?: JobTypePolicy | undefined;
  /**
   * Queue-wide classification options: `rules` are tried after a type's own rules;
   * `unknownIsRetryable` (default true) is the queue-wide default for errors no rule recognises,
   * used by every policy that does not set `unknownIsRetryable` itself (a policy's own value wins).
   *
   * @example
   * createQueue({ adapter, classifier: { unknownIsRetryable: false } }); // plain Error('boom') → dead letter
   */
  classifier?: QueueClassifierOptions | undefined;
  /** Time source for run-at, backoff, leases and timers. Default {@link systemClock}. */
  clock?: Clock | undefined;
  /** Retry-history entries kept per job, newest first kept. Default 25. */
  historyLimit?: number | undefined;
  /** Randomness for jitter (0 ≤ x < 1). Default `Math.random`. */
  random?: (() => number) | undefined;
  /** Job id generator. Default a UUID v7 (time-ordered, random tail from Web Crypto), kind to B-tree indexes. */
  generateId?: (() => string) | undefined;
  /** A worker counts as alive in `health()` when seen within this many ms. Default 30000. */
  workerStaleAfterMs?: number | undefined;
}

/** Options of `queue.enqueue`. Defaults come from the job type's policy. */
export interface EnqueueJobOptions extends EnqueueOptions {
  /** Higher runs first. Default: the policy's, else 0. */
  priority?: number | undefined;
  /** Do not run before this time (epoch ms or Date). */
  runAt?: number | Date | undefined;
  /** Do not run before `now + delayMs`. Not together with `runAt`. */
  delayMs?: number | undefined;
  /** While a job with this key is queued, running or paused, enqueueing again returns it. */
  idempotencyKey?: string | undefined;
  /** Most executions, first run included. Default: the policy's (5). */
  maxAttempts?: number | undefined;
  /** Alias of `maxAttempts` (the same number). Both with different values is a ValidationError naming `maxAttempts`. */
  maxRetries?: number | undefined;
  tenantId?: string | null | undefined;
  /** For people: shown in dashboards, searchable. */
  title?: string | undefined;
  metadata?: Record<string, unknown> | undefined;
  /** Longest one attempt may run (ms). Default: the policy's, else none. */
  timeoutMs?: number | undefined;
  /** Queue name. Default: the policy's, else `'default'`. */
  queue?: string | undefined;
}

/**
 * One item of `enqueueMany`. With a job map, a union over its types: each item's payload is
 * checked against its own `type`.
 */
export type EnqueueItem<Jobs = any> = 0 extends 1 & Jobs
  ? { type: string; payload: unknown; options?: EnqueueJobOptions | undefined }
  : {
      [Type in keyof Jobs]: {
        type: Type & string;
        payload: JobInput<Jobs, Type>;
        options?: EnqueueJobOptions | undefined;
      };
    }[keyof Jobs];

/** A {@link JobFilter} whose `type` is one of the queue's job types (`Type`, default any string). */
export interface TypedJobFilter<Type extends string = string> extends JobFilter {
  type?: Type | Type[] | undefined;
}

/** A filter plus a page size and cursor, for `listJobs` and `deadLetters.list`. */
export interface ListJobsFilter<Type extends string = string> extends TypedJobFilter<Type> {
  /** Page size, 1…1000. Default 50. */
  limit?: number | undefined;
  /** `nextCursor` of the previous page. */
  cursor?: string | null | undefined;
}

/** Counts per status. */
export type StatusCounts = Record<JobStatus, number>;

/** What `queue.stats()` returns. */
export interface QueueStats {
  counts: StatusCounts;
  byType: Record<string, StatusCounts>;
  /** Queued jobs waiting for a retry (they already ran). */
  retryScheduled: number;
  /** Dead letters (= `counts.failed`). */
  deadLetters: number;
  /** Age of the oldest queued job, or null. */
  oldestQueuedAgeMs: number | null;
  total: number;
  /** completed / (completed + failed), or null when neither happened. */
  successRate: number | null;
  failureRate: number | null;
  processing: {
    count: number;
    avgMs: number | null;
    p50Ms: number | null;
    p95Ms: number | null;
    maxMs: number | null;
  };
}

/** Arguments of `queue.throughput()`. */
export interface ThroughputQuery {
  /** From this time (epoch ms or Date, at most 24 hours ago), counted from the start of its minute. */
  since: number | Date;
  /** Only jobs of this type. */
  type?: string | undefined;
}

/** What `queue.throughput()` returns: one bucket per minute from `since` to now, oldest first. */
export interface Throughput {
  buckets: ThroughputBucket[];
}

/** What `queue.health()` returns. */
export interface HealthReport {
  /** The adapter answered. */
  ok: boolean;
  adapter: { ok: boolean; latencyMs: number; error?: string | undefined };
  /** Workers seen through heartbeats (empty when the adapter does not track workers). */
  workers: Array<{ workerId: string; lastSeenAt: number; alive: boolean; activeJobs: number }>;
}

/** Outcome of a bulk action or a multi-id DLQ operation. */
export interface BulkResult {
  /** Ids the action was applied to. */
  succeeded: string[];
  /** Ids it was refused for, with the error code (NOT_FOUND, INVALID_STATE). */
  failed: Array<{ id: string; code: string; message: string }>;
}

/** Options of `queue.purge`: which finished jobs to delete, by status and age. */
export interface PurgeJobsOptions {
  /** `'completed'`, `'cancelled'`, or both (the default). Dead letters have `deadLetters.purge`. */
  status?: 'completed' | 'cancelled' | Array<'completed' | 'cancelled'> | undefined;
  /** Jobs last changed (completed, cancelled) before this time (epoch ms or Date). Not together with `olderThanMs`. */
  olderThan?: number | Date | undefined;
  /** Jobs last changed more than this many ms ago. Default 7 days (`DEFAULT_RETENTION_MS`). */
  olderThanMs?: number | undefined;
}

/** Options of `deadLetters.purge`. */
export interface PurgeDeadLettersOptions {
  /** Dead letters that failed before this time (epoch ms or Date). Not together with `olderThanMs`. */
  olderThan?: number | Date | undefined;
  /** Dead letters that failed more than this many ms ago. Default 7 days. */
  olderThanMs?: number | undefined;
  /** Only dead letters matching this filter (the same keys as every filter). */
  filter?: JobFilter | undefined;
}

/** Ids or a filter, for DLQ operations. */
export type IdsOrFilter = string[] | { ids: string[] } | { filter: JobFilter };

/** The dead-letter queue: failed jobs with the context to act on them. `Jobs`: the queue's job map. */
export interface DeadLetterQueue<Jobs extends JobMap<Jobs> = any> {
  /**
   * Newest failure first, filter by type / errorCategory / tenantId / failedFrom..failedTo. With a
   * job map, filtering by `type` types the dead letters' payloads.
   */
  list<Type extends JobTypeName<Jobs> = JobTypeName<Jobs>>(
    filter?: ListJobsFilter<Type>,
    scope?: TenantScope,
  ): Promise<{ deadLetters: DeadLetterOf<Jobs, Type>[]; nextCursor: string | null }>;
  /** One dead letter with its full history; NotFoundError when the id is not a dead letter. */
  get(id: string, scope?: TenantScope): Promise<DeadLetterOf<Jobs>>;
  /**
   * Send dead letters back to `queued` (attempt reset, history kept, redriveCount + 1). Default limit
   * 100 for filters. By ids, each id is handled on its own: the dead letters are redriven, and an id
   * that is unknown, another tenant's, or not a dead letter is listed in `failed` (`NOT_FOUND`).
   */
  redrive(target: IdsOrFilter, options?: { limit?: number }, scope?: TenantScope): Promise<BulkResult>;
  /** Delete dead letters. Default limit 100 for filters. By ids, as `redrive`: refused ids are listed in `failed`. */
  delete(target: IdsOrFilter, options?: { limit?: number }, scope?: TenantScope): Promise<BulkResult>;
  /**
   * Delete dead letters that failed before `olderThan` (epoch ms / Date) or more than `olderThanMs`
   * ago (default 7 days); with `filter`, only those matching it.
   * @example await queue.deadLetters.purge({ olderThanMs: 86_400_000, filter: { type: 'send-email' } })
   */
  purge(options?: PurgeDeadLettersOptions, scope?: TenantScope): Promise<{ deleted: number }>;
  /** How many dead letters match. */
  count(filter?: JobFilter, scope?: TenantScope): Promise<number>;
}

/**
 * Events a queue emits when someone acts on a job (runner events are on `runner.on`). With a job
 * map, `job` is a union of the map's jobs, discriminated by `type`.
 */
export interface QueueEvents<Jobs extends JobMap<Jobs> = any> {
  enqueued: (job: JobOf<Jobs>) => void;
  paused: (job: JobOf<Jobs>) => void;
  /** A pause was asked for on a running job: its worker pauses it at its checkpoint. */
  pauseRequested: (job: JobOf<Jobs>) => void;
  resumed: (job: JobOf<Jobs>) => void;
  cancelled: (job: JobOf<Jobs>) => void;
  retried: (job: JobOf<Jobs>) => void;
  restarted: (job: JobOf<Jobs>) => void;
  redriven: (job: JobOf<Jobs>) => void;
  deleted: (jobId: string) => void;
  /** A listener or hook threw. */
  error: (error: unknown) => void;
}

/**
 * The queue: enqueue, read and act on jobs. Create it with `createQueue`; run jobs with `JobRunner`.
 *
 * Every method validates its input (ValidationError naming the field, nothing written), wraps
 * store failures in AdapterError (the store's error as `cause`), and takes an optional last
 * {@link TenantScope}. Unknown ids throw NotFoundError; actions that do not fit the job's status
 * throw InvalidStateError and change nothing (see docs/concepts/lifecycle.md).
 *
 * `Jobs` is the queue's job map ({@link JobMap}): declared with `createQueue<Jobs>(...)` or inferred
 * from the policies' schemas, it types `enqueue`, the jobs read back, the events and the runner's
 * handlers. `Queue` alone (`Queue<any>`) is a queue of any job types, and accepts every queue.
 */
export interface Queue<Jobs extends JobMap<Jobs> = any> {
  /**
   * Store a job; returns it, or the live job that already holds `idempotencyKey`. With a job map,
   * `type` must be one of its types and `payload` that type's payload (compile errors otherwise).
   * @example await queue.enqueue('send-email', { to }, { delayMs: 60_000, idempotencyKey: `welcome:${to}` })
   */
  enqueue: EnqueueFunction<Jobs>;
  /** Store many jobs in one adapter call; one invalid item rejects the call and stores nothing. */
  enqueueMany(items: EnqueueItem<Jobs>[], scope?: TenantScope): Promise<JobOf<Jobs>[]>;
  /** One job; NotFoundError when unknown (or of another tenant). With a job map, narrow it by `job.type`. */
  getJob(id: string, scope?: TenantScope): Promise<JobOf<Jobs>>;
  /**
   * Newest first, keyset-paginated (`limit` default 50, max 1000; pass `nextCursor` back as `cursor`).
   * `q` searches id, type, title and error. With a job map, filtering by `type` types the jobs.
   */
  listJobs<Type extends JobTypeName<Jobs> = JobTypeName<Jobs>>(
    filter?: ListJobsFilter<Type>,
    scope?: TenantScope,
  ): Promise<{ jobs: JobOf<Jobs, Type>[]; nextCursor: string | null }>;
  /** The job's failed attempts, oldest first (the newest `historyLimit` are kept). */
  getRetryHistory(id: string, scope?: TenantScope): Promise<RetryHistoryEntry[]>;
  /** Counts per status and type, retries scheduled, DLQ size, backlog age, success rate, run times. */
  stats(filter?: JobFilter, scope?: TenantScope): Promise<QueueStats>;
  /**
   * Jobs completed and dead-lettered per minute since `since` (every minute listed, zeros too), for
   * a dashboard's chart; counted by the store, so every process sees the same figures. `null` when
   * the adapter does not report throughput (`capabilities.throughput`).
   * @example const t = await queue.throughput({ since: Date.now() - 3_600_000 }); // t?.buckets
   */
  throughput(query: ThroughputQuery, scope?: TenantScope): Promise<Throughput | null>;
  /** queued → paused now; running → paused at its next pause-safe checkpoint (InvalidStateError without one). */
  pauseJob(id: string, reason?: string | null, scope?: TenantScope): Promise<JobOf<Jobs>>;
  /** paused → queued (`resumeCount` + 1), due now unless its `runAt` is still ahead (kept: never early); the next run gets the checkpoint. */
  resumeJob(id: string, scope?: TenantScope): Promise<JobOf<Jobs>>;
  /** queued / paused / running → cancelled; a running handler's `ctx.signal` aborts. */
  cancelJob(id: string, scope?: TenantScope): Promise<JobOf<Jobs>>;
  /** failed / cancelled → queued, attempt 0, history kept (from failed: a redrive, `redriveCount` + 1). */
  retryJob(id: string, scope?: TenantScope): Promise<JobOf<Jobs>>;
  /** failed / cancelled / completed → queued as new (attempt, checkpoint, progress, result cleared). */
  restartJob(id: string, scope?: TenantScope): Promise<JobOf<Jobs>>;
  /** Delete a job that is not running, with its history (cancel a running job first). */
  deleteJob(id: string, scope?: TenantScope): Promise<void>;
  /**
   * Retry, cancel or delete every job matching `filter`, up to `limit` (default 100, max 10000).
   * Jobs whose status does not allow the action are skipped; refusals are listed in `failed`.
   */
  bulk(
    action: 'retry' | 'cancel' | 'delete',
    filter: JobFilter,
    limit?: number,
    scope?: TenantScope,
  ): Promise<BulkResult>;
  /**
   * Retention: delete completed and cancelled jobs, with their retry history, whose last change
   * (`updatedAt`: when they completed or were cancelled) is older than `olderThan`, or more than
   * `olderThanMs` ago (default 7 days). Queued, running, paused and failed jobs are never touched
   * (dead letters: `deadLetters.purge`); a job restarted meanwhile is queued again and stays.
   * Returns how many were deleted. Call it from a cron or a timer: nothing purges on its own.
   * ValidationError naming the field for a bad status or age.
   * @example await queue.purge({ olderThanMs: 24 * 3600_000 }); // completed/cancelled over a day ago
   * @example await queue.purge({ status: 'completed', olderThan: new Date('2026-01-01') });
   */
  purge(options?: PurgeJobsOptions, scope?: TenantScope): Promise<{ deleted: number }>;
  /** The dead-letter queue (failed jobs). */
  readonly deadLetters: DeadLetterQueue<Jobs>;
  /** Is the adapter reachable, which workers are alive. Never throws. */
  health(): Promise<HealthReport>;
  /** Listen to queue events; returns a function that removes the listener. */
  on<K extends keyof QueueEvents<Jobs>>(event: K, listener: QueueEvents<Jobs>[K]): () => void;
}

/**
 * `queue.enqueue`. Without a job map: any type name and payload, as `(type: string, payload: P) =>
 * Promise<Job<P>>`. With one: a type of the map and its payload (its `input` when the map gives one).
 */
export type EnqueueFunction<Jobs> = 0 extends 1 & Jobs
  ? <P = unknown>(
      type: string,
      payload: P,
      options?: EnqueueJobOptions,
      scope?: TenantScope,
    ) => Promise<Job<P>>
  : <Type extends JobTypeName<Jobs>>(
      type: Type,
      payload: JobInput<Jobs, Type>,
      options?: EnqueueJobOptions,
      scope?: TenantScope,
    ) => Promise<JobOf<Jobs, Type>>;

/** The job map of a queue: `JobMapOf<typeof queue>` (`any` for a queue without one). */
export type JobMapOf<Q> = Q extends Queue<infer Jobs> ? Jobs : never;
