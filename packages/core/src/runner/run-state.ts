import type { FencedWriteResult } from '../adapter/storage-adapter.js';
import type { TimerHandle } from '../clock/clock.js';
import { SnoozeError } from '../errors/job-errors.js';
import { LeaseLostError, ValidationError } from '../errors/redrive-error.js';
import type { ClaimedJob, JobProgress } from '../job/job.js';
import { hashCheckpointData } from '../util/sha256.js';
import { findUnstorable, MAX_EPOCH_MS, unstorableReason } from '../util/storable.js';
import { JobAbortError, type JobAbortKind } from './abort-reasons.js';
import type { RunnerHost } from './runner-host.js';
import type { JobContext } from './types.js';

/** Why a run was stopped from outside: an abort kind, or the lease was lost. */
export type StopKind = JobAbortKind | 'leaseLost';

/**
 * One execution of one job, and the `ctx` its handler receives (one object per run keeps the
 * hot path allocation-light). The AbortController is created only when someone reads
 * `ctx.signal` or the run is aborted: a no-op handler never pays for it.
 */
export class RunState implements JobContext {
  readonly job: ClaimedJob;
  stopKind: StopKind | undefined;
  /** Stop gave up waiting and released the job: whatever the handler does later is ignored. */
  abandoned = false;
  /**
   * The share of the runner's concurrency this run holds: a handler slot while its handler runs,
   * a write slot while its outcome is written, none once it finished or was abandoned.
   */
  slot: 'handler' | 'writing' | 'none' = 'handler';
  finished = false;
  /** The run's completion was recorded (its outcome made no other job due). */
  completed = false;
  private controller: AbortController | undefined;
  private abortReason: unknown;
  private forceSettle: ((reason: unknown) => void) | undefined;
  private timeoutTimer: TimerHandle | undefined;
  private pendingProgress: JobProgress | undefined;
  private progressTimer: TimerHandle | undefined;
  private lastProgressAt = -Infinity;
  private validCheckpointData: unknown;
  private validCheckpointStage: string | undefined;
  /** A pause-safe checkpoint exists (stored before this run, or saved by it). */
  private pauseSafe: boolean;
  private pauseWanted = false;

  constructor(
    private readonly host: RunnerHost,
    job: ClaimedJob,
  ) {
    this.job = job;
    this.pauseSafe = job.checkpoint?.pauseSafe === true;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason !== undefined) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  get attempt(): number {
    return this.job.attempt;
  }

  get workerId(): string {
    return this.host.settings.workerId;
  }

  get checkpointData(): unknown {
    return this.validCheckpointData;
  }

  get checkpointStage(): string | undefined {
    return this.validCheckpointStage;
  }

  /** Check the stored checkpoint's hash; only valid data reaches the handler. */
  async loadCheckpoint(): Promise<void> {
    const cp = this.job.checkpoint;
    if (!cp) return;
    let reason: string | undefined;
    try {
      if ((await hashCheckpointData(cp.data)) === cp.hash) {
        this.validCheckpointData = cp.data;
        this.validCheckpointStage = cp.stage;
        return;
      }
      reason = `checkpoint "${cp.stage}" failed its SHA-256 check: starting fresh`;
    } catch (error) {
      reason = `checkpoint "${cp.stage}" could not be hashed (${String(error)}): starting fresh`;
    }
    this.pauseSafe = false;
    this.host.events.emit('checkpointInvalid', this.job, reason);
  }

  /** Abort the handler's signal (first reason wins). */
  abort(kind: StopKind): void {
    if (this.stopKind !== undefined || this.finished) return;
    this.stopKind = kind;
    const id = this.job.id;
    this.abortReason =
      kind === 'leaseLost'
        ? new LeaseLostError(`[redrive] [runner] lost the lease of job ${id}`, { id })
        : new JobAbortError(kind, id, abortMessage(kind, id, this.job.timeoutMs));
    this.controller?.abort(this.abortReason);
    if (kind === 'timeout' && this.forceSettle) this.forceSettle(this.abortReason);
  }

  /** The job has a pause-safe checkpoint, so a pause may have been requested while it ran. */
  get pausable(): boolean {
    return this.pauseSafe || this.pauseWanted;
  }

  /** A pause was requested: abort now if the job has a pause-safe checkpoint, else at the next one. */
  requestPause(): void {
    this.pauseWanted = true;
    if (this.pauseSafe) this.abort('paused');
  }

  /** Arm the per-attempt timeout; the handler's promise is raced against it. */
  armTimeout(ms: number): void {
    this.timeoutTimer = this.host.clock.setTimeout(() => {
      this.timeoutTimer = undefined;
      this.abort('timeout');
    }, ms);
  }

  /** Settle with the handler, or with the timeout even when the handler ignores its signal. */
  race<T>(value: PromiseLike<T>): Promise<T> {
    if (this.stopKind === 'timeout') return Promise.reject(this.abortReason);
    return new Promise<T>((resolve, reject) => {
      this.forceSettle = reject;
      value.then(resolve, reject);
    });
  }

  /** The handler settled: stop timers. Pending progress is flushed by {@link flushProgress}. */
  disarm(): void {
    if (this.timeoutTimer !== undefined) this.host.clock.clearTimeout(this.timeoutTimer);
    if (this.progressTimer !== undefined) this.host.clock.clearTimeout(this.progressTimer);
    this.timeoutTimer = undefined;
    this.progressTimer = undefined;
    this.forceSettle = undefined;
  }

  /**
   * Throws a bad value synchronously (a ValidationError, failing the handler as any throw does):
   * a rejected promise would be an unhandled rejection for a handler that does not await it.
   */
  progress(progress: JobProgress): Promise<void> {
    checkProgress(progress);
    const value: JobProgress = { ...progress };
    this.pendingProgress = value;
    if (this.host.events.has('progress')) this.host.events.emit('progress', this.job, value);
    if (this.progressTimer !== undefined || this.finished) return Promise.resolve();
    const wait = this.lastProgressAt + this.host.settings.progressThrottleMs - this.host.clock.now();
    if (wait <= 0) return this.flushProgress();
    this.progressTimer = this.host.clock.setTimeout(() => {
      this.progressTimer = undefined;
      void this.flushProgress();
    }, wait);
    return Promise.resolve();
  }

  /** A progress value waits to be written. */
  get hasPendingProgress(): boolean {
    return this.pendingProgress !== undefined;
  }

  /** Write the last progress value, if one is waiting (always before the outcome is recorded). */
  async flushProgress(): Promise<void> {
    const value = this.pendingProgress;
    if (!value || this.abandoned) return;
    this.pendingProgress = undefined;
    this.lastProgressAt = this.host.clock.now();
    try {
      const result = await this.host.adapter.progress(this.job.id, {
        leaseToken: this.job.leaseToken,
        progress: value,
        now: this.lastProgressAt,
      });
      this.onFencedWrite(result);
    } catch (error) {
      // Progress is advisory: a failed write must not fail the job.
      this.host.events.emit('error', error, this.job);
    }
  }

  async checkpoint(stage: string, data: unknown, options?: { pauseSafe?: boolean }): Promise<void> {
    if (typeof stage !== 'string' || stage.length === 0 || stage.length > 200) {
      throw invalid('checkpoint.stage', 'must be a non-empty string of at most 200 chars');
    }
    const stageReason = unstorableReason(stage);
    if (stageReason !== undefined) throw invalid('checkpoint.stage', stageReason);
    const pauseSafe = options?.pauseSafe === true;
    let hash: string;
    try {
      hash = await hashCheckpointData(data);
    } catch (error) {
      throw invalid('checkpoint.data', `must be JSON-serialisable (${String(error)})`);
    }
    // After the hash: it proved the data is JSON (no cycles) for this walk.
    const bad = findUnstorable(data, 'checkpoint.data');
    if (bad !== undefined) throw invalid(bad.path, bad.reason);
    const now = this.host.clock.now();
    const result = await this.host.adapter.checkpoint(this.job.id, {
      leaseToken: this.job.leaseToken,
      checkpoint: { stage, data, hash, pauseSafe, savedAt: now },
      now,
    });
    if (result.ok) {
      this.validCheckpointData = data;
      this.validCheckpointStage = stage;
      this.pauseSafe = pauseSafe;
      this.host.events.emit('checkpoint', this.job, stage);
    }
    this.onFencedWrite(result);
  }

  snooze(ms: number): never {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > MAX_EPOCH_MS / 2)
      throw invalid('snooze.ms', 'must be a number of ms in 0…4.32e15');
    throw new SnoozeError(ms);
  }

  /** React to what a fenced write learnt: lease lost, cancelled, pause requested. */
  onFencedWrite(result: FencedWriteResult): void {
    if (result.cancelled) this.abort('cancelled');
    else if (!result.ok) this.abort('leaseLost');
    else if (result.pauseRequested || this.pauseWanted) this.requestPause();
  }
}

function abortMessage(kind: JobAbortKind, id: string, timeoutMs: number | null): string {
  switch (kind) {
    case 'cancelled':
      return `job ${id} was cancelled`;
    case 'paused':
      return `job ${id} is pausing at its checkpoint`;
    case 'timeout':
      return `job ${id} timed out after ${timeoutMs} ms`;
    case 'stopped':
      return `the runner is stopping: job ${id} is released`;
  }
}

function checkProgress(p: JobProgress): void {
  if (typeof p !== 'object' || p === null)
    throw invalid('progress', 'must be an object { percent, stage?, substage?, details? }');
  if (typeof p.percent !== 'number' || !(p.percent >= 0 && p.percent <= 100)) {
    throw invalid('progress.percent', 'must be a number in 0…100');
  }
  for (const key of ['stage', 'substage', 'details'] as const) {
    const v = p[key];
    if (v !== undefined && (typeof v !== 'string' || v.length > 2000))
      throw invalid(`progress.${key}`, 'must be a string (≤ 2000 chars)');
    const reason = typeof v === 'string' ? unstorableReason(v) : undefined;
    if (reason !== undefined) throw invalid(`progress.${key}`, reason);
  }
}

function invalid(path: string, message: string): ValidationError {
  return new ValidationError(`[redrive] [runner] ${path}: ${message}`, { issues: [{ path, message }] });
}
