import type { QueueContext } from './context.js';
import type { HealthReport } from './types.js';

/**
 * `queue.health()`: does the adapter answer (its `ping`, else a `getJob` round trip), and
 * which workers heartbeated recently (when the adapter tracks workers). Never throws: a failing
 * adapter is reported as `ok: false` with its error message.
 */
export async function health(ctx: QueueContext): Promise<HealthReport> {
  const started = ctx.clock.now();
  const adapter: HealthReport['adapter'] = { ok: true, latencyMs: 0 };
  try {
    if (ctx.adapter.ping) await ctx.adapter.ping();
    else await ctx.adapter.getJob('00000000-0000-4000-8000-000000000000');
  } catch (error) {
    adapter.ok = false;
    adapter.error = error instanceof Error ? error.message : String(error);
  }
  const now = ctx.clock.now();
  adapter.latencyMs = Math.max(0, now - started);
  let workers: HealthReport['workers'] = [];
  if (adapter.ok && ctx.adapter.capabilities.workers && ctx.adapter.listWorkers) {
    try {
      const seen = await ctx.adapter.listWorkers({ since: now - 10 * ctx.workerStaleAfterMs });
      workers = seen.map((w) => ({
        workerId: w.workerId,
        lastSeenAt: w.lastSeenAt,
        alive: now - w.lastSeenAt <= ctx.workerStaleAfterMs,
        activeJobs: w.activeJobs,
      }));
    } catch (error) {
      adapter.ok = false;
      adapter.error = error instanceof Error ? error.message : String(error);
    }
  }
  return { ok: adapter.ok, adapter, workers };
}
