import type { Clock, TimerHandle } from '../clock/clock.js';
import type { Job } from '../job/job.js';
import type { Emitter } from '../util/emitter.js';
import type { RunnerEvents } from './types.js';

/**
 * User hooks (onDeadLetter, onRetriesExhausted) run outside any run: they hold no slot, each is
 * bounded by `hookTimeoutMs`, and `drain()`/`stop()` wait for the ones still running.
 */
export class HookRunner {
  /** Hooks still running (each bounded by the timeout). */
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly clock: Clock,
    private readonly events: Emitter<RunnerEvents>,
    private readonly timeoutMs: number,
  ) {}

  /** Run `hook` for `job` detached, bounded by the timeout (reported as `error` when it passes). Never throws. */
  run(job: Job, hook: () => void | Promise<void> | undefined): void {
    let timer: TimerHandle | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = this.clock.setTimeout(() => {
        this.events.emit(
          'error',
          new Error(`[redrive] [runner] a hook for job ${job.id} did not settle within ${this.timeoutMs} ms`),
          job,
        );
        resolve();
      }, this.timeoutMs);
    });
    const running = callHook(this.events, job, hook);
    const bounded: Promise<void> = Promise.race([running, timedOut]).finally(() => {
      this.clock.clearTimeout(timer);
      this.running.delete(bounded);
    });
    this.running.add(bounded);
  }

  /** Wait for the hooks still running (each is bounded by the timeout). */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}

/** Hooks are user code; one that throws or rejects is reported as `error`, never breaks the runner. */
async function callHook(
  events: Emitter<RunnerEvents>,
  job: Job,
  hook: () => void | Promise<void> | undefined,
): Promise<void> {
  try {
    await hook();
  } catch (error) {
    events.emit('error', error, job);
  }
}
