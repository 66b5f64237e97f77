import { resolveCapabilities } from '../adapter/capabilities.js';
import type { RecoveredJob } from '../adapter/requests.js';
import { LeaseLostError } from '../errors/redrive-error.js';
import { recordFailure } from './record-failure.js';
import type { RunnerHost } from './runner-host.js';
import type { RecoveredLeases } from './types.js';

/** Expired leases taken over per adapter call. */
const RECOVER_BATCH = 100;

/** The error a recovered attempt failed with, as its history and dead letter show it. */
export const LEASE_EXPIRED_MESSAGE = 'lease expired: the worker stopped heartbeating (crashed or stalled)';

/**
 * Crash refunds a job may get over its life. A lease that expired before any heartbeat reported
 * its run started is refunded, but a job that kills its worker as soon as it starts looks the same
 * (its worker never got to heartbeat): past this many refunds it is charged like any expired
 * lease, so it still reaches the dead-letter queue.
 */
export const MAX_CRASH_REFUNDS = 2;

/**
 * Recover expired leases: the adapter hands over jobs whose worker crashed or stalled (leased to
 * this worker under a fresh token). A job whose run was never reported started by its worker's
 * heartbeats (it waited in a claim-ahead buffer when the worker died) goes back with its attempt
 * refunded, at most {@link MAX_CRASH_REFUNDS} times per job, when the store keeps those facts
 * (`capabilities.crashRefunds`). Every other one is recorded as a failed attempt of category
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
  const summary: RecoveredLeases = { requeued: [], deadLettered: [], paused: [], refunded: [] };
  const refunds = resolveCapabilities(host.adapter).crashRefunds;
  try {
    for (;;) {
      const jobs = await host.adapter.recoverExpiredLeases({
        workerId: host.settings.workerId,
        now: host.clock.now(),
        leaseMs: host.settings.leaseMs,
        limit: RECOVER_BATCH,
      });
      for (const job of jobs) {
        if (refunds && neverStarted(job)) await refund(host, job, summary);
        else await recoverOne(host, job, summary);
      }
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

/** Core's crash-refund rule: no heartbeat reported the run started, and refunds are left. */
function neverStarted(job: RecoveredJob): boolean {
  return job.startReported === false && (job.crashRefunds ?? 0) < MAX_CRASH_REFUNDS;
}

/**
 * The expired lease's run never started: back to the queue at its place (`runAt` kept), or to
 * `paused` when a pause was asked for meanwhile, with the attempt given back and the refund
 * counted. No history entry: no attempt failed.
 */
async function refund(host: RunnerHost, job: RecoveredJob, summary: RecoveredLeases): Promise<void> {
  const to = job.pauseRequested ? 'paused' : 'queued';
  try {
    const result = await host.adapter.release(job.id, {
      leaseToken: job.leaseToken,
      now: host.clock.now(),
      to,
      runAt: to === 'queued' ? job.runAt : undefined,
      refundAttempt: true,
      crashRefund: true,
    });
    if (!result.ok) return; // deleted or cancelled since
    summary.refunded.push(job.id);
    if (result.status === 'paused') {
      summary.paused.push(job.id);
      host.counters.paused++;
      host.events.emit('paused', job);
    } else summary.requeued.push(job.id);
  } catch (error) {
    // The store failed: the job stays leased to us until that lease expires, then is recovered again.
    host.events.emit('error', error, job);
  }
}

async function recoverOne(host: RunnerHost, job: RecoveredJob, summary: RecoveredLeases): Promise<void> {
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
