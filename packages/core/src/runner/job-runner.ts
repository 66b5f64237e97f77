import { resolveCapabilities } from '../adapter/capabilities.js';
import type { TimerHandle } from '../clock/clock.js';
import { clampTimerMs } from '../config/duration.js';
import { InvalidStateError, ValidationError } from '../errors/redrive-error.js';
import type { ClaimedJob, Job } from '../job/job.js';
import type { JobMap } from '../queue/job-map.js';
import { Emitter } from '../util/emitter.js';
import { MAX_TIMER_MS } from '../util/storable.js';
import { yieldToEventLoop } from '../util/yield.js';
import { ClaimAhead } from './claim-ahead.js';
import { sendHeartbeat } from './heartbeat.js';
import { callHook } from './record-failure.js';
import { recoverExpired } from './recover-leases.js';
import { runJob } from './run-job.js';
import type { RunState } from './run-state.js';
import { countersSince, type RunnerCounters, type RunnerHost, zeroCounters } from './runner-host.js';
import { type RunnerSettings, resolveRunnerOptions } from './runner-options.js';
import { abandonRun, releaseUnstarted, releaseWorker } from './shutdown.js';
import type { DrainOptions, DrainSummary, JobRunnerOptions, RunnerEvents } from './types.js';

/**
 * A busy runner gives the event loop a turn (timers, I/O) after this many jobs or this many ms of
 * wall time, whichever comes first. The count matters where `Date.now()` stands still during
 * synchronous work (Workers); the time bound matters when handlers are slow and synchronous.
 */
const JOBS_PER_YIELD = 2048;
const MS_PER_YIELD = 10;

type RunnerState = 'idle' | 'running' | 'draining' | 'stopping';

/**
 * Runs jobs from a queue: claims due jobs up to `concurrency`, runs their handlers, records each
 * outcome through one fenced adapter call, heartbeats its leases, recovers expired ones.
 * Use `start()`/`stop()` for a long-lived worker, or `drain()` for serverless (one pass).
 *
 * Defaults: concurrency 10, leaseMs 30000, heartbeatMs 5000, pollIntervalMs 1000, claimAhead =
 * 16 × concurrency (an adaptive cap, see the option), claimBatchSize = concurrency + claimAhead,
 * progressThrottleMs 250, a random workerId.
 *
 * @example
 * const runner = new JobRunner({
 *   queue,
 *   handlers: {
 *     'send-email': async (job, ctx) => {
 *       await mailer.send(job.payload, { signal: ctx.signal });
 *     },
 *   },
 *   concurrency: 20,
 * });
 * runner.on('deadLettered', (dl) => console.warn(dl.id, dl.suggestedAction));
 * runner.start();
 * // on shutdown:
 * await runner.stop({ timeoutMs: 10_000 });
 *
 * `Jobs` is the queue's job map, inferred from `queue`: with one, each handler's `job.payload` and
 * return value are typed, and a handler for a type the map does not have is a compile error.
 */
export class JobRunner<Jobs extends JobMap<Jobs> = any> implements RunnerHost {
  /** @internal Validated options with defaults (read-only). */
  readonly settings: RunnerSettings;
  /** @internal Use {@link JobRunner.on}. */
  readonly events: Emitter<RunnerEvents>;
  /** Running totals since the runner was created (what `drain()` reports per call). */
  readonly counters: RunnerCounters = zeroCounters();
  /** @internal Runs in progress, by job id. */
  readonly active = new Map<string, RunState>();
  /**
   * Slots in use, counted per run (not from `active`, whose entry for a job id a new claim of the
   * same job may replace while the old run is still writing): handlers running, outcomes being written.
   */
  private handlerSlots = 0;
  /** Runs ended so far: lets a drain tell that a run ended while its claim was in flight. */
  private runsFinished = 0;
  private writeSlots = 0;
  private state: RunnerState = 'idle';
  private claiming: Promise<void> | undefined;
  private pumpQueued = false;
  private wakePending = false;
  private startedSinceYield = 0;
  private lastYieldAt = Date.now();
  private slotWaiters: Array<() => void> = [];
  private heartbeatTimer: TimerHandle | undefined;
  private beating: Promise<void> | undefined;
  private pollTimer: TimerHandle | undefined;
  private recoverTimer: TimerHandle | undefined;
  private wakeTimer: TimerHandle | undefined;
  private wakeAt = Number.POSITIVE_INFINITY;
  private unsubscribe: (() => void) | undefined;
  private stopping: Promise<void> | undefined;
  /** @internal When a claim or recovery last failed (see `recoverExpired`). */
  lastStoreErrorAt = Number.NEGATIVE_INFINITY;
  /** Hooks still running (bounded by `hookTimeoutMs`). */
  private readonly hooks = new Set<Promise<void>>();
  /** @internal Jobs claimed for this worker before a slot was free for them (see claim-ahead.ts). */
  readonly ahead: ClaimAhead;

  constructor(options: JobRunnerOptions<Jobs>) {
    this.settings = resolveRunnerOptions(options as JobRunnerOptions);
    this.events = new Emitter<RunnerEvents>((error) => this.events.emit('error', error));
    this.ahead = new ClaimAhead(
      {
        adapter: this.adapter,
        clock: this.clock,
        events: this.events,
        settings: this.settings,
        claim: (limit) => this.claim(limit),
        refilled: () => this.schedulePump(),
      },
      this.settings.claimAhead,
    );
  }

  /** The queue's storage adapter. */
  get adapter() {
    return this.settings.queue.adapter;
  }

  /** The queue's clock. */
  get clock() {
    return this.settings.queue.clock;
  }

  /** This worker's id (heartbeats, lease owner, health). */
  get workerId(): string {
    return this.settings.workerId;
  }

  /** True between `start()` and the end of `stop()`. */
  get isRunning(): boolean {
    return this.state === 'running';
  }

  /** Listen to runner events; returns a function that removes the listener. */
  on<K extends keyof RunnerEvents<Jobs>>(event: K, listener: RunnerEvents<Jobs>[K]): () => void {
    return this.events.on(event, listener as RunnerEvents[K]);
  }

  /**
   * Start working: claim due jobs now and whenever a wake-up, a poll tick, a finished job or a
   * known run-at says there may be more. Throws InvalidStateError when already started or draining.
   */
  start(): void {
    if (this.state !== 'idle') {
      throw new InvalidStateError(`[redrive] [runner] start(): the runner is ${this.state}`);
    }
    this.state = 'running';
    const { adapter } = this;
    if (resolveCapabilities(adapter).subscribe) {
      this.unsubscribe = adapter.subscribe!((wake) => {
        if (wake.queue !== undefined && this.settings.queues && !this.settings.queues.includes(wake.queue))
          return;
        if (wake.runAt !== undefined && wake.runAt > this.clock.now()) this.noteRunAt(wake.runAt);
        else this.schedulePump();
      });
    }
    // An immediate heartbeat (no leases yet) lists this worker in health() from the start.
    void this.heartbeat();
    this.armHeartbeat();
    this.armPoll();
    this.armRecover();
    void this.recover().then(() => this.schedulePump());
    this.schedulePump();
  }

  /**
   * Stop gracefully: claim nothing more, let running handlers finish for up to `timeoutMs`
   * (default 30000), then abort the rest (`ctx.signal`, reason "stopping") and give their jobs back
   * to the queue at once — the attempt counts, since they ran. Outcomes already being written
   * (a handler that returned or threw) are left to land, for up to another `timeoutMs`, so no
   * completion or history entry is lost; a store that hangs longer is left to the lease.
   * Stops a started runner only: a `drain()` ends by itself (bound it with `maxJobs` / `deadlineMs`).
   */
  stop(options?: { timeoutMs?: number }): Promise<void> {
    const timeoutMs = options?.timeoutMs ?? 30_000;
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_TIMER_MS) {
      return Promise.reject(
        new ValidationError(`[redrive] [runner] stop.timeoutMs: must be a number in 0…${MAX_TIMER_MS} ms`, {
          issues: [{ path: 'stop.timeoutMs', message: `must be a number in 0…${MAX_TIMER_MS} ms` }],
        }),
      );
    }
    if (this.stopping) return this.stopping;
    if (this.state !== 'running') return Promise.resolve();
    this.state = 'stopping';
    this.stopping = this.shutdown(timeoutMs).finally(() => {
      this.stopping = undefined;
      this.state = 'idle';
    });
    return this.stopping;
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const t of [this.pollTimer, this.recoverTimer, this.wakeTimer])
      if (t !== undefined) this.clock.clearTimeout(t);
    this.pollTimer = this.recoverTimer = this.wakeTimer = undefined;
    this.wakeAt = Number.POSITIVE_INFINITY;
    await this.claiming;
    await this.ahead.close();
    await this.waitIdleAtMost(timeoutMs);
    // Runs whose handler returned are only writing their outcome: let them finish (for at most
    // another `timeoutMs`, a hung store must not hang the shutdown); abandoning them would race a
    // release against their own write and lose a completion or a history entry.
    const left = [...this.active.values()].filter((run) => run.slot === 'handler');
    await Promise.all(left.map((run) => abandonRun(this, run)));
    await this.waitIdleAtMost(timeoutMs);
    // Writes still retrying (the store is down) stop at their next failure; their jobs' leases
    // expire and recovery brings them back.
    for (const run of this.active.values()) run.abandoned = true;
    await this.settleHooks();
    await this.retire();
  }

  /**
   * No more heartbeats (waiting for one in flight, so it cannot list the worker again), then the
   * adapter forgets this worker (`releaseWorker`). The runner's own claimed-ahead jobs were given
   * back before, when claiming stopped.
   */
  private async retire(): Promise<void> {
    this.disarmHeartbeat();
    await this.beating;
    await releaseWorker(this);
  }

  /**
   * One pass for serverless (Workers cron, a queue consumer, a lambda): recover expired leases,
   * then claim and run due jobs until none is due, `maxJobs` started, or `deadlineMs` passed;
   * running jobs finish before it resolves. Heartbeats run meanwhile. Returns what it did.
   *
   * @example
   * export default { scheduled: (_e, env, ctx) => ctx.waitUntil(runner.drain({ deadlineMs: 25_000 })) };
   */
  async drain(options?: DrainOptions): Promise<DrainSummary> {
    const maxJobs = options?.maxJobs ?? Number.POSITIVE_INFINITY;
    const deadlineMs = options?.deadlineMs ?? Number.POSITIVE_INFINITY;
    for (const [key, value] of [
      ['maxJobs', maxJobs],
      ['deadlineMs', deadlineMs],
    ] as const) {
      if (
        typeof value !== 'number' ||
        Number.isNaN(value) ||
        value < 0 ||
        (Number.isFinite(value) && !Number.isInteger(value))
      ) {
        throw new ValidationError(`[redrive] [runner] drain.${key}: must be an integer >= 0`, {
          issues: [{ path: `drain.${key}`, message: 'must be an integer >= 0' }],
        });
      }
    }
    if (this.state !== 'idle') {
      throw new InvalidStateError(`[redrive] [runner] drain(): the runner is ${this.state}`);
    }
    this.state = 'draining';
    const before = { ...this.counters };
    const started = this.clock.now();
    const deadline = started + deadlineMs;
    let reason: DrainSummary['reason'] = 'idle';
    this.armHeartbeat();
    try {
      await this.heartbeat(); // listed in health() while it drains
      await this.recover();
      let claimed = 0;
      for (;;) {
        if (claimed >= maxJobs) {
          reason = 'maxJobs';
          break;
        }
        if (this.clock.now() >= deadline) {
          reason = 'deadline';
          break;
        }
        const free = this.freeSlots();
        if (free <= 0) {
          await this.waitForSlot();
          continue;
        }
        let jobs: ClaimedJob[];
        const finishedBefore = this.runsFinished;
        try {
          jobs = await this.ahead.next(Math.min(free, maxJobs - claimed));
        } catch (error) {
          // The store failed: report it, claim no more, and still let the running jobs finish.
          this.noteStoreError();
          this.events.emit('error', error);
          reason = 'error';
          break;
        }
        claimed += jobs.length;
        for (const job of jobs) void runJob(this, job);
        if (jobs.length === 0) {
          // A run that finished while this claim was in flight may have re-queued its job as due
          // (a retry with no backoff): claim once more before calling the queue drained.
          if (this.active.size === 0 && this.runsFinished === finishedBefore) break;
          if (this.active.size > 0) await this.waitForSlot();
        }
      }
      await this.ahead.close();
      await this.waitIdle();
      await this.settleHooks();
    } finally {
      await this.ahead.close();
      await this.retire();
      this.state = 'idle';
    }
    return { ...countersSince(before, this.counters), durationMs: this.clock.now() - started, reason };
  }

  /** Claim up to `limit` jobs, yielding to the event loop now and then so timers keep firing. */
  private async claim(limit: number): Promise<ClaimedJob[]> {
    if (this.startedSinceYield >= JOBS_PER_YIELD || Date.now() - this.lastYieldAt >= MS_PER_YIELD) {
      await yieldToEventLoop();
      this.startedSinceYield = 0;
      this.lastYieldAt = Date.now();
    }
    const jobs = await this.adapter.claim({
      workerId: this.settings.workerId,
      types: this.settings.types,
      queues: this.settings.queues,
      limit,
      leaseMs: this.settings.leaseMs,
      now: this.clock.now(),
    });
    this.startedSinceYield += jobs.length + 1;
    return jobs;
  }

  // Claims are serialised (one in flight); a wake-up that arrives meanwhile sets `wakePending`
  // so the loop claims again instead of dropping it.
  private schedulePump(): void {
    if (this.state !== 'running') return;
    if (this.claiming) {
      this.wakePending = true;
      return;
    }
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    queueMicrotask(this.pumpTask);
  }

  // One closure for the runner's life, not one per finished job.
  private readonly pumpTask = (): void => {
    this.pumpQueued = false;
    if (this.claiming || this.state !== 'running') return;
    this.claiming = this.pump().finally(this.afterPump);
  };

  private readonly afterPump = (): void => {
    this.claiming = undefined;
    if (this.wakePending) this.schedulePump();
  };

  private async pump(): Promise<void> {
    try {
      for (;;) {
        // Cleared before the slot check: with every slot busy, the next finished job pumps again,
        // so the wake-up is not lost (and a stale flag must not spin the loop).
        this.wakePending = false;
        const free = this.freeSlots();
        if (free <= 0 || this.state !== 'running') return;
        const limit = free;
        const jobs = await this.ahead.next(limit);
        if (this.state !== 'running') {
          // Stopped while claiming: these never started, so they get their attempt back.
          await releaseUnstarted(this, jobs);
          return;
        }
        for (const job of jobs) void runJob(this, job);
        if (jobs.length < limit && !this.wakePending) return;
      }
    } catch (error) {
      this.noteStoreError();
      this.events.emit('error', error);
    }
  }

  /**
   * Slots for new jobs: `concurrency` handlers at once, and at most `max(concurrency, claimAhead)`
   * more runs whose outcome is still being written (so a slow store slows claiming instead of
   * piling up writes). Letting completions wait in numbers makes their batches large: at
   * concurrency 10, capping them at 10 measured ~0.077 statements per job and ~100 µs of client
   * CPU per job on a loaded machine, at 8 × concurrency 0.045 and ~65 µs, with more jobs per second.
   */
  private freeSlots(): number {
    const { concurrency, claimAhead } = this.settings;
    const writes = Math.max(concurrency, claimAhead);
    return Math.min(
      concurrency - this.handlerSlots,
      concurrency + writes - this.handlerSlots - this.writeSlots,
    );
  }

  /** @internal A store call failed. */
  noteStoreError(): void {
    this.lastStoreErrorAt = this.clock.now();
  }

  /** @internal Run a user hook detached from any run, bounded by `hookTimeoutMs`. */
  runHook(job: Job, hook: () => void | Promise<void> | undefined): void {
    let timer: TimerHandle | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = this.clock.setTimeout(() => {
        this.events.emit(
          'error',
          new Error(
            `[redrive] [runner] a hook for job ${job.id} did not settle within ${this.settings.hookTimeoutMs} ms`,
          ),
          job,
        );
        resolve();
      }, this.settings.hookTimeoutMs);
    });
    const running = callHook(this, job, hook);
    const bounded: Promise<void> = Promise.race([running, timedOut]).finally(() => {
      this.clock.clearTimeout(timer);
      this.hooks.delete(bounded);
    });
    this.hooks.add(bounded);
  }

  /** Wait for the hooks still running (each is bounded by `hookTimeoutMs`). */
  private async settleHooks(): Promise<void> {
    while (this.hooks.size > 0) await Promise.all([...this.hooks]);
  }

  /** @internal A claimed job starts: it takes a handler slot and is heartbeated. */
  runStarted(run: RunState): void {
    this.active.set(run.job.id, run);
    this.handlerSlots++;
  }

  /** @internal The handler returned: give its slot to the next job. */
  handlerSettled(run: RunState): void {
    if (run.slot !== 'handler') return;
    run.slot = 'writing';
    this.handlerSlots--;
    this.writeSlots++;
    this.wakeSlotWaiters();
    this.schedulePump();
  }

  /** @internal A run ended (or was abandoned): free whatever slot it held. */
  runFinished(run: RunState): void {
    if (run.slot === 'handler') this.handlerSlots--;
    else if (run.slot === 'writing') this.writeSlots--;
    run.slot = 'none';
    this.runsFinished++;
    if (this.active.get(run.job.id) === run) this.active.delete(run.job.id);
    this.wakeSlotWaiters();
    this.schedulePump();
  }

  private wakeSlotWaiters(): void {
    if (this.slotWaiters.length > 0) {
      const waiters = this.slotWaiters;
      this.slotWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** @internal Wake up at `runAt` (a retry or snooze of ours, or a delayed job announced by the adapter). */
  noteRunAt(runAt: number): void {
    if (this.state !== 'running' || runAt >= this.wakeAt) return;
    if (this.wakeTimer !== undefined) this.clock.clearTimeout(this.wakeTimer);
    this.wakeAt = runAt;
    this.wakeTimer = this.clock.setTimeout(
      () => {
        this.wakeTimer = undefined;
        this.wakeAt = Number.POSITIVE_INFINITY;
        this.schedulePump();
      },
      // A far retry (a capped Retry-After, a long snooze) wakes early at worst: one idle pump.
      clampTimerMs(runAt - this.clock.now()),
    );
  }

  private waitForSlot(): Promise<void> {
    return new Promise((resolve) => this.slotWaiters.push(resolve));
  }

  private async waitIdle(): Promise<void> {
    while (this.active.size > 0) await this.waitForSlot();
  }

  private async waitIdleAtMost(ms: number): Promise<void> {
    if (this.active.size === 0) return;
    let timer: TimerHandle | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = this.clock.setTimeout(resolve, ms);
    });
    await Promise.race([this.waitIdle(), timedOut]);
    this.clock.clearTimeout(timer);
  }

  private armPoll(): void {
    this.pollTimer = this.clock.setTimeout(() => {
      this.schedulePump();
      if (this.state === 'running') this.armPoll();
    }, this.settings.pollIntervalMs);
  }

  private armRecover(): void {
    this.recoverTimer = this.clock.setTimeout(() => {
      void this.recover().then((n) => {
        if (n > 0) this.schedulePump();
      });
      if (this.state === 'running') this.armRecover();
    }, this.settings.recoverIntervalMs);
  }

  /** Send jobs whose lease expired back to the queue (or the DLQ on their last attempt). */
  private async recover(): Promise<number> {
    return recoverExpired(this);
  }

  private armHeartbeat(): void {
    this.heartbeatTimer = this.clock.setTimeout(() => {
      this.heartbeatTimer = undefined;
      void this.heartbeat();
      if (this.state !== 'idle') this.armHeartbeat();
    }, this.settings.heartbeatMs);
  }

  private disarmHeartbeat(): void {
    if (this.heartbeatTimer !== undefined) this.clock.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  /** Extend every held lease in one call and act on what the store says (lost, cancelled, pause). */
  private heartbeat(): Promise<void> {
    if (this.beating) return this.beating;
    this.beating = sendHeartbeat(this).finally(() => {
      this.beating = undefined;
    });
    return this.beating;
  }
}
