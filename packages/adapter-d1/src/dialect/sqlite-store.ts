/*
 * The StorageAdapter over any SqlExecutor: the SQL modules in sql/, validation, error wrapping,
 * migration on first use, and the per-tick completion batcher. `d1Adapter` and `sqliteAdapter`
 * are this class with a name and an executor.
 */
import type {
  AdapterStats,
  CheckpointRequest,
  ClaimedJob,
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
  Job,
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
  RetryHistoryEntry,
  StorageAdapter,
  TransitionRequest,
  TransitionResult,
  WorkerInfo,
} from '@redrive/core';
import { adapterError, invalid } from './errors.js';
import type { SqlExecutor } from './executor.js';
import { assertJsonSize, MAX_JOB_OUTPUT_BYTES } from './limits.js';
import { applyMigrations, type MigrateResult } from './migrate.js';
import { jsonOrNull } from './row.js';
import { claimJobs } from './sql/claim.js';
import { type CompletionInput, completeJobs, completionKey } from './sql/complete.js';
import type { SqlContext } from './sql/context.js';
import { enqueueJobs } from './sql/enqueue.js';
import { failJob } from './sql/fail.js';
import { fencedWrite } from './sql/fenced-write.js';
import { heartbeat } from './sql/heartbeat.js';
import { getHistory } from './sql/history.js';
import { listJobs } from './sql/list-jobs.js';
import { deleteJobs, forgetWorker, getJob, listWorkers, purgeJobs } from './sql/maintenance.js';
import { releaseJob } from './sql/release.js';
import { jobStats } from './sql/stats.js';
import { takeOverExpired } from './sql/take-over-expired.js';
import { transitionJob, transitionMany } from './sql/transition.js';
import { TickBatcher } from './tick-batcher.js';

/** Options shared by the adapters built on the SQLite dialect. */
export interface SqliteDialectOptions {
  /**
   * Apply pending migrations on first use. Default `true`. Set `false` when the schema is applied
   * by `wrangler d1 migrations apply` (or by calling `migrate()` in a deploy step).
   */
  migrate?: boolean | undefined;
}

/** A StorageAdapter on the SQLite dialect, plus `migrate()` and the D1-specific extras. */
export interface SqliteDialectAdapter extends StorageAdapter {
  /** Applies pending migrations now (otherwise done on first use unless `migrate: false`). */
  migrate(): Promise<MigrateResult>;
  transitionMany(filter: JobFilter, request: TransitionRequest & { limit: number }): Promise<Job[]>;
  listWorkers(request: { since: number }): Promise<WorkerInfo[]>;
  releaseWorker(workerId: string, request: { now: number }): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds the adapter for `executor`. `name` appears in errors (`[redrive] [d1] …`).
 *
 * @example
 * const adapter = createSqliteDialectAdapter('sqlite', myExecutor, { migrate: true });
 */
export function createSqliteDialectAdapter(
  name: string,
  executor: SqlExecutor,
  options: SqliteDialectOptions = {},
): SqliteDialectAdapter {
  return new SqliteDialectStore(name, executor, options.migrate ?? true);
}

class SqliteDialectStore implements SqliteDialectAdapter {
  readonly capabilities = {
    bulkTransition: true,
    workers: true,
    releaseWorker: true,
    crashRefunds: true,
  } as const;

  private readonly ctx: SqlContext;
  private migrated: Promise<void> | undefined;
  private closed = false;
  private readonly completions: TickBatcher<CompletionInput, 'completed' | 'cancelled'>;

  constructor(
    readonly name: string,
    executor: SqlExecutor,
    autoMigrate: boolean,
  ) {
    this.ctx = { db: executor, adapter: name };
    if (!autoMigrate) this.migrated = Promise.resolve();
    this.completions = new TickBatcher(
      (set) => completeJobs(this.ctx, set),
      (c) => completionKey(c.id, c.leaseToken),
      (c) => c.id.length + c.leaseToken.length + (c.result?.length ?? 0) + 40,
    );
  }

  private ready(): Promise<void> {
    this.migrated ??= applyMigrations(this.ctx.db).then(
      () => undefined,
      (error) => {
        this.migrated = undefined;
        throw error;
      },
    );
    return this.migrated;
  }

  private async run<T>(operation: string, body: (ctx: SqlContext) => Promise<T>): Promise<T> {
    if (this.closed) throw adapterError(this.name, operation, new Error('the adapter was closed'));
    try {
      await this.ready();
      return await body(this.ctx);
    } catch (error) {
      const e = error as { name?: string; code?: string };
      if (e.name === 'ValidationError' || e.code === 'ADAPTER_ERROR') throw error;
      throw adapterError(this.name, operation, error);
    }
  }

  private invalid(path: string, message: string) {
    return invalid(this.name, path, message);
  }

  private positive(path: string, value: unknown): void {
    if (!Number.isInteger(value) || (value as number) < 1)
      throw this.invalid(path, 'must be an integer >= 1');
  }

  async migrate(): Promise<MigrateResult> {
    try {
      return await applyMigrations(this.ctx.db);
    } catch (error) {
      throw adapterError(this.name, 'migrate', error);
    }
  }

  async enqueue(jobs: NewJobRecord[], options?: EnqueueOptions): Promise<EnqueueResult[]> {
    if (!Array.isArray(jobs)) throw this.invalid('jobs', 'must be an array');
    if (options?.db !== undefined) {
      throw this.invalid('db', 'is not supported: D1 and SQLite have no transaction a caller can share');
    }
    if (jobs.length === 0) return [];
    return this.run('enqueue', (ctx) => enqueueJobs(ctx, jobs));
  }

  async claim(request: ClaimRequest): Promise<ClaimedJob[]> {
    this.positive('limit', request.limit);
    if (!(request.leaseMs > 0)) throw this.invalid('leaseMs', 'must be > 0');
    return this.run('claim', (ctx) => claimJobs(ctx, request));
  }

  heartbeat(request: HeartbeatRequest): Promise<HeartbeatResult> {
    return this.run('heartbeat', (ctx) => heartbeat(ctx, request));
  }

  async complete(id: string, request: CompleteRequest): Promise<CompleteResult> {
    const result = jsonOrNull(request.result);
    assertJsonSize(this.name, 'result', result, MAX_JOB_OUTPUT_BYTES);
    return this.run('complete', async () => {
      const input = { id, leaseToken: request.leaseToken, result, now: request.now };
      const outcome = await this.completions.add(input);
      if (outcome === 'completed') return { ok: true, status: 'completed' };
      return { ok: false, cancelled: outcome === 'cancelled' };
    });
  }

  async fail(id: string, request: FailRequest): Promise<FailResult> {
    this.positive('historyLimit', request.historyLimit);
    return this.run('fail', (ctx) => failJob(ctx, id, request));
  }

  release(id: string, request: ReleaseRequest): Promise<ReleaseResult> {
    return this.run('release', (ctx) => releaseJob(ctx, id, request));
  }

  async progress(id: string, request: ProgressRequest): Promise<FencedWriteResult> {
    const json = JSON.stringify(request.progress);
    assertJsonSize(this.name, 'progress', json, MAX_JOB_OUTPUT_BYTES);
    return this.run('progress', (ctx) =>
      fencedWrite(ctx, 'progress', id, request.leaseToken, request.now, json),
    );
  }

  async checkpoint(id: string, request: CheckpointRequest): Promise<FencedWriteResult> {
    const json = JSON.stringify(request.checkpoint);
    assertJsonSize(this.name, 'checkpoint', json, MAX_JOB_OUTPUT_BYTES);
    return this.run('checkpoint', (ctx) =>
      fencedWrite(ctx, 'checkpoint', id, request.leaseToken, request.now, json),
    );
  }

  transition(id: string, request: TransitionRequest): Promise<TransitionResult> {
    return this.run('transition', (ctx) => transitionJob(ctx, id, request));
  }

  async transitionMany(filter: JobFilter, request: TransitionRequest & { limit: number }): Promise<Job[]> {
    this.positive('limit', request.limit);
    return this.run('transitionMany', (ctx) => transitionMany(ctx, filter, request));
  }

  async recoverExpiredLeases(request: RecoverRequest): Promise<RecoveredJob[]> {
    this.positive('limit', request.limit);
    if (!(request.leaseMs > 0)) throw this.invalid('leaseMs', 'must be > 0');
    return this.run('recoverExpiredLeases', async (ctx) =>
      (await takeOverExpired(ctx, request)).map((taken) => taken.job),
    );
  }

  getJob(id: string): Promise<Job | null> {
    return this.run('getJob', (ctx) => getJob(ctx, id));
  }

  async listJobs(request: ListRequest): Promise<JobPage> {
    this.positive('limit', request.limit);
    return this.run('listJobs', (ctx) => listJobs(ctx, request, false));
  }

  async listDeadLetters(request: ListRequest): Promise<JobPage> {
    this.positive('limit', request.limit);
    return this.run('listDeadLetters', (ctx) => listJobs(ctx, request, true));
  }

  getRetryHistory(id: string): Promise<RetryHistoryEntry[]> {
    return this.run('getRetryHistory', (ctx) => getHistory(ctx, id));
  }

  stats(filter: JobFilter): Promise<AdapterStats> {
    return this.run('stats', (ctx) => jobStats(ctx, filter));
  }

  async deleteJobs(ids: string[], options?: DeleteJobsOptions): Promise<number> {
    if (!Array.isArray(ids)) throw this.invalid('ids', 'must be an array');
    if (ids.length === 0) return 0;
    return this.run('deleteJobs', (ctx) => deleteJobs(ctx, ids, options?.status));
  }

  async purge(request: PurgeRequest): Promise<number> {
    this.positive('limit', request.limit);
    return this.run('purge', (ctx) =>
      purgeJobs(ctx, request.status, request.olderThan, request.limit, request.tenantId),
    );
  }

  listWorkers(request: { since: number }): Promise<WorkerInfo[]> {
    return this.run('listWorkers', (ctx) => listWorkers(ctx, request.since));
  }

  /** The runner `workerId` stopped: forget the worker, so health no longer lists it. No job changes. */
  releaseWorker(workerId: string, _request: { now: number }): Promise<void> {
    return this.run('releaseWorker', (ctx) => forgetWorker(ctx, workerId));
  }

  async ping(): Promise<void> {
    await this.run('ping', (ctx) => ctx.db.prepare('SELECT 1').first());
  }

  /** Writes the completions still queued; the executor itself belongs to the caller. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.completions.drain();
    this.closed = true;
  }
}
