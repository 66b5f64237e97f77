import { json } from './http-errors.js';
import { readQuery } from './query-params.js';
import type { Route } from './route-context.js';

/** `/stats` and `/health`. */
export const systemRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/stats',
    mutates: false,
    async handle(ctx) {
      const filter = readQuery(ctx.url, { type: 'list', queue: 'string', tenantId: 'string' });
      return json(await ctx.queue.stats(filter as never, ctx.scope));
    },
  },
  {
    method: 'GET',
    pattern: '/health',
    mutates: false,
    async handle(ctx) {
      const report = await ctx.queue.health();
      // The adapter's own error text may name hosts or credentials: callers get a fixed sentence.
      const adapter = report.adapter.ok
        ? report.adapter
        : { ...report.adapter, error: 'The job store is unavailable' };
      return json({ ...report, adapter }, report.ok ? 200 : 503);
    },
  },
];
