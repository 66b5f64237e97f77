import type { ClaimedJob } from '../job/job.js';
import type { RunnerHost } from './runner-host.js';

/** Whose outcome is being written: a run, or a job whose expired lease core took over. */
export interface OutcomeWriter {
  readonly job: ClaimedJob;
  /** Stop gave the job back already: stop trying. */
  readonly abandoned: boolean;
}

/** Waits between tries of an outcome write the store refused with an error (not a fenced `false`). */
export const OUTCOME_WRITE_RETRY_DELAYS_MS: readonly number[] = [100, 500, 2_000];

/**
 * Writes a run's outcome (complete, fail, release), trying again when the store throws — a
 * dropped connection, a failover — while the run still holds its lease (it stays heartbeated
 * meanwhile). Giving up after a blip would leave a finished job `running` until its lease expires
 * and then count that as a lost attempt, possibly its last: a handler that succeeded would end in
 * the dead-letter queue. Each failure is reported as an `error` event; the last one is rethrown.
 * A run that `stop()` abandoned stops trying (its job was already given back).
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
      const delay = OUTCOME_WRITE_RETRY_DELAYS_MS[attempt];
      if (delay === undefined || run.abandoned) throw error;
      threw = true;
      host.events.emit('error', error, run.job);
      await new Promise<void>((resolve) => host.clock.setTimeout(resolve, delay));
    }
  }
}
