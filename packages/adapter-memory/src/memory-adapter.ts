import type {
  AdapterStats,
  DeleteJobsOptions,
  EnqueueResult,
  Job,
  JobFilter,
  JobPage,
  ListRequest,
  NewJobRecord,
  PurgeRequest,
  ReleaseWorkerRequest,
  RetryHistoryEntry,
  StorageAdapter,
  ThroughputBucket,
  ThroughputRequest,
  TransitionRequest,
  TransitionResult,
  WakeUp,
  WorkerInfo,
} from '@redrive/core';
import { jobFromRecord } from '@redrive/core';
import { compileFilter } from './filter.js';
import { encodeJson } from './json-value.js';
import { LeasedWrites } from './leased-writes.js';
import { computeStats } from './stats.js';
import { idempotencyIndexKey, type StoredJob, snapshot } from './stored-job.js';
import { computeThroughput } from './throughput.js';
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
 * sets its own. Nothing survives the process, and it cannot be shared between processes.
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

export class MemoryAdapter extends LeasedWrites implements StorageAdapter {
  readonly name = 'memory';
  readonly capabilities = {
    subscribe: true,
    bulkTransition: true,
    workers: true,
    transactionalEnqueue: false,
    releaseWorker: true,
    crashRefunds: true,
    throughput: true,
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
        startReported: false,
        crashRefunds: 0,
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
    // Newest first (createdAt desc, then id desc): the jobs a listing shows first are acted on first.
    const picked: StoredJob[] = [];
    for (const stored of this.jobs.values()) {
      if (from.has(stored.job.status) && matches(stored.job)) picked.push(stored);
    }
    picked.sort((a, b) => b.job.createdAt - a.job.createdAt || (a.job.id < b.job.id ? 1 : -1));
    for (const stored of picked.slice(0, request.limit)) {
      this.applyTransition(stored, request);
      changed.push(snapshot(stored));
    }
    return changed;
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

  async stats(filter: JobFilter): Promise<AdapterStats> {
    this.open('stats');
    return computeStats(this.jobs.values(), compileFilter(filter));
  }

  async throughput(request: ThroughputRequest): Promise<ThroughputBucket[]> {
    this.open('throughput');
    return computeThroughput(this.jobs.values(), request);
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
    requireCount('purge', 'limit', request.limit, 1);
    const statuses = new Set(request.status);
    const doomed: StoredJob[] = [];
    for (const stored of this.jobs.values()) {
      if (
        statuses.has(stored.job.status) &&
        stored.job.updatedAt < request.olderThan &&
        (request.tenantId === undefined || stored.job.tenantId === request.tenantId)
      )
        doomed.push(stored);
    }
    // Oldest first (createdAt, then insertion order), so repeated calls with a limit work through a
    // backlog in a stable order.
    doomed.sort((a, b) => a.job.createdAt - b.job.createdAt || a.seq - b.seq);
    const deleted = doomed.slice(0, request.limit);
    for (const stored of deleted) this.forget(stored);
    return deleted.length;
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

  /** The worker stopped: forget it. No job changes (the runner has given back what it did not start). */
  async releaseWorker(workerId: string, request: ReleaseWorkerRequest): Promise<void> {
    this.open('releaseWorker');
    requireString('releaseWorker', 'workerId', workerId);
    requireFinite('releaseWorker', 'now', request?.now);
    this.workers.delete(workerId);
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
