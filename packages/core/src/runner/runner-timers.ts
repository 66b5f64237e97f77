import type { Clock, TimerHandle } from '../clock/clock.js';
import { clampTimerMs } from '../config/duration.js';
import type { RunnerSettings } from './runner-options.js';

/** The runner's phase, as its timers see it. */
export type RunnerPhase = 'idle' | 'running' | 'draining' | 'stopping';

/** What the timers call back into. */
export interface RunnerTimersHost {
  readonly clock: Clock;
  readonly settings: RunnerSettings;
  readonly phase: RunnerPhase;
  /** There may be work: claim soon. */
  pump(): void;
  /** Recover expired leases; resolves to how many were recovered. */
  recover(): Promise<number>;
  /** Send one heartbeat. Never rejects. */
  beat(): Promise<void>;
}

/**
 * The runner's clockwork: the heartbeat (every `heartbeatMs` while started or draining, one at a
 * time), the poll tick and the lease-recovery tick (while started), and the wake-up at the
 * earliest known run-at of a job of ours. All on the queue's clock, so tests can jump forward.
 */
export class RunnerTimers {
  private heartbeatTimer: TimerHandle | undefined;
  private beating: Promise<void> | undefined;
  private pollTimer: TimerHandle | undefined;
  private recoverTimer: TimerHandle | undefined;
  private wakeTimer: TimerHandle | undefined;
  private wakeAt = Number.POSITIVE_INFINITY;

  constructor(private readonly host: RunnerTimersHost) {}

  /** Start the poll and recovery ticks (a started runner). */
  armClaimTicks(): void {
    this.armPoll();
    this.armRecover();
  }

  /** Stop the poll and recovery ticks and forget the wake-up: claim nothing more. */
  disarmClaimTicks(): void {
    const { clock } = this.host;
    for (const t of [this.pollTimer, this.recoverTimer, this.wakeTimer])
      if (t !== undefined) clock.clearTimeout(t);
    this.pollTimer = this.recoverTimer = this.wakeTimer = undefined;
    this.wakeAt = Number.POSITIVE_INFINITY;
  }

  /** Wake up at `runAt` (a retry or snooze of ours, or a delayed job announced by the adapter). */
  noteRunAt(runAt: number): void {
    const { clock } = this.host;
    if (this.host.phase !== 'running' || runAt >= this.wakeAt) return;
    if (this.wakeTimer !== undefined) clock.clearTimeout(this.wakeTimer);
    this.wakeAt = runAt;
    this.wakeTimer = clock.setTimeout(
      () => {
        this.wakeTimer = undefined;
        this.wakeAt = Number.POSITIVE_INFINITY;
        this.host.pump();
      },
      // A far retry (a capped Retry-After, a long snooze) wakes early at worst: one idle pump.
      clampTimerMs(runAt - clock.now()),
    );
  }

  /** Extend every held lease now (joining the heartbeat in flight, if any). Never rejects. */
  heartbeat(): Promise<void> {
    if (this.beating) return this.beating;
    this.beating = this.host.beat().finally(() => {
      this.beating = undefined;
    });
    return this.beating;
  }

  /** Heartbeat every `heartbeatMs` until the runner is idle again. */
  armHeartbeat(): void {
    this.heartbeatTimer = this.host.clock.setTimeout(() => {
      this.heartbeatTimer = undefined;
      void this.heartbeat();
      if (this.host.phase !== 'idle') this.armHeartbeat();
    }, this.host.settings.heartbeatMs);
  }

  /** No more heartbeats; waits for one in flight, so it cannot list the worker again. */
  async disarmHeartbeat(): Promise<void> {
    if (this.heartbeatTimer !== undefined) this.host.clock.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    await this.beating;
  }

  private armPoll(): void {
    this.pollTimer = this.host.clock.setTimeout(() => {
      this.host.pump();
      if (this.host.phase === 'running') this.armPoll();
    }, this.host.settings.pollIntervalMs);
  }

  private armRecover(): void {
    this.recoverTimer = this.host.clock.setTimeout(() => {
      void this.host.recover().then((n) => {
        if (n > 0) this.host.pump();
      });
      if (this.host.phase === 'running') this.armRecover();
    }, this.host.settings.recoverIntervalMs);
  }
}
