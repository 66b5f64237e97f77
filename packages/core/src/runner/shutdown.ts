import { resolveCapabilities } from '../adapter/capabilities.js';
import type { ClaimedJob } from '../job/job.js';
import type { RunState } from './run-state.js';
import type { RunnerHost } from './runner-host.js';

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
 * The runner stopped (end of `stop()` or `drain()`): the adapter forgets the worker, so health no
 * longer lists it. Only when the adapter has `releaseWorker`. Never throws.
 */
export async function releaseWorker(host: RunnerHost): Promise<void> {
  const { adapter } = host;
  if (!resolveCapabilities(adapter).releaseWorker) return;
  try {
    await adapter.releaseWorker!(host.settings.workerId, { now: host.clock.now() });
  } catch (error) {
    host.events.emit('error', error);
  }
}
