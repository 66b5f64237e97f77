import { getSuggestedAction } from '../classify/index.js';
import type { ClaimedJob } from '../job/job.js';
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
  try {
    const queue = host.settings.queue;
    const result = await host.adapter.recoverExpiredLeases({
      now: host.clock.now(),
      error: {
        message: 'lease expired: the worker stopped heartbeating (crashed or stalled)',
        category: 'transient_timeout',
      },
      historyLimit: queue.historyLimit,
      suggestedAction: getSuggestedAction('transient_timeout'),
    });
    const n = result.requeued.length + result.deadLettered.length + result.paused.length;
    host.counters.recovered += n;
    if (n > 0) host.events.emit('recovered', result);
    return n;
  } catch (error) {
    host.events.emit('error', error);
    return 0;
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
  if (host.active.get(run.job.id) === run) host.active.delete(run.job.id);
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
