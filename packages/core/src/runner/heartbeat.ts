import type { LeaseRef } from '../adapter/requests.js';
import type { RunnerHost } from './runner-host.js';

/**
 * One heartbeat: extend every lease the worker holds in a single adapter call (which also
 * records the worker as alive, and which of its jobs have started, for a crash refund: see
 * `recoverExpired`), then act on the answer — abort handlers whose lease was lost or
 * whose job was cancelled, and pause at their checkpoint those asked to pause. Never throws.
 */
export async function sendHeartbeat(host: RunnerHost): Promise<void> {
  try {
    const leases: LeaseRef[] = [];
    for (const run of host.active.values()) {
      if (!run.finished && run.stopKind !== 'leaseLost')
        leases.push({ id: run.job.id, leaseToken: run.job.leaseToken, started: true });
    }
    // Jobs claimed ahead are leased to this worker too: their leases must not run out while they
    // wait. They go as not started, so that if this worker dies, recovery gives their attempt back.
    const buffered = host.ahead.leases();
    const now = host.clock.now();
    const result = await host.adapter.heartbeat({
      workerId: host.settings.workerId,
      leases: buffered.length === 0 ? leases : [...leases, ...buffered],
      leaseMs: host.settings.leaseMs,
      now,
    });
    for (const id of result.lost) host.active.get(id)?.abort('leaseLost');
    for (const id of result.cancelled) host.active.get(id)?.abort('cancelled');
    for (const id of result.pauseRequested) host.active.get(id)?.requestPause();
    await host.ahead.renewed(buffered, result, now + host.settings.leaseMs);
  } catch (error) {
    host.events.emit('error', error);
  }
}
