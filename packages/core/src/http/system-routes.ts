import { HttpError, json } from './http-errors.js';
import { readFilterQuery, readQuery } from './query-params.js';
import type { Route } from './route-context.js';

/** `/stats`, `/stats/throughput` and `/health`. */
export const systemRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/stats',
    mutates: false,
    async handle(ctx) {
      const filter = readFilterQuery(ctx.url, false);
      return json(await ctx.queue.stats(filter as never, ctx.scope));
    },
  },
  {
    method: 'GET',
    pattern: '/stats/throughput',
    mutates: false,
    async handle(ctx) {
      const { since, type } = readQuery(ctx.url, { since: 'time', type: 'string' });
      const found = await ctx.queue.throughput({ since: since as number, type: type as string }, ctx.scope);
      // 404 tells a dashboard to hide its chart: this store does not count finished jobs per minute.
      if (found === null) throw new HttpError('NOT_FOUND', 'this job store does not report throughput');
      return json(found);
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
