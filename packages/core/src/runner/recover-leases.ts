import { LeaseLostError } from '../errors/redrive-error.js';
import type { ClaimedJob } from '../job/job.js';
import { recordFailure } from './record-failure.js';
import type { RunnerHost } from './runner-host.js';
import type { RecoveredLeases } from './types.js';

/** Expired leases taken over per adapter call. */
const RECOVER_BATCH = 100;

/** The error a recovered attempt failed with, as its history and dead letter show it. */
export const LEASE_EXPIRED_MESSAGE = 'lease expired: the worker stopped heartbeating (crashed or stalled)';

/**
 * Recover expired leases: the adapter hands over jobs whose worker crashed or stalled (leased to
 * this worker under a fresh token), and each is recorded as a failed attempt of category
 * `transient_timeout` through the same path as a handler's failure (`recordFailure`): the job's
 * policy decides retry or dead-letter (a custom `backoff` and its `'dead'` included), a pause
 * asked for meanwhile is honoured, and the events and hooks fire once. Returns how many jobs were
 * recovered. Never throws.
 */
export async function recoverExpired(host: RunnerHost): Promise<number> {
  // After a store outage every lease looks expired, though their workers are alive: they could not
  // heartbeat. Hold off for a lease period after our last failed claim or recovery (the store was
  // unreachable), so their first heartbeats renew them and their outcome writes land before anyone
  // charges an attempt. (A failing heartbeat alone does not count: it says our leases are at risk,
  // not that the store is down for everyone.)
  if (host.clock.now() - host.lastStoreErrorAt < host.settings.leaseMs) return 0;
  const summary: RecoveredLeases = { requeued: [], deadLettered: [], paused: [] };
  try {
    for (;;) {
      const jobs = await host.adapter.recoverExpiredLeases({
        workerId: host.settings.workerId,
        now: host.clock.now(),
        leaseMs: host.settings.leaseMs,
        limit: RECOVER_BATCH,
      });
      for (const job of jobs) await recoverOne(host, job, summary);
      if (jobs.length < RECOVER_BATCH) break;
    }
  } catch (error) {
    host.noteStoreError();
    host.events.emit('error', error);
  }
  const n = summary.requeued.length + summary.deadLettered.length + summary.paused.length;
  host.counters.recovered += n;
  if (n > 0) host.events.emit('recovered', summary);
  return n;
}

async function recoverOne(host: RunnerHost, job: ClaimedJob, summary: RecoveredLeases): Promise<void> {
  const error = new LeaseLostError(LEASE_EXPIRED_MESSAGE, { id: job.id });
  try {
    // Nothing heartbeats a taken-over lease: its write is worth trying only until that lease ends.
    const until = host.clock.now() + host.settings.leaseMs;
    const writer = {
      job,
      get abandoned() {
        return host.clock.now() >= until;
      },
    };
    const result = await recordFailure(host, writer, error, 'transient_timeout');
    if (!result.ok) return; // deleted or cancelled since: nothing of ours to record
    if (result.status === 'failed') summary.deadLettered.push(job.id);
    else if (result.status === 'paused') summary.paused.push(job.id);
    else summary.requeued.push(job.id);
  } catch (caught) {
    // The store failed: the job stays leased to us until that lease expires, then is recovered again.
    host.events.emit('error', caught, job);
  }
}
