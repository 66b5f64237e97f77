import type {
  AdapterStats,
  CheckpointRequest,
  ClaimedJob,
  ClaimRequest,
  CompleteRequest,
  DeleteJobsOptions,
  EnqueueResult,
  FailRequest,
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
  RecoverRequest,
  RecoverResult,
  ReleaseRequest,
  ReleaseWorkerRequest,
  ReleaseWorkerResult,
  RetryHistoryEntry,
  StorageAdapter,
  TransitionRequest,
  TransitionResult,
  WakeUp,
  WorkerInfo,
} from '@redrive/core';
import { jobFromRecord } from '@redrive/core';
import { compileFilter } from './filter.js';
import { appendHistory, JobTable } from './job-table.js';
import { encodeCheckpoint, encodeJson } from './json-value.js';
import { computeStats } from './stats.js';
import { claimedSnapshot, idempotencyIndexKey, type StoredJob, snapshot } from './stored-job.js';
import {
  requireArray,
  requireCount,
  requireFinite,
  requireOptionalCount,
  requireString,
  validateRecords,
} from './validate.js';

/** Options of {@link memoryAdapter}. */
export interface MemoryAdapterOptions {
  /**
   * Most workers `listWorkers` remembers; the least recently seen is forgotten first, so a process
   * that starts many short-lived runners does not grow without bound. Default 1000.
   */
  maxWorkers?: number;
}

const DEFAULT_MAX_WORKERS = 1000;

/**
 * An in-process {@link StorageAdapter}: the default for tests, demos and single-process apps.
 *
 * Claims cost O(log n) (binary heaps by priority, creation time and run-at), writes are fenced by
 * lease token exactly as in the database adapters, and `subscribe` wakes idle runners so they need
 * not poll. It keeps no timers of its own: a runner learns the next `runAt` from the wake-up and
 * sets its own. Nothing survives the process, and it cannot be shared between processes
 * (`capabilities.multiProcess` is false).
 *
 * Like a database it stores copies: `payload`, `metadata` and `result` are kept as JSON and every
 * read (claim, getJob, listings) decodes a fresh copy, so editing an enqueued payload or a claimed
 * job never changes the store, and a `Date` comes back as its ISO string as from a SQL store.
 *
 * @param options - see {@link MemoryAdapterOptions}; all optional.
 * @example
 * import { createQueue } from '@redrive/core';
 * import { memoryAdapter } from '@redrive/adapter-memory';
 *
 * const queue = createQueue({ adapter: memoryAdapter() });
 */
export function memoryAdapter(options: MemoryAdapterOptions = {}): StorageAdapter {
  requireOptionalCount('memoryAdapter', 'options.maxWorkers', options.maxWorkers, 1);
  return new MemoryAdapter(options.maxWorkers ?? DEFAULT_MAX_WORKERS);
}

export class MemoryAdapter extends JobTable implements StorageAdapter {
  readonly name = 'memory';
  readonly capabilities = {
    subscribe: true,
    bulkTransition: true,
    workers: true,
    multiProcess: false,
    transactionalEnqueue: false,
    releaseWorker: true,
  } as const;

  async enqueue(records: NewJobRecord[]): Promise<EnqueueResult[]> {
    this.open('enqueue');
    validateRecords(records, (id) => this.jobs.has(id));
    // Encoded before anything is stored: a value JSON cannot hold refuses the whole call.
    const encoded: unknown[] = new Array(records.length * 2);
    for (let i = 0; i < records.length; i++) {
      encoded[2 * i] = encodeJson(records[i]!.payload, 'enqueue', `records.${i}.payload`);
      encoded[2 * i + 1] = encodeJson(records[i]!.metadata, 'enqueue', `records.${i}.metadata`);
    }
    const results: EnqueueResult[] = new Array(records.length);
    let wakeAt = Number.POSITIVE_INFINITY;
    let wakeQueue: string | undefined;
    let queues = 0;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const key =
        record.idempotencyKey === null ? null : idempotencyIndexKey(record.tenantId, record.idempotencyKey);
      const holder = key === null ? undefined : this.keys.get(key);
      if (holder !== undefined) {
        results[i] = { job: snapshot(holder), created: false };
        continue;
      }
      const stored: StoredJob = {
        job: jobFromRecord(record, encoded[2 * i], encoded[2 * i + 1] as Record<string, unknown>),
        token: null,
        history: [],
        seq: ++this.seq,
        qv: 0,
        gone: false,
      };
      this.add(stored);
      if (key !== null) this.keys.set(key, stored);
      // The clock is the record's own creation time: a job due at creation goes straight to its due heap.
      this.ready.add(stored, record.createdAt);
      results[i] = { job: snapshot(stored), created: true };
      if (record.runAt < wakeAt) wakeAt = record.runAt;
      if (wakeQueue !== record.queue) {
        wakeQueue = record.queue;
        queues++;
      }
    }
    if (wakeAt !== Number.POSITIVE_INFINITY) this.notify(queues === 1 ? wakeQueue : undefined, wakeAt);
    return results;
  }

  async claim(request: ClaimRequest): Promise<ClaimedJob[]> {
    this.open('claim');
    requireString('claim', 'workerId', request.workerId);
    requireCount('claim', 'limit', request.limit, 0);
    requireFinite('claim', 'leaseMs', request.leaseMs);
    requireFinite('claim', 'now', request.now);
    const { now, workerId } = request;
    const taken = this.ready.take(request.limit, now, request.types, request.queues);
    const claimed: ClaimedJob[] = new Array(taken.length);
    for (let i = 0; i < taken.length; i++) {
      const stored = taken[i]!;
      const job = stored.job;
      const token = this.newToken();
      job.status = 'running';
      job.attempt += 1;
      job.startedAt = now;
      job.updatedAt = now;
      job.leaseOwner = workerId;
      job.leaseExpiresAt = now + request.leaseMs;
      stored.token = token;
      this.running.add(stored);
      claimed[i] = claimedSnapshot(stored, token);
    }
    return claimed;
  }

  async heartbeat(request: HeartbeatRequest): Promise<HeartbeatResult> {
    this.open('heartbeat');
    requireString('heartbeat', 'workerId', request.workerId);
    requireFinite('heartbeat', 'leaseMs', request.leaseMs);
    requireFinite('heartbeat', 'now', request.now);
    requireArray('heartbeat', 'leases', request.leases);
    const result: HeartbeatResult = { lost: [], cancelled: [], pauseRequested: [] };
    let active = 0;
    for (const lease of request.leases) {
      const stored = this.jobs.get(lease.id);
      if (stored === undefined || stored.token !== lease.leaseToken) {
        result.lost.push(lease.id);
      } else if (stored.job.status === 'running') {
        stored.job.leaseExpiresAt = request.now + request.leaseMs;
        stored.job.updatedAt = request.now;
        active++;
        if (stored.job.pauseRequested) result.pauseRequested.push(lease.id);
      } else if (stored.job.status === 'cancelled') {
        result.cancelled.push(lease.id);
      } else {
        result.lost.push(lease.id);
      }
    }
    this.seeWorker(request.workerId, request.now, active);
    return result;
  }

  async complete(id: string, request: CompleteRequest): Promise<boolean> {
    this.open('complete');
    const stored = this.leased(id, request.leaseToken);
    if (stored === undefined) return false;
    const result = encodeJson(request.result, 'complete', 'result'); // may refuse: before any change
    const job = stored.job;
    job.status = 'completed';
    job.completedAt = request.now;
    job.updatedAt = request.now;
    job.result = result;
    job.pauseRequested = false; // nothing left to pause
    this.endLease(stored);
    this.syncKey(stored);
    return true;
  }

  async fail(id: string, request: FailRequest): Promise<boolean> {
    this.open('fail');
    requireCount('fail', 'historyLimit', request.historyLimit, 1);
    if (request.outcome?.kind === 'retry') requireFinite('fail', 'outcome.runAt', request.outcome.runAt);
    const stored = this.leased(id, request.leaseToken);
    if (stored === undefined) return false;
    const job = stored.job;
    job.error = request.error.message;
    job.errorStack = request.error.stack;
    job.errorCategory = request.error.category;
    job.lastErrorAt = request.now;
    job.updatedAt = request.now;
    appendHistory(stored, request.history, request.historyLimit);
    const outcome = request.outcome;
    this.endLease(stored);
    if (outcome.kind === 'retry') {
      job.runAt = outcome.runAt;
      if (job.pauseRequested) {
        // A pause was asked for during this attempt: pause instead of re-queueing (as lease recovery
        // does); runAt keeps the backoff, so a resume before it is over still waits for it.
        job.status = 'paused';
        job.pausedAt = request.now;
        job.pauseRequested = false;
      } else this.requeue(stored, request.now);
    } else {
      job.pauseRequested = false;
      job.status = 'failed';
      job.failedAt = request.now;
      job.requiresUserAction = outcome.requiresUserAction;
      job.suggestedAction = outcome.suggestedAction;
      this.syncKey(stored);
    }
    return true;
  }

  async release(id: string, request: ReleaseRequest): Promise<boolean> {
    this.open('release');
    const stored = this.jobs.get(id);
    if (stored === undefined || stored.token !== request.leaseToken) return false;
    const job = stored.job;
    // Acknowledging a cancel: the job stays cancelled, the worker just lets go of it.
    if (job.status === 'cancelled') {
      stored.token = null;
      return true;
    }
    if (job.status !== 'running') return false;
    if (request.to === 'queued' && request.runAt !== undefined)
      requireFinite('release', 'runAt', request.runAt);
    this.endLease(stored);
    job.updatedAt = request.now;
    if (request.refundAttempt && job.attempt > 0) job.attempt -= 1;
    if (request.to === 'paused') {
      job.status = 'paused';
      job.pausedAt = request.now;
      job.pauseReason = request.pauseReason ?? null;
      job.pauseRequested = false;
    } else {
      job.runAt = request.runAt ?? request.now;
      this.requeue(stored, request.now);
    }
    return true;
  }

  async progress(id: string, request: ProgressRequest): Promise<FencedWriteResult> {
    this.open('progress');
    return this.fencedWrite(id, request.leaseToken, request.now, (job) => {
      job.progress = Object.freeze({ ...request.progress });
    });
  }

  async checkpoint(id: string, request: CheckpointRequest): Promise<FencedWriteResult> {
    this.open('checkpoint');
    return this.fencedWrite(id, request.leaseToken, request.now, (job) => {
      job.checkpoint = encodeCheckpoint(request.checkpoint, 'checkpoint');
    });
  }

  async transition(id: string, request: TransitionRequest): Promise<TransitionResult> {
    this.open('transition');
    requireFinite('transition', 'now', request.now);
    requireArray('transition', 'from', request.from);
    const stored = this.jobs.get(id);
    if (stored === undefined) return { ok: false, reason: 'not_found' };
    if (!request.from.includes(stored.job.status)) {
      return { ok: false, reason: 'invalid_state', status: stored.job.status };
    }
    this.applyTransition(stored, request);
    return { ok: true, job: snapshot(stored) };
  }

  async transitionMany(filter: JobFilter, request: TransitionRequest & { limit: number }): Promise<Job[]> {
    this.open('transitionMany');
    requireCount('transitionMany', 'limit', request.limit, 0);
    requireFinite('transitionMany', 'now', request.now);
    requireArray('transitionMany', 'from', request.from);
    const matches = compileFilter(filter);
    const from = new Set(request.from);
    const changed: Job[] = [];
    // Oldest first, so repeated calls with a limit work through a backlog in a stable order.
    const picked: StoredJob[] = [];
    for (const stored of this.jobs.values()) {
      if (from.has(stored.job.status) && matches(stored.job)) picked.push(stored);
    }
    picked.sort((a, b) => a.job.createdAt - b.job.createdAt || (a.job.id < b.job.id ? -1 : 1));
    for (const stored of picked.slice(0, request.limit)) {
      this.applyTransition(stored, request);
      changed.push(snapshot(stored));
    }
    return changed;
  }

  async recoverExpiredLeases(request: RecoverRequest): Promise<RecoverResult> {
    this.open('recoverExpiredLeases');
    requireFinite('recoverExpiredLeases', 'now', request.now);
    requireOptionalCount('recoverExpiredLeases', 'limit', request.limit, 0);
    requireCount('recoverExpiredLeases', 'historyLimit', request.historyLimit, 1);
    const { now } = request;
    const result: RecoverResult = { requeued: [], deadLettered: [], paused: [] };
    let budget = request.limit ?? Number.POSITIVE_INFINITY;
    const expired: StoredJob[] = [];
    for (const stored of this.running) {
      if (budget <= 0) break;
      const expiresAt = stored.job.leaseExpiresAt;
      if (expiresAt !== null && expiresAt <= now) {
        expired.push(stored);
        budget--;
      }
    }
    for (const stored of expired) {
      const outcome = this.recoverLease(stored, request);
      result[outcome].push(stored.job.id);
    }
    if (result.requeued.length > 0) this.notify(undefined, now);
    return result;
  }

  async getJob(id: string): Promise<Job | null> {
    this.open('getJob');
    const stored = this.jobs.get(id);
    return stored === undefined ? null : snapshot(stored);
  }

  async listJobs(request: ListRequest): Promise<JobPage> {
    this.open('listJobs');
    return this.page(request, 'listJobs', everyJob, createdAtOf);
  }

  async listDeadLetters(request: ListRequest): Promise<JobPage> {
    this.open('listDeadLetters');
    return this.page(request, 'listDeadLetters', isDeadLetter, failedAtOf);
  }

  async getRetryHistory(id: string): Promise<RetryHistoryEntry[]> {
    this.open('getRetryHistory');
    const stored = this.jobs.get(id);
    return stored === undefined ? [] : stored.history.map((entry) => ({ ...entry }));
  }

  async stats(filter: JobFilter & { now: number }): Promise<AdapterStats> {
    this.open('stats');
    return computeStats(this.jobs.values(), compileFilter(filter));
  }

  async deleteJobs(ids: string[], options?: DeleteJobsOptions): Promise<number> {
    this.open('deleteJobs');
    requireArray('deleteJobs', 'ids', ids);
    const only = options?.status;
    let deleted = 0;
    for (const id of ids) {
      const stored = this.jobs.get(id);
      if (stored === undefined) continue;
      if (only !== undefined && !only.includes(stored.job.status)) continue;
      this.forget(stored);
      deleted++;
    }
    return deleted;
  }

  async purge(request: PurgeRequest): Promise<number> {
    this.open('purge');
    requireArray('purge', 'status', request.status);
    requireFinite('purge', 'olderThan', request.olderThan);
    requireOptionalCount('purge', 'limit', request.limit, 0);
    const statuses = new Set(request.status);
    let budget = request.limit ?? Number.POSITIVE_INFINITY;
    const doomed: StoredJob[] = [];
    for (const stored of this.jobs.values()) {
      if (budget <= 0) break;
      if (
        statuses.has(stored.job.status) &&
        stored.job.updatedAt < request.olderThan &&
        (request.tenantId === undefined || stored.job.tenantId === request.tenantId)
      ) {
        doomed.push(stored);
        budget--;
      }
    }
    for (const stored of doomed) this.forget(stored);
    return doomed.length;
  }

  subscribe(listener: (wakeUp: WakeUp) => void): () => void {
    this.open('subscribe');
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async listWorkers(request: { since: number }): Promise<WorkerInfo[]> {
    this.open('listWorkers');
    requireFinite('listWorkers', 'since', request.since);
    const seen: WorkerInfo[] = [];
    if (this.workers.size === 0) return seen;
    // Counted from the store now, not as of the last heartbeat: finished jobs drop out at once.
    const active = new Map<string, number>();
    for (const stored of this.running) {
      const owner = stored.job.leaseOwner;
      if (owner !== null) active.set(owner, (active.get(owner) ?? 0) + 1);
    }
    for (const info of this.workers.values()) {
      if (info.lastSeenAt >= request.since)
        seen.push({
          workerId: info.workerId,
          lastSeenAt: info.lastSeenAt,
          activeJobs: active.get(info.workerId) ?? 0,
        });
    }
    return seen;
  }

  /**
   * The worker stopped: forget it. This store never claims ahead, so there is nothing to give
   * back; jobs `claim` returned stay the runner's (it has released them already).
   */
  async releaseWorker(workerId: string, request: ReleaseWorkerRequest): Promise<ReleaseWorkerResult> {
    this.open('releaseWorker');
    requireString('releaseWorker', 'workerId', workerId);
    requireFinite('releaseWorker', 'now', request?.now);
    this.workers.delete(workerId);
    return { released: [] };
  }

  async ping(): Promise<void> {
    this.open('ping');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }
}

const everyJob = (): boolean => true;
const createdAtOf = (job: Job): number => job.createdAt;
const isDeadLetter = (job: Job): boolean => job.status === 'failed' && job.failedAt !== null;
const failedAtOf = (job: Job): number => job.failedAt ?? 0;
