import type { StorageAdapter } from '../adapter/storage-adapter.js';
import type { Clock } from '../clock/clock.js';
import type { Job } from '../job/job.js';
import type { Emitter } from '../util/emitter.js';
import type { ClaimAhead } from './claim-ahead.js';
import type { RunState } from './run-state.js';
import type { RunnerSettings } from './runner-options.js';
import type { RunnerEvents } from './types.js';

/** Running totals of a runner; `drain()` reports the difference over its call. */
export interface RunnerCounters {
  /** Jobs started. */
  processed: number;
  completed: number;
  /** Attempts that failed (retried + dead-lettered + timeouts). */
  failed: number;
  retried: number;
  deadLettered: number;
  snoozed: number;
  paused: number;
  cancelled: number;
  leaseLost: number;
  /** Jobs whose expired lease was recovered (before claiming, in `drain()`). */
  recovered: number;
}

/** What a run needs from its runner (internal). */
export interface RunnerHost {
  readonly settings: RunnerSettings;
  readonly adapter: StorageAdapter;
  readonly clock: Clock;
  readonly events: Emitter<RunnerEvents>;
  readonly counters: RunnerCounters;
  readonly active: Map<string, RunState>;
  /** Jobs claimed ahead, not started yet (their leases are heartbeated with the running ones). */
  readonly ahead: ClaimAhead;
  /** A claimed job starts running: it takes a handler slot and is heartbeated. */
  runStarted(run: RunState): void;
  /** The handler returned: its concurrency slot is free while the outcome is written. */
  handlerSettled(run: RunState): void;
  /** A run ended: its outcome is written (or abandoned). Idempotent. */
  runFinished(run: RunState): void;
  /** A job of ours will be due at `runAt`: wake up then. */
  noteRunAt(runAt: number): void;
  /** When a claim or a recovery last failed: recovery holds off for a lease period after it. */
  readonly lastStoreErrorAt: number;
  /** A store call failed (the store may be down). */
  noteStoreError(): void;
  /**
   * Run a user hook (onDeadLetter, onRetriesExhausted) outside any run: it holds no slot, is bounded
   * by `hookTimeoutMs`, and `drain()`/`stop()` wait for it (at most that long). Never throws.
   */
  runHook(job: Job, hook: () => void | Promise<void> | undefined): void;
}

export function zeroCounters(): RunnerCounters {
  return {
    processed: 0,
    completed: 0,
    failed: 0,
    retried: 0,
    deadLettered: 0,
    snoozed: 0,
    paused: 0,
    cancelled: 0,
    leaseLost: 0,
    recovered: 0,
  };
}

/** What happened between two readings of the counters. */
export function countersSince(before: RunnerCounters, after: RunnerCounters): RunnerCounters {
  const diff = zeroCounters();
  for (const key of Object.keys(diff) as Array<keyof RunnerCounters>) diff[key] = after[key] - before[key];
  return diff;
}
