import {
  AdapterError,
  type FencedWriteResult,
  type Job,
  type JobPage,
  type ListRequest,
  type RetryHistoryEntry,
  type TransitionRequest,
  type WakeUp,
  type WorkerInfo,
} from '@redrive/core';
import { compileFilter } from './filter.js';
import { encodeCheckpoint, encodeJson } from './json-value.js';
import { decodeCursor, encodeCursor, selectPage } from './page.js';
import { ReadyQueue } from './ready-queue.js';
import { copyJob, idempotencyIndexKey, isLive, type StoredJob } from './stored-job.js';
import { requireCount } from './validate.js';

/**
 * The memory adapter's state and the invariants that tie its indexes together: every job in
 * `jobs`; queued ones filed in `ready`; running ones in `running`; live ones holding their
 * idempotency key in `keys`. The contract's methods (memory-adapter.ts) change a job only
 * through these helpers, so no index is forgotten on any path.
 */
export abstract class JobTable {
  /** Every job, in insertion order (purge and listings scan it). */
  protected readonly jobs = new Map<string, StoredJob>();
  protected readonly ready = new ReadyQueue();
  /** Jobs in `running`: what lease recovery scans, instead of every job. */
  protected readonly running = new Set<StoredJob>();
  /** (tenant, idempotency key) → the live job holding it; see {@link idempotencyIndexKey}. */
  protected readonly keys = new Map<string, StoredJob>();
  protected readonly workers = new Map<string, WorkerInfo>();
  protected readonly listeners = new Set<(wakeUp: WakeUp) => void>();
  /**
   * Every job in insertion order, deleted ones left as tombstones until they are half the list.
   * Listings walk it backwards: newest first is then the common order, so almost every job is
   * rejected by one comparison instead of displacing the page being built.
   */
  private order: StoredJob[] = [];
  private tombstones = 0;
  protected seq = 0;
  protected closed = false;
  private readonly tokenPrefix = newTokenPrefix();
  private tokenCount = 0;

  constructor(private readonly maxWorkers: number) {}

  /** The raw map, for `memoryInternals` only. */
  get store(): ReadonlyMap<string, StoredJob> {
    return this.jobs;
  }

  /** Internal size figures, for the adapter's own memory tests. */
  get internals(): { jobs: number; order: number; readyEntries: number; running: number; keys: number } {
    return {
      jobs: this.jobs.size,
      order: this.order.length,
      readyEntries: this.ready.entryCount,
      running: this.running.size,
      keys: this.keys.size,
    };
  }

  /** Unique within this store for its lifetime: a random prefix and a counter (cheaper than a UUID per claim). */
  protected newToken(): string {
    return `${this.tokenPrefix}${(++this.tokenCount).toString(36)}`;
  }

  protected open(where: string): void {
    if (this.closed) {
      throw new AdapterError(`[redrive] [memory] ${where}: the adapter is closed`, { adapter: 'memory' });
    }
  }

  /** The job when `token` is its current lease and it is still running; otherwise undefined (fenced). */
  protected leased(id: string, token: string): StoredJob | undefined {
    const stored = this.jobs.get(id);
    if (stored === undefined || stored.token !== token || stored.job.status !== 'running') return undefined;
    return stored;
  }

  protected fencedWrite(
    id: string,
    token: string,
    now: number,
    write: (job: Job) => void,
  ): FencedWriteResult {
    const stored = this.jobs.get(id);
    if (stored === undefined || stored.token !== token) return { ok: false };
    if (stored.job.status === 'cancelled') return { ok: false, cancelled: true };
    if (stored.job.status !== 'running') return { ok: false };
    write(stored.job);
    stored.job.updatedAt = now;
    return { ok: true, cancelled: false, pauseRequested: stored.job.pauseRequested };
  }

  /** Leaving `running`: drop the owner and expiry; the token stays until the next claim or recovery. */
  protected endLease(stored: StoredJob): void {
    stored.job.leaseOwner = null;
    stored.job.leaseExpiresAt = null;
    this.running.delete(stored);
  }

  /** Back to `queued` (the caller has set `runAt`): file it for claims and wake the runners. */
  protected requeue(stored: StoredJob, now: number): void {
    stored.job.status = 'queued';
    this.ready.add(stored, now);
    this.notify(stored.job.queue, stored.job.runAt);
  }

  protected applyTransition(stored: StoredJob, request: TransitionRequest): void {
    const job = stored.job;
    const was = job.status;
    if (was === 'running' && request.to !== 'running') this.endLease(stored);
    if (request.patch) {
      const { result: raw, checkpoint: rawCheckpoint } = request.patch;
      const result = raw === undefined ? undefined : encodeJson(raw, 'transition', 'patch.result');
      const checkpoint = rawCheckpoint ? encodeCheckpoint(rawCheckpoint, 'transition') : rawCheckpoint;
      Object.assign(job, request.patch);
      if (result !== undefined) job.result = result;
      if (checkpoint !== undefined) job.checkpoint = checkpoint;
    }
    if (request.increment) for (const counter of request.increment) job[counter] += 1;
    job.status = request.to;
    job.updatedAt = request.now;
    if (request.to === 'queued') {
      // Also when it was already queued: priority or runAt may have changed, so re-file it.
      this.requeue(stored, request.now);
    } else if (was === 'queued') {
      this.ready.remove(stored);
    }
    if (request.to === 'running' && was !== 'running') this.running.add(stored);
    this.syncKey(stored);
  }

  /** Keep the idempotency index equal to "live jobs by key" after a status change. */
  protected syncKey(stored: StoredJob): void {
    const key = indexKeyOf(stored.job);
    if (key === null) return;
    const holder = this.keys.get(key);
    if (isLive(stored.job.status)) {
      if (holder === undefined) this.keys.set(key, stored);
    } else if (holder === stored) {
      this.keys.delete(key);
    }
  }

  /** A new job, in the store and the insertion order (the caller files it in the ready queue). */
  protected add(stored: StoredJob): void {
    this.jobs.set(stored.job.id, stored);
    this.order.push(stored);
  }

  /** Delete a job from every index (its heap entry goes stale and is dropped lazily). */
  protected forget(stored: StoredJob): void {
    this.jobs.delete(stored.job.id);
    stored.gone = true;
    this.tombstones++;
    if (this.tombstones === this.order.length) {
      // The store is empty again: drop the list outright.
      this.order = [];
      this.tombstones = 0;
    } else if (this.tombstones >= COMPACT_MIN_TOMBSTONES && this.tombstones * 2 >= this.order.length) {
      this.order = this.order.filter((s) => !s.gone);
      this.tombstones = 0;
    }
    this.running.delete(stored);
    this.ready.remove(stored);
    const key = indexKeyOf(stored.job);
    if (key !== null && this.keys.get(key) === stored) this.keys.delete(key);
    stored.token = null;
  }

  /** One page of a listing, newest first by `atOf` (jobs `include` rejects are not listed). */
  protected page(
    request: ListRequest,
    where: string,
    include: (job: Job) => boolean,
    atOf: (job: Job) => number,
  ): JobPage {
    requireCount(where, 'limit', request.limit, 1);
    const after = request.cursor ? decodeCursor(request.cursor, where) : null;
    const matches = compileFilter(request);
    const { page, more } = selectPage(
      this.order,
      (job) => include(job) && matches(job),
      atOf,
      after,
      request.limit,
    );
    const last = page[page.length - 1];
    return {
      jobs: page.map(copyJob),
      nextCursor: more && last !== undefined ? encodeCursor({ at: atOf(last), id: last.id }) : null,
    };
  }

  protected seeWorker(workerId: string, now: number, activeJobs: number): void {
    // Delete then set: a Map iterates in insertion order, so the first entry is the least recently seen.
    this.workers.delete(workerId);
    this.workers.set(workerId, { workerId, lastSeenAt: now, activeJobs });
    if (this.workers.size > this.maxWorkers) {
      const oldest = this.workers.keys().next().value;
      if (oldest !== undefined) this.workers.delete(oldest);
    }
  }

  protected notify(queue: string | undefined, runAt: number): void {
    if (this.listeners.size === 0) return;
    const wakeUp: WakeUp = queue === undefined ? { runAt } : { queue, runAt };
    for (const listener of this.listeners) {
      try {
        listener(wakeUp);
      } catch {
        // A listener's failure is its own: the write it reports has already happened.
      }
    }
  }
}

/** Below this many tombstones, compacting the insertion order is not worth a pass. */
const COMPACT_MIN_TOMBSTONES = 1024;

/** Append a history entry, keeping the newest `limit`. */
export function appendHistory(stored: StoredJob, entry: RetryHistoryEntry, limit: number): void {
  stored.history.push({ ...entry });
  if (stored.history.length > limit) stored.history.splice(0, stored.history.length - limit);
}

function newTokenPrefix(): string {
  const uuid = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto?.randomUUID?.();
  return `${uuid ?? Math.random().toString(36).slice(2)}:`;
}

function indexKeyOf(job: Job): string | null {
  return job.idempotencyKey === null ? null : idempotencyIndexKey(job.tenantId, job.idempotencyKey);
}
