import type { ClaimedJob } from '../job/job.js';
import { yieldToEventLoop } from '../util/yield.js';
import { runJob } from './run-job.js';
import type { RunSlots } from './run-slots.js';
import type { RunnerHost } from './runner-host.js';
import { releaseUnstarted } from './shutdown.js';

/**
 * A busy runner gives the event loop a turn (timers, I/O) after this many jobs or this many ms of
 * wall time, whichever comes first. The count matters where `Date.now()` stands still during
 * synchronous work (Workers); the time bound matters when handlers are slow and synchronous.
 */
const JOBS_PER_YIELD = 2048;
const MS_PER_YIELD = 10;

/** What the claim loop needs from its runner. */
export interface ClaimLoopHost extends RunnerHost {
  /** True while the runner is started (not idle, draining or stopping). */
  readonly isRunning: boolean;
  /** True while the store's wake-ups reach this runner (it subscribed): new jobs announce themselves. */
  readonly hearsWakeUps: boolean;
}

/**
 * The started runner's claim loop: whenever something says there may be work (a wake-up, a poll
 * tick, a finished job, a known run-at), claim up to the free slots and start the jobs. Claims are
 * serialised (one in flight); a wake-up that arrives meanwhile sets `wakePending` so the loop
 * claims again instead of dropping it. Also the one place that calls `adapter.claim`, yielding to
 * the event loop now and then so a busy worker's timers (its heartbeat) keep firing.
 *
 * A claim that came back short says the store had no more due jobs. When the store's wake-ups
 * reach this runner, a job that completes after that does not claim again: until a wake-up, a
 * poll tick or a known run-at says there may be work, such a claim would find nothing (on an idle
 * worker it was two empty claims per job, half of its statements). A run that ends any other way
 * (a retry, a snooze, a lost lease) still claims, since it may have made a job due.
 */
export class ClaimLoop {
  /** The pass in flight, if any (stop waits for it). */
  inFlight: Promise<void> | undefined;
  private queued = false;
  private wakePending = false;
  /** The last claim came back short and nothing said since that there may be work. */
  private drained = false;
  private startedSinceYield = 0;
  private lastYieldAt = Date.now();

  constructor(
    private readonly host: ClaimLoopHost,
    private readonly slots: RunSlots,
  ) {}

  /** There may be work: claim soon (once per microtask turn, however many ask). */
  schedule(): void {
    this.drained = false;
    if (!this.host.isRunning) return;
    if (this.inFlight) {
      this.wakePending = true;
      return;
    }
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(this.task);
  }

  /**
   * A slot was freed (a handler returned, or a run completed): claim soon, unless the store was
   * found drained and nothing has woken the runner since (see the class comment).
   */
  slotFreed(): void {
    if (!this.drained) this.schedule();
  }

  /** Claim up to `limit` jobs (one `adapter.claim`), yielding to the event loop now and then. */
  async claim(limit: number): Promise<ClaimedJob[]> {
    if (this.startedSinceYield >= JOBS_PER_YIELD || Date.now() - this.lastYieldAt >= MS_PER_YIELD) {
      await yieldToEventLoop();
      this.startedSinceYield = 0;
      this.lastYieldAt = Date.now();
    }
    const { host } = this;
    const jobs = await host.adapter.claim({
      workerId: host.settings.workerId,
      types: host.settings.types,
      queues: host.settings.queues,
      limit,
      leaseMs: host.settings.leaseMs,
      now: host.clock.now(),
    });
    this.startedSinceYield += jobs.length + 1;
    return jobs;
  }

  // One closure for the runner's life, not one per finished job.
  private readonly task = (): void => {
    this.queued = false;
    if (this.inFlight || !this.host.isRunning) return;
    this.inFlight = this.pump().finally(this.afterPump);
  };

  private readonly afterPump = (): void => {
    this.inFlight = undefined;
    if (this.wakePending) this.schedule();
  };

  private async pump(): Promise<void> {
    const { host } = this;
    try {
      for (;;) {
        // Cleared before the slot check: with every slot busy, the next finished job pumps again,
        // so the wake-up is not lost (and a stale flag must not spin the loop).
        this.wakePending = false;
        const free = this.slots.free();
        if (free <= 0 || !host.isRunning) return;
        const limit = free;
        const jobs = await host.ahead.next(limit);
        if (!host.isRunning) {
          // Stopped while claiming: these never started, so they get their attempt back.
          await releaseUnstarted(host, jobs);
          return;
        }
        // Before the runs start: a synchronous handler frees its slot inside runJob.
        if (jobs.length < limit) this.drained = host.hearsWakeUps && host.ahead.claimedShort;
        for (const job of jobs) void runJob(host, job);
        if (jobs.length < limit && !this.wakePending) return;
      }
    } catch (error) {
      host.noteStoreError();
      host.events.emit('error', error);
    }
  }
}
