import type { RunState } from './run-state.js';
import type { RunnerHost } from './runner-host.js';

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
export async function writeOutcome(
  host: RunnerHost,
  run: RunState,
  write: () => Promise<boolean>,
  landed: () => Promise<boolean>,
): Promise<boolean> {
  let threw = false;
  for (let attempt = 0; ; attempt++) {
    try {
      const ok = await write();
      if (ok || !threw) return ok;
      return await landed().catch(() => false);
    } catch (error) {
      const delay = OUTCOME_WRITE_RETRY_DELAYS_MS[attempt];
      if (delay === undefined || run.abandoned) throw error;
      threw = true;
      host.events.emit('error', error, run.job);
      await new Promise<void>((resolve) => host.clock.setTimeout(resolve, delay));
    }
  }
}
