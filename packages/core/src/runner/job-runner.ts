import { resolveCapabilities } from '../adapter/capabilities.js';
import type { StorageAdapter } from '../adapter/storage-adapter.js';
import type { Clock } from '../clock/clock.js';
import { InvalidStateError, ValidationError } from '../errors/redrive-error.js';
import type { Job } from '../job/job.js';
import { type QueueInternals, queueInternals } from '../queue/internals.js';
import type { JobMap } from '../queue/job-map.js';
import { Emitter } from '../util/emitter.js';
import { MAX_TIMER_MS } from '../util/storable.js';
import { ClaimAhead } from './claim-ahead.js';
import { ClaimLoop } from './claim-loop.js';
import { claimUntilDrained, drainBounds } from './drain-loop.js';
import { sendHeartbeat } from './heartbeat.js';
import { HookRunner } from './hook-runner.js';
import { recoverExpired } from './recover-leases.js';
import { RunSlots } from './run-slots.js';
import type { RunState } from './run-state.js';
import { countersSince, type RunnerCounters, zeroCounters } from './runner-host.js';
import { type RunnerSettings, resolveRunnerOptions } from './runner-options.js';
import { type RunnerPhase, RunnerTimers } from './runner-timers.js';
import { abandonRun, releaseWorker } from './shutdown.js';
import type { DrainOptions, DrainSummary, JobRunnerOptions, RunnerEvents } from './types.js';

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
export class JobRunner<Jobs extends JobMap<Jobs> = any> {
  /** @internal Validated options with defaults (read-only). */
  readonly settings: RunnerSettings;
  /** @internal Use {@link JobRunner.on}. */
  readonly events: Emitter<RunnerEvents>;
  /** Running totals since the runner was created (what `drain()` reports per call). */
  readonly counters: RunnerCounters = zeroCounters();
  /** @internal Jobs claimed for this worker before a slot was free for them (see claim-ahead.ts). */
  readonly ahead: ClaimAhead;
  /** The queue's store, clock and policies (not on the public `Queue`). */
  private readonly internals: QueueInternals;
  /** @internal When a claim or recovery last failed (see `recoverExpired`). */
  lastStoreErrorAt = Number.NEGATIVE_INFINITY;
  private state: RunnerPhase = 'idle';
  private readonly slots: RunSlots;
  private readonly loop: ClaimLoop;
  private readonly timers: RunnerTimers;
  private readonly hooks: HookRunner;
  private unsubscribe: (() => void) | undefined;
  private stopping: Promise<void> | undefined;

  constructor(options: JobRunnerOptions<Jobs>) {
    this.settings = resolveRunnerOptions(options as JobRunnerOptions);
    this.internals = queueInternals(this.settings.queue);
    this.events = new Emitter<RunnerEvents>((error) => this.events.emit('error', error));
    this.slots = new RunSlots(this.settings.concurrency, this.settings.claimAhead);
    this.loop = new ClaimLoop(this, this.slots);
    this.hooks = new HookRunner(this.clock, this.events, this.settings.hookTimeoutMs);
    const runner = this;
    this.timers = new RunnerTimers({
      clock: this.clock,
      settings: this.settings,
      get phase() {
        return runner.state;
      },
      pump: () => this.loop.schedule(),
      recover: () => recoverExpired(this),
      beat: () => sendHeartbeat(this),
    });
    this.ahead = new ClaimAhead(
      {
        adapter: this.adapter,
        clock: this.clock,
        events: this.events,
        settings: this.settings,
        claim: (limit) => this.loop.claim(limit),
        refilled: () => this.loop.schedule(),
      },
      this.settings.claimAhead,
    );
  }

  /** @internal The queue's storage adapter. */
  get adapter(): StorageAdapter {
    return this.internals.adapter;
  }

  /** @internal The queue's clock. */
  get clock(): Clock {
    return this.internals.clock;
  }

  /** This worker's id (heartbeats, lease owner, health). */
  get workerId(): string {
    return this.settings.workerId;
  }

  /** True between `start()` and the end of `stop()`. */
  get isRunning(): boolean {
    return this.state === 'running';
  }

  /** @internal The store's wake-ups reach this runner (it subscribed when it started). */
  get hearsWakeUps(): boolean {
    return this.unsubscribe !== undefined;
  }

  /** @internal Runs in progress, by job id. */
  get active(): Map<string, RunState> {
    return this.slots.active;
  }

  /** Listen to runner events; returns a function that removes the listener. */
  on<K extends keyof RunnerEvents<Jobs>>(event: K, listener: RunnerEvents<Jobs>[K]): () => void {
    return this.events.on(event, listener as RunnerEvents[K]);
  }

  /**
   * Start working: claim due jobs now and whenever a wake-up, a poll tick, a finished job or a
   * known run-at says there may be more (with a store whose wake-ups reach the runner, a completed
   * job does not claim again once a claim found no more due jobs: the next wake-up or poll tick
   * does). Throws InvalidStateError when already started or draining.
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
        else this.loop.schedule();
      });
    }
    // An immediate heartbeat (no leases yet) lists this worker in health() from the start.
    void this.timers.heartbeat();
    this.timers.armHeartbeat();
    this.timers.armClaimTicks();
    void recoverExpired(this).then(() => this.loop.schedule());
    this.loop.schedule();
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
    this.timers.disarmClaimTicks();
    await this.loop.inFlight;
    await this.ahead.close();
    await this.slots.waitIdleAtMost(timeoutMs, this.clock);
    // Runs whose handler returned are only writing their outcome: let them finish (for at most
    // another `timeoutMs`, a hung store must not hang the shutdown); abandoning them would race a
    // release against their own write and lose a completion or a history entry.
    const left = [...this.active.values()].filter((run) => run.slot === 'handler');
    await Promise.all(left.map((run) => abandonRun(this, run)));
    await this.slots.waitIdleAtMost(timeoutMs, this.clock);
    // Writes still retrying (the store is down) stop at their next failure; their jobs' leases
    // expire and recovery brings them back.
    for (const run of this.active.values()) run.abandoned = true;
    await this.hooks.settle();
    await this.retire();
  }

  /**
   * No more heartbeats (waiting for one in flight, so it cannot list the worker again), then the
   * adapter forgets this worker (`releaseWorker`). The runner's own claimed-ahead jobs were given
   * back before, when claiming stopped.
   */
  private async retire(): Promise<void> {
    await this.timers.disarmHeartbeat();
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
    const { maxJobs, deadlineMs } = drainBounds(options);
    if (this.state !== 'idle') {
      throw new InvalidStateError(`[redrive] [runner] drain(): the runner is ${this.state}`);
    }
    this.state = 'draining';
    const before = { ...this.counters };
    const started = this.clock.now();
    let reason: DrainSummary['reason'] = 'idle';
    this.timers.armHeartbeat();
    try {
      await this.timers.heartbeat(); // listed in health() while it drains
      await recoverExpired(this);
      reason = await claimUntilDrained(this, this.slots, maxJobs, started + deadlineMs);
      await this.ahead.close();
      await this.slots.waitIdle();
      await this.hooks.settle();
    } finally {
      await this.ahead.close();
      await this.retire();
      this.state = 'idle';
    }
    return { ...countersSince(before, this.counters), durationMs: this.clock.now() - started, reason };
  }

  /** @internal A store call failed. */
  noteStoreError(): void {
    this.lastStoreErrorAt = this.clock.now();
  }

  /** @internal Run a user hook detached from any run, bounded by `hookTimeoutMs`. */
  runHook(job: Job, hook: () => void | Promise<void> | undefined): void {
    this.hooks.run(job, hook);
  }

  /** @internal A claimed job starts: it takes a handler slot and is heartbeated. */
  runStarted(run: RunState): void {
    this.slots.started(run);
  }

  /** @internal The handler returned: give its slot to the next job. */
  handlerSettled(run: RunState): void {
    if (this.slots.settled(run)) this.loop.slotFreed();
  }

  /** @internal A run ended (or was abandoned): free whatever slot it held. */
  runFinished(run: RunState): void {
    this.slots.finished(run);
    // Any outcome but a completion (a retry, a snooze, a lost lease) may have made a job due.
    if (run.completed) this.loop.slotFreed();
    else this.loop.schedule();
  }

  /** @internal Wake up at `runAt` (a retry or snooze of ours, or a delayed job announced by the adapter). */
  noteRunAt(runAt: number): void {
    this.timers.noteRunAt(runAt);
  }
}
