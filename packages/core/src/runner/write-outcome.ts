import type { ClaimedJob } from '../job/job.js';
import type { RunnerHost } from './runner-host.js';

/** Whose outcome is being written: a run, or a job whose expired lease core took over. */
export interface OutcomeWriter {
  readonly job: ClaimedJob;
  /** Stop gave the job back already (or gave up on it): stop trying. */
  readonly abandoned: boolean;
  /** Why the run was stopped, when it was: `'leaseLost'` (a heartbeat said so) ends the tries. */
  readonly stopKind?: string | undefined;
}

/**
 * Waits between tries of an outcome write the store refused with an error (not a fenced refusal);
 * the last one repeats for as long as the write is worth trying.
 */
export const OUTCOME_WRITE_RETRY_DELAYS_MS: readonly number[] = [100, 500, 1_000, 2_000];

/**
 * Writes a run's outcome (complete, fail, release), trying again when the store throws — a
 * dropped connection, a failover, a restarted server — for as long as the run may still hold its
 * lease: until the write lands, the store says the lease is gone (a fenced refusal, or a heartbeat
 * reporting it lost), or `stop()` gives up on the run. The run stays heartbeated meanwhile, and a
 * lease the store could not extend during an outage is renewed by the first heartbeat after it
 * (runners hold off recovering others' leases for a lease period after an outage: see
 * `recoverExpired`). Giving up after a fixed number of tries would leave a finished job `running`
 * until its lease expired and then count that as a lost attempt, possibly its last: a handler that
 * succeeded would end in the dead-letter queue, its result lost. Each failure is reported as an
 * `error` event.
 *
 * A write can also land and then throw (the connection dropped after the commit): the next try
 * is then refused, since the job is no longer ours. `landed` tells that case from a lost lease by
 * reading the store, so the run reports the outcome it did record, not a lost lease.
 */
export async function writeOutcome<R extends { ok: boolean }>(
  host: RunnerHost,
  run: OutcomeWriter,
  write: () => Promise<R>,
  landed: () => Promise<R>,
): Promise<R> {
  let threw = false;
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await write();
      if (result.ok || !threw) return result;
      return await landed().catch(() => result);
    } catch (error) {
      if (run.abandoned || run.stopKind === 'leaseLost') throw error;
      threw = true;
      host.events.emit('error', error, run.job);
      const delays = OUTCOME_WRITE_RETRY_DELAYS_MS;
      const delay = delays[Math.min(attempt, delays.length - 1)]!;
      await new Promise<void>((resolve) => host.clock.setTimeout(resolve, delay));
    }
  }
}
