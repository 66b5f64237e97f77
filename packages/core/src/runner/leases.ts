import { getSuggestedAction } from '../classify/index.js';
import { LeaseLostError } from '../errors/redrive-error.js';
import type { ClaimedJob } from '../job/job.js';
import { toDeadLetter } from '../queue/dead-letters.js';
import type { RunState } from './run-state.js';
import type { RunnerHost } from './runner-host.js';

/**
 * One heartbeat: extend every lease the worker holds in a single adapter call (which also
 * records the worker as alive), then act on the answer — abort handlers whose lease was lost or
 * whose job was cancelled, and pause at their checkpoint those asked to pause. Never throws.
 */
export async function sendHeartbeat(host: RunnerHost): Promise<void> {
  try {
    const leases: Array<{ id: string; leaseToken: string }> = [];
    for (const run of host.active.values()) {
      if (!run.finished && run.stopKind !== 'leaseLost')
        leases.push({ id: run.job.id, leaseToken: run.job.leaseToken });
    }
    const result = await host.adapter.heartbeat({
      workerId: host.settings.workerId,
      leases,
      leaseMs: host.settings.leaseMs,
      now: host.clock.now(),
    });
    for (const id of result.lost) host.active.get(id)?.abort('leaseLost');
    for (const id of result.cancelled) host.active.get(id)?.abort('cancelled');
    for (const id of result.pauseRequested) host.active.get(id)?.requestPause();
  } catch (error) {
    host.events.emit('error', error);
  }
}

/**
 * Recover expired leases: jobs of crashed or stalled workers go back to `queued` (the lost run
 * counts as a `transient_timeout` attempt), to the DLQ on their last attempt, or to `paused` when a
 * pause was asked. Returns how many jobs moved. Never throws.
 */
export async function recoverExpired(host: RunnerHost): Promise<number> {
  // After a store outage every lease looks expired, though their workers are alive: they could not
  // heartbeat. Hold off for a lease period after our last failed claim or recovery (the store was
  // unreachable), so their first heartbeats renew them and their outcome writes land before anyone
  // charges an attempt. (A failing heartbeat alone does not count: it says our leases are at risk,
  // not that the store is down for everyone.)
  if (host.clock.now() - host.lastStoreErrorAt < host.settings.leaseMs) return 0;
  try {
    const queue = host.settings.queue;
    const result = await host.adapter.recoverExpiredLeases({
      now: host.clock.now(),
      error: { message: LEASE_EXPIRED_MESSAGE, category: 'transient_timeout' },
      historyLimit: queue.historyLimit,
      suggestedAction: getSuggestedAction('transient_timeout'),
    });
    const n = result.requeued.length + result.deadLettered.length + result.paused.length;
    host.counters.recovered += n;
    if (n > 0) host.events.emit('recovered', result);
    if (result.deadLettered.length > 0) await reportDeadLetters(host, result.deadLettered);
    return n;
  } catch (error) {
    host.noteStoreError();
    host.events.emit('error', error);
    return 0;
  }
}

const LEASE_EXPIRED_MESSAGE = 'lease expired: the worker stopped heartbeating (crashed or stalled)';

/**
 * Jobs recovery dead-lettered (their lease expired on their last attempt: the worker crashed every
 * time) get what a dead letter from a failed attempt gets: the `deadLettered` event,
 * then `onDeadLetter` and `onRetriesExhausted`. A throwing hook is reported as `error`, never thrown.
 */
async function reportDeadLetters(host: RunnerHost, ids: string[]): Promise<void> {
  const queue = host.settings.queue;
  for (const id of ids) {
    const job = await host.adapter.getJob(id).catch((error: unknown) => {
      host.events.emit('error', error);
      return null;
    });
    // Deleted or redriven since: there is no dead letter left to report.
    if (job === null || job.status !== 'failed') continue;
    host.counters.deadLettered++;
    const error = new LeaseLostError(`[redrive] [runner] ${job.error ?? LEASE_EXPIRED_MESSAGE}`, { id });
    const deadLetter = toDeadLetter(job);
    // A permanent category cannot come from recovery; the check keeps the rule the same as decideFailure's.
    const exhausted = !job.requiresUserAction;
    host.events.emit('deadLettered', deadLetter, { error, category: 'transient_timeout', exhausted });
    const policy = queue.policyFor(job.type);
    host.runHook(job, async () => {
      await policy.onDeadLetter?.(deadLetter);
    });
    if (exhausted)
      host.runHook(job, async () => {
        await policy.onRetriesExhausted?.(job, error);
      });
  }
}

/** Jobs claimed while stopping that never started: back to the queue with their attempt refunded. */
export async function releaseUnstarted(host: RunnerHost, jobs: ClaimedJob[]): Promise<void> {
  const now = host.clock.now();
  await Promise.all(
    jobs.map((job) =>
      host.adapter
        .release(job.id, {
          leaseToken: job.leaseToken,
          now,
          to: 'queued',
          runAt: job.runAt,
          refundAttempt: true,
        })
        .catch((error: unknown) => host.events.emit('error', error, job)),
    ),
  );
}

/**
 * Stop's last resort for a handler that did not finish in time: abort it, forget it (whatever it
 * does later is ignored), and give its job back to the queue now. The attempt counts: it ran.
 */
export async function abandonRun(host: RunnerHost, run: RunState): Promise<void> {
  run.abort('stopped');
  run.abandoned = true;
  run.disarm(); // its timeout and progress timers must not keep the process alive
  host.runFinished(run); // its slot is free now, whatever the abandoned handler does later
  try {
    const now = host.clock.now();
    await host.adapter.release(run.job.id, {
      leaseToken: run.job.leaseToken,
      now,
      to: 'queued',
      runAt: now,
      refundAttempt: false,
    });
  } catch (error) {
    host.events.emit('error', error, run.job);
  }
}

/**
 * The runner stopped (end of `stop()` or `drain()`): the adapter hands back the jobs it claimed
 * ahead for this worker and never gave to us (attempt refunded), and forgets the worker so health
 * no longer lists it. Only when the adapter has `releaseWorker`. Never throws.
 */
export async function releaseWorker(host: RunnerHost): Promise<void> {
  const { adapter } = host;
  if (!adapter.capabilities.releaseWorker || typeof adapter.releaseWorker !== 'function') return;
  try {
    await adapter.releaseWorker(host.settings.workerId, { now: host.clock.now() });
  } catch (error) {
    host.events.emit('error', error);
  }
}
