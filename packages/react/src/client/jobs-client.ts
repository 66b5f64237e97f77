import type {
  BulkResult,
  DeadLetterOf,
  HealthReport,
  JobMap,
  JobOf,
  JobTypeName,
  QueueStats,
  RetryHistoryEntry,
  TypedJobFilter,
} from '@redrive/core';

/**
 * What the dashboard and the hooks filter by: a queue `JobFilter`, the same keys as the queue API
 * and the HTTP API (`status`, `type`, `queue`, `tenantId`, `errorCategory`, `q`, `createdFrom`,
 * `createdTo`, `failedFrom`, `failedTo`, `ids`; times in epoch ms). Empty values mean "all".
 * `Type`: the job type names allowed in `type` (a job map's names; any string without one).
 *
 * @example
 * const query: JobsQuery = { errorCategory: 'permanent_auth', failedFrom: Date.now() - 86_400_000 };
 */
export type JobsQuery<Type extends string = string> = TypedJobFilter<Type>;

/**
 * The job type names of `Jobs`, for a hook's `query.type`. Wrapped so that a call such as
 * `useJobs({ type: 'x' })` does not infer a job map from the filter: the map is only ever given.
 */
export type HookTypeName<Jobs> = [JobTypeName<Jobs>][Jobs extends unknown ? 0 : never];

/** A {@link JobsQuery} plus keyset pagination: `limit` (1…1000, default 50) and the previous page's `nextCursor`. */
export interface PageQuery<Type extends string = string> extends JobsQuery<Type> {
  limit?: number | undefined;
  cursor?: string | null | undefined;
}

/** One page of a keyset-paginated list; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A job's failed attempts, oldest first, and how many attempts it used. */
export interface JobHistory {
  jobId: string;
  totalAttempts: number;
  retries: RetryHistoryEntry[];
}

/** Guarded single-job actions. `restart` runs the job again from scratch; `retry` keeps its checkpoint and history. */
export type JobActionName = 'retry' | 'restart' | 'pause' | 'resume' | 'cancel';

/** Actions that `bulk` applies to every job matching a filter. */
export type BulkActionName = 'retry' | 'cancel' | 'delete';

/** Per-minute counts from the store, for the throughput chart. */
export interface ThroughputBucket {
  /** Start of the minute, epoch ms. */
  minute: number;
  completed: number;
  failed: number;
}

/** Since when (epoch ms) and, optionally, for which job type. */
export interface ThroughputQuery {
  since: number;
  type?: string | undefined;
}

/** Dead letters to act on: some ids, or every one matching a query (up to `limit`, default 100). */
export type DeadLetterTarget = { ids: string[] } | { query: JobsQuery; limit?: number | undefined };

/**
 * Everything the hooks and the dashboard need from a backend. `createHttpClient` implements it over
 * the `@redrive/core/http` API and `createQueueClient` over an in-process queue; a custom backend
 * implements it directly. Every method rejects with a {@link JobsClientError} (code, message, issues).
 *
 * `Jobs` is the queue's job map (see `JobMap` in `@redrive/core`): with one, jobs and dead letters
 * are unions discriminated by `type`, and a `type` filter names one of its types. `JobsClient` alone
 * is a client of any jobs, and accepts every client.
 *
 * @example
 * const client: JobsClient = createHttpClient({ baseUrl: '/api/queue' });
 * const { items } = await client.listJobs({ status: 'failed', limit: 20 });
 */
export interface JobsClient<Jobs extends JobMap<Jobs> = any> {
  /** Newest first, one page. Filtering by `type` types the jobs. */
  listJobs<Type extends JobTypeName<Jobs> = JobTypeName<Jobs>>(
    query?: PageQuery<Type>,
  ): Promise<Page<JobOf<Jobs, Type>>>;
  getJob(id: string): Promise<JobOf<Jobs>>;
  /** The job's retry history (failed attempts). */
  getHistory(id: string): Promise<JobHistory>;
  /** Counts per status and type, retries scheduled, dead letters. */
  getStats(query?: { type?: string | undefined }): Promise<QueueStats>;
  /** Newest failure first, one page. Filtering by `type` types the dead letters. */
  listDeadLetters<Type extends JobTypeName<Jobs> = JobTypeName<Jobs>>(
    query?: PageQuery<Type>,
  ): Promise<Page<DeadLetterOf<Jobs, Type>>>;
  /** A guarded action; resolves with the job after it. `reason` is kept for `pause`. */
  act(id: string, action: JobActionName, options?: { reason?: string | undefined }): Promise<JobOf<Jobs>>;
  /** Delete a job that is not running (a dead letter included). */
  deleteJob(id: string): Promise<void>;
  /** Apply an action to every job matching `query`, up to `limit` (1…10000). */
  bulk(action: BulkActionName, query: JobsQuery, limit: number): Promise<BulkResult>;
  /** Send dead letters back to `queued` (attempts reset, history kept). */
  redrive(target: DeadLetterTarget): Promise<BulkResult>;
  /** Delete dead letters that failed more than `olderThanMs` ago. */
  purgeDeadLetters(options: { olderThanMs: number }): Promise<{ deleted: number }>;
  /** Is the store reachable, which workers are alive. */
  health(): Promise<HealthReport>;
  /**
   * Per-minute completed and failed counts. Optional: without it (or when the backend answers
   * `NOT_FOUND`), the dashboard hides its chart.
   */
  throughput?(query: ThroughputQuery): Promise<ThroughputBucket[]>;
}
