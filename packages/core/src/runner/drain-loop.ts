import { ValidationError } from '../errors/redrive-error.js';
import type { ClaimedJob } from '../job/job.js';
import { runJob } from './run-job.js';
import type { RunSlots } from './run-slots.js';
import type { RunnerHost } from './runner-host.js';
import type { DrainOptions, DrainSummary } from './types.js';

/** `drain()`'s bounds, validated: `Infinity` where not given. */
export interface DrainBounds {
  maxJobs: number;
  deadlineMs: number;
}

/** Checks `drain()`'s options; throws a ValidationError naming the field. */
export function drainBounds(options: DrainOptions | undefined): DrainBounds {
  const bounds = {
    maxJobs: options?.maxJobs ?? Number.POSITIVE_INFINITY,
    deadlineMs: options?.deadlineMs ?? Number.POSITIVE_INFINITY,
  };
  for (const [key, value] of Object.entries(bounds)) {
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
  return bounds;
}

/**
 * The claiming part of one `drain()` pass: claim (through the claim-ahead buffer) up to the free
 * slots and start the jobs, until none is due, `maxJobs` started, `deadline` passed, or a claim
 * failed. Returns why it stopped; jobs it started may still be running.
 */
export async function claimUntilDrained(
  host: RunnerHost,
  slots: RunSlots,
  maxJobs: number,
  deadline: number,
): Promise<DrainSummary['reason']> {
  let claimed = 0;
  for (;;) {
    if (claimed >= maxJobs) return 'maxJobs';
    if (host.clock.now() >= deadline) return 'deadline';
    const free = slots.free();
    if (free <= 0) {
      await slots.waitForSlot();
      continue;
    }
    let jobs: ClaimedJob[];
    const finishedBefore = slots.finishedCount;
    try {
      jobs = await host.ahead.next(Math.min(free, maxJobs - claimed));
    } catch (error) {
      // The store failed: report it, claim no more, and still let the running jobs finish.
      host.noteStoreError();
      host.events.emit('error', error);
      return 'error';
    }
    claimed += jobs.length;
    for (const job of jobs) void runJob(host, job);
    if (jobs.length === 0) {
      // A run that finished while this claim was in flight may have re-queued its job as due
      // (a retry with no backoff): claim once more before calling the queue drained.
      if (slots.active.size === 0 && slots.finishedCount === finishedBefore) return 'idle';
      if (slots.active.size > 0) await slots.waitForSlot();
    }
  }
}
