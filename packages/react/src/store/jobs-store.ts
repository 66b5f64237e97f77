import { JobsClientError, toJobsClientError } from '../client/jobs-client-error.js';
import type { JobOverlay } from './job-overlay.js';
import { INITIAL_STATE, type ResourceState } from './resource-state.js';

/** The most distinct queries kept; older ones (a search typed letter by letter) are dropped. */
const MAX_ENTRIES = 64;

/**
 * The shared cache behind the hooks: server data by key, optimistic overlays and pending actions
 * by job id. Framework-free; React reads it through `useSyncExternalStore`. Every change replaces
 * the changed object, so a snapshot compares by identity.
 */
export class JobsStore {
  private readonly entries = new Map<string, ResourceState<unknown>>();
  private readonly seq = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private readonly refreshers = new Set<() => Promise<unknown>>();
  private overlayMap: ReadonlyMap<string, JobOverlay> = new Map();
  private pendingMap: ReadonlyMap<string, string> = new Map();
  private readonly clock: () => number;

  constructor(clock: () => number = Date.now) {
    this.clock = clock;
  }

  /** Register a listener for any change; returns its removal. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get<T>(key: string): ResourceState<T> {
    return (this.entries.get(key) as ResourceState<T> | undefined) ?? INITIAL_STATE;
  }

  /** The optimistic overlays, by job id. Replaced on every change. */
  overlays = (): ReadonlyMap<string, JobOverlay> => this.overlayMap;

  /** Job ids with an action in flight, and which action. Replaced on every change. */
  pending = (): ReadonlyMap<string, string> => this.pendingMap;

  /**
   * Load `key` with `load`. The latest call wins: an older answer arriving late is dropped. A failed
   * refresh keeps the previous data and records the error.
   */
  async fetch<T>(key: string, load: () => Promise<T>): Promise<void> {
    const n = (this.seq.get(key) ?? 0) + 1;
    this.seq.set(key, n);
    this.put(key, { ...this.get(key), fetching: true });
    try {
      const data = await load();
      if (this.seq.get(key) !== n) return;
      this.put(key, { data, error: undefined, loading: false, fetching: false, updatedAt: this.clock() });
    } catch (error) {
      if (this.seq.get(key) !== n) return;
      const prev = this.get(key);
      this.put(key, { ...prev, error: toJobsClientError(error), loading: false, fetching: false });
    }
  }

  /** Change the data of `key` in place (load more appends a page). */
  update<T>(key: string, change: (data: T | undefined) => T): void {
    const prev = this.get<T>(key);
    this.put(key, { ...prev, data: change(prev.data) });
  }

  /** Record an error on `key` without touching its data. */
  fail(key: string, error: unknown): void {
    this.put(key, { ...this.get(key), error: toJobsClientError(error) });
  }

  /** Show `overlay` for a job and mark `action` pending on it. */
  begin(jobId: string, action: string, overlay: JobOverlay | undefined): void {
    if (this.pendingMap.has(jobId)) {
      throw new JobsClientError(
        'BUSY',
        `[redrive] [react] an action (${this.pendingMap.get(jobId)}) is already running on job ${jobId}`,
      );
    }
    this.pendingMap = new Map(this.pendingMap).set(jobId, action);
    if (overlay) this.overlayMap = new Map(this.overlayMap).set(jobId, overlay);
    this.emit();
  }

  /**
   * End the action on a job: keep `confirmed` (what the backend answered) on screen until the
   * next refresh brings it, or, without it (the action failed), drop the overlay: a rollback.
   */
  end(jobId: string, confirmed: JobOverlay | undefined): void {
    const pending = new Map(this.pendingMap);
    pending.delete(jobId);
    this.pendingMap = pending;
    const overlays = new Map(this.overlayMap);
    if (confirmed) overlays.set(jobId, confirmed);
    else overlays.delete(jobId);
    this.overlayMap = overlays;
    this.emit();
  }

  /** Drop an overlay once fresh data shows the job as it is. */
  settle(jobId: string): void {
    if (!this.overlayMap.has(jobId) || this.pendingMap.has(jobId)) return;
    const overlays = new Map(this.overlayMap);
    overlays.delete(jobId);
    this.overlayMap = overlays;
    this.emit();
  }

  /** Every mounted hook registers how to reload itself, so an action or the Refresh button reloads all. */
  onRefresh(refresh: () => Promise<unknown>): () => void {
    this.refreshers.add(refresh);
    return () => this.refreshers.delete(refresh);
  }

  /** Reload every mounted hook's data. */
  async refreshAll(): Promise<void> {
    await Promise.all([...this.refreshers].map((r) => r().catch(() => undefined)));
  }

  private put(key: string, state: ResourceState<unknown>): void {
    this.entries.delete(key);
    this.entries.set(key, state);
    if (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.seq.delete(oldest);
    }
    this.emit();
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
