import {
  type AdapterStats,
  type CheckpointRequest,
  type ClaimedJob,
  type ClaimRequest,
  type CompleteRequest,
  type CompleteResult,
  type DeleteJobsOptions,
  type EnqueueOptions,
  type EnqueueResult,
  type FailRequest,
  type FailResult,
  type FencedWriteResult,
  type HeartbeatRequest,
  type HeartbeatResult,
  type Job,
  type JobFilter,
  type JobPage,
  type ListRequest,
  type NewJobRecord,
  type ProgressRequest,
  type PurgeRequest,
  type RecoveredJob,
  type RecoverRequest,
  type ReleaseRequest,
  type ReleaseResult,
  type RetryHistoryEntry,
  type StorageAdapter,
  type ThroughputBucket,
  type ThroughputRequest,
  type TransitionRequest,
  type TransitionResult,
  ValidationError,
  type WakeUp,
  type WorkerInfo,
} from '@redrive/core';
import { CompletionBatcher } from './completion-batcher.js';
import { inTransaction, resolvePool } from './connection.js';
import { adapterError } from './errors.js';
import { NotifyListener } from './listener.js';
import { applyMigrations, type MigrateResult } from './migrate.js';
import { Notifier } from './notifier.js';
import { type PostgresAdapterOptions, type ResolvedOptions, resolveOptions } from './options.js';
import type { PgPool, PgQueryable } from './pg-types.js';
import { claimJobs } from './sql/claim.js';
import { completeJobs } from './sql/complete.js';
import type { SqlContext } from './sql/context.js';
import { enqueueJobs, wakeUpFor } from './sql/enqueue.js';
import { failJob } from './sql/fail.js';
import { fencedWrite } from './sql/fenced-write.js';
import { heartbeat } from './sql/heartbeat.js';
import { getHistory } from './sql/history.js';
import { listJobs } from './sql/list-jobs.js';
import { deleteJobs, forgetWorker, getJob, listWorkers, purgeJobs } from './sql/maintenance.js';
import { recoverExpiredLeases } from './sql/recover.js';
import { releaseJob } from './sql/release.js';
import { jobStats } from './sql/stats.js';
import { jobThroughput } from './sql/throughput.js';
import { transitionJob, transitionMany } from './sql/transition.js';

/** The Postgres adapter: the contract plus `migrate()` and the LISTEN connection's state. */
export interface PostgresAdapter extends StorageAdapter {
  /** Applies pending migrations now (otherwise done on first use unless `migrate: false`). */
  migrate(): Promise<MigrateResult>;
  /** True while the LISTEN/NOTIFY connection is up (false before the first `subscribe`). */
  readonly listening: boolean;
  /** The schema this adapter uses. */
  readonly schema: string;
  transitionMany(filter: JobFilter, request: TransitionRequest & { limit: number }): Promise<Job[]>;
  subscribe(listener: (wakeUp: WakeUp) => void): () => void;
  listWorkers(request: { since: number }): Promise<WorkerInfo[]>;
  ping(): Promise<void>;
  releaseWorker(workerId: string, request: { now: number }): Promise<void>;
  throughput(request: ThroughputRequest): Promise<ThroughputBucket[]>;
  close(): Promise<void>;
}

/**
 * A {@link StorageAdapter} on PostgreSQL ≥ 13: jobs, retry history and workers in one schema,
 * claims with `FOR UPDATE SKIP LOCKED`, writes fenced by the claim's lease token, LISTEN/NOTIFY
 * wake-ups, transactional enqueue, batched completions. Many processes on many machines may share
 * one database.
 *
 * Defaults: `schema: 'redrive'`, `migrate: true` (applied on first use), `completeBatchDelayMs: 0`
 * (adaptive batching), `completeBatchSize: 500`, `poolSize: 10` (connectionString only).
 * `pg` is a peer dependency, imported only when you pass `connectionString`.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createQueue } from '@redrive/core';
 * import { postgresAdapter } from '@redrive/adapter-postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const queue = createQueue({ adapter: postgresAdapter({ pool }) });
 * // Inside your own transaction: the job exists only if it commits.
 * await client.query('BEGIN');
 * await queue.enqueue('email.send', { to }, { db: client });
 * await client.query('COMMIT');
 * ```
 */
export function postgresAdapter(options: PostgresAdapterOptions): PostgresAdapter {
  return new PostgresStore(options, resolveOptions(options));
}

class PostgresStore implements PostgresAdapter {
  readonly name = 'postgres';
  readonly capabilities = {
    subscribe: true,
    transactionalEnqueue: true,
    bulkTransition: true,
    workers: true,
    releaseWorker: true,
    crashRefunds: true,
    throughput: true,
  } as const;
  readonly schema: string;

  private ctx: SqlContext | undefined;
  /** The pool, kept after close() for the wake-ups of writes that were still in flight. */
  private pool: PgQueryable | undefined;
  private starting: Promise<SqlContext> | undefined;
  private owned = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly channel: string;
  private readonly batcher: CompletionBatcher;
  private readonly listener: NotifyListener;
  private readonly notifier: Notifier;

  constructor(
    private readonly options: PostgresAdapterOptions,
    private readonly resolved: ResolvedOptions,
  ) {
    this.schema = resolved.schema;
    this.channel = `redrive:${resolved.schema}`;
    this.batcher = new CompletionBatcher(async (batch) => completeJobs(await this.ready(), batch), {
      delayMs: resolved.completeBatchDelayMs,
      maxBatch: resolved.completeBatchSize,
      maxInFlight: 2,
    });
    // After close() the pool it ran on: a write still in flight then sends its wake-up (best effort).
    this.notifier = new Notifier(() => this.pool!, this.channel);
    this.listener = new NotifyListener(
      async () => (await this.ready()).db as PgPool,
      this.channel,
      options.onListenError ?? (() => {}),
    );
  }

  get listening(): boolean {
    return this.listener.connected;
  }

  /** The pool, migrated: resolved once, then a plain field read on every call. */
  private ready(): Promise<SqlContext> | SqlContext {
    if (this.ctx) return this.ctx;
    if (this.closed) return Promise.reject(adapterError('using the adapter', new Error('it was closed')));
    this.starting ??= (async () => {
      const { pool, owned } = await resolvePool(this.options);
      this.owned = owned;
      this.pool = pool;
      if (this.resolved.migrate) await applyMigrations(pool, this.resolved.schema, this.resolved.quoted);
      this.ctx = {
        db: pool,
        s: this.resolved.quoted,
        channel: this.channel,
        asyncCommit: this.resolved.asyncCommit,
      };
      return this.ctx;
    })().catch((error) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  private async run<T>(operation: string, body: (ctx: SqlContext) => Promise<T>): Promise<T> {
    try {
      return await body(await this.ready());
    } catch (error) {
      if ((error as { name?: string }).name === 'ValidationError') throw error;
      if ((error as { code?: string }).code === 'ADAPTER_ERROR') throw error;
      throw adapterError(operation, error);
    }
  }

  async migrate(): Promise<MigrateResult> {
    const ctx = await this.run('migrate', async (c) => c);
    return applyMigrations(ctx.db as PgPool, this.resolved.schema, this.resolved.quoted);
  }

  enqueue(jobs: NewJobRecord[], options?: EnqueueOptions): Promise<EnqueueResult[]> {
    if (!Array.isArray(jobs)) return Promise.reject(invalid('jobs', 'must be an array'));
    const db = options?.db;
    if (db !== undefined && typeof (db as { query?: unknown })?.query !== 'function') {
      return Promise.reject(invalid('db', 'must be a pg client (with query()) inside your transaction'));
    }
    if (jobs.length === 0) return Promise.resolve([]);
    return this.run('enqueue', async (ctx) => {
      if (db !== undefined) {
        return enqueueJobs({ ...ctx, db: db as PgQueryable }, jobs, { carried: undefined });
      }
      // With idempotency keys the insert skips taken keys and the rounds after it look them up
      // (enqueue.ts): one transaction, so a record that fails there leaves nothing behind. A
      // single record has nothing to leave behind and saves the BEGIN/COMMIT round trips.
      const inOne = jobs.length > 1 && jobs.some((j) => j.idempotencyKey !== null);
      return this.notifier.enqueue(
        () => wakeUpFor(jobs),
        (notify) =>
          inOne
            ? inTransaction(ctx.db as PgPool, (client) =>
                enqueueJobs({ ...ctx, db: client }, jobs, notify, true),
              )
            : enqueueJobs(ctx, jobs, notify, true),
      );
    });
  }

  claim(request: ClaimRequest): Promise<ClaimedJob[]> {
    if (!Number.isInteger(request.limit) || request.limit < 1) {
      return Promise.reject(invalid('limit', 'must be an integer >= 1'));
    }
    if (!(request.leaseMs > 0)) return Promise.reject(invalid('leaseMs', 'must be > 0'));
    return this.run('claim', (ctx) => claimJobs(ctx, request));
  }

  heartbeat(request: HeartbeatRequest): Promise<HeartbeatResult> {
    return this.run('heartbeat', (ctx) => heartbeat(ctx, request));
  }

  complete(id: string, request: CompleteRequest): Promise<CompleteResult> {
    return this.run('complete', () =>
      this.batcher.add({ id, leaseToken: request.leaseToken, result: request.result, now: request.now }),
    );
  }

  fail(id: string, request: FailRequest): Promise<FailResult> {
    if (!Number.isInteger(request.historyLimit) || request.historyLimit < 1) {
      return Promise.reject(invalid('historyLimit', 'must be an integer >= 1'));
    }
    return this.run('fail', async (ctx) => {
      const result = await failJob(ctx, id, request);
      if (result.ok && result.status === 'queued' && request.outcome.kind === 'retry')
        this.notifier.owe({ runAt: request.outcome.runAt });
      return result;
    });
  }

  release(id: string, request: ReleaseRequest): Promise<ReleaseResult> {
    return this.run('release', async (ctx) => {
      const result = await releaseJob(ctx, id, request);
      if (result.ok && result.status === 'queued') this.notifier.owe({ runAt: request.runAt ?? request.now });
      return result;
    });
  }

  progress(id: string, request: ProgressRequest): Promise<FencedWriteResult> {
    return this.run('progress', (ctx) =>
      fencedWrite(ctx, 'progress', id, request.leaseToken, request.now, request.progress),
    );
  }

  checkpoint(id: string, request: CheckpointRequest): Promise<FencedWriteResult> {
    return this.run('checkpoint', (ctx) =>
      fencedWrite(ctx, 'checkpoint', id, request.leaseToken, request.now, request.checkpoint),
    );
  }

  transition(id: string, request: TransitionRequest): Promise<TransitionResult> {
    return this.run('transition', async (ctx) => {
      const result = await transitionJob(ctx, id, request);
      if (result.ok && result.job.status === 'queued') {
        this.notifier.owe({ queue: result.job.queue, runAt: result.job.runAt });
      }
      return result;
    });
  }

  transitionMany(filter: JobFilter, request: TransitionRequest & { limit: number }): Promise<Job[]> {
    if (!Number.isInteger(request.limit) || request.limit < 1) {
      return Promise.reject(invalid('limit', 'must be an integer >= 1'));
    }
    return this.run('transitionMany', async (ctx) => {
      const jobs = await transitionMany(ctx, filter, request);
      if (jobs.some((j) => j.status === 'queued')) this.notifier.owe({});
      return jobs;
    });
  }

  recoverExpiredLeases(request: RecoverRequest): Promise<RecoveredJob[]> {
    if (!Number.isInteger(request.limit) || request.limit < 1) {
      return Promise.reject(invalid('limit', 'must be an integer >= 1'));
    }
    if (!(request.leaseMs > 0)) return Promise.reject(invalid('leaseMs', 'must be > 0'));
    if (typeof request.workerId !== 'string' || request.workerId.length === 0) {
      return Promise.reject(invalid('workerId', 'must be a non-empty string'));
    }
    return this.run('recoverExpiredLeases', (ctx) => recoverExpiredLeases(ctx, request));
  }

  getJob(id: string): Promise<Job | null> {
    return this.run('getJob', (ctx) => getJob(ctx, id));
  }

  listJobs(request: ListRequest): Promise<JobPage> {
    if (!Number.isInteger(request.limit) || request.limit < 1) {
      return Promise.reject(invalid('limit', 'must be an integer >= 1'));
    }
    return this.run('listJobs', (ctx) => listJobs(ctx, request, false));
  }

  listDeadLetters(request: ListRequest): Promise<JobPage> {
    if (!Number.isInteger(request.limit) || request.limit < 1) {
      return Promise.reject(invalid('limit', 'must be an integer >= 1'));
    }
    return this.run('listDeadLetters', (ctx) => listJobs(ctx, request, true));
  }

  getRetryHistory(id: string): Promise<RetryHistoryEntry[]> {
    return this.run('getRetryHistory', (ctx) => getHistory(ctx, id));
  }

  stats(filter: JobFilter): Promise<AdapterStats> {
    return this.run('stats', (ctx) => jobStats(ctx, filter));
  }

  throughput(request: ThroughputRequest): Promise<ThroughputBucket[]> {
    return this.run('throughput', (ctx) => jobThroughput(ctx, request));
  }

  deleteJobs(ids: string[], options?: DeleteJobsOptions): Promise<number> {
    if (!Array.isArray(ids)) return Promise.reject(invalid('ids', 'must be an array'));
    if (ids.length === 0) return Promise.resolve(0);
    return this.run('deleteJobs', (ctx) => deleteJobs(ctx, ids, options?.status));
  }

  purge(request: PurgeRequest): Promise<number> {
    if (!Number.isInteger(request.limit) || request.limit < 1)
      return Promise.reject(invalid('limit', 'must be an integer >= 1'));
    return this.run('purge', (ctx) =>
      purgeJobs(ctx, request.status, request.olderThan, request.limit, request.tenantId),
    );
  }

  subscribe(listener: (wakeUp: WakeUp) => void): () => void {
    return this.listener.subscribe(listener);
  }

  listWorkers(request: { since: number }): Promise<WorkerInfo[]> {
    return this.run('listWorkers', (ctx) => listWorkers(ctx, request.since));
  }

  /** The runner `workerId` stopped: forget the worker, so health no longer lists it. No job changes. */
  releaseWorker(workerId: string, _request: { now: number }): Promise<void> {
    return this.run('releaseWorker', (ctx) => forgetWorker(ctx, workerId));
  }

  async ping(): Promise<void> {
    await this.run('ping', (ctx) => ctx.db.query('SELECT 1'));
  }

  /**
   * Writes pending completions, sends the wake-ups still owed, stops LISTEN, and ends the pool if
   * the adapter opened it. Calls made while it runs share its promise.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.listener.stop();
      if (this.ctx) {
        await this.batcher.drain();
        await this.notifier.close();
        if (this.owned) await (this.ctx.db as PgPool).end();
      }
      this.closed = true;
      this.ctx = undefined;
    })();
    return this.closing;
  }
}

function invalid(path: string, message: string): ValidationError {
  return new ValidationError(`[redrive] [postgres] ${path} ${message}`, { issues: [{ path, message }] });
}
