import type { RunState } from './run-state.js';
import type { RunnerHost } from './runner-host.js';

/**
 * Waits between tries of an outcome write the store refused with an error (not a fenced `false`);
 * the last one repeats for as long as the write is worth trying.
 */
export const OUTCOME_WRITE_RETRY_DELAYS_MS: readonly number[] = [100, 500, 1_000, 2_000];

/**
 * Writes a run's outcome (complete, fail, release), trying again when the store throws — a
 * dropped connection, a failover, a server restarted — for as long as the run may still hold its
 * lease: until the write lands, the store says the lease is gone (a fenced `false`, or a heartbeat
 * reporting it lost), or `stop()` abandons the run. The run stays heartbeated meanwhile, and a
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
      if (run.abandoned || run.stopKind === 'leaseLost') throw error;
      threw = true;
      host.events.emit('error', error, run.job);
      const delays = OUTCOME_WRITE_RETRY_DELAYS_MS;
      const delay = delays[Math.min(attempt, delays.length - 1)]!;
      await new Promise<void>((resolve) => host.clock.setTimeout(resolve, delay));
    }
  }
}
