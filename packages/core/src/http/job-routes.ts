import * as z from 'zod/mini';
import { validateWith } from '../config/validate.js';
import { ValidationError } from '../errors/redrive-error.js';
import type { Job } from '../job/job.js';
import { plainObject } from '../queue/schemas.js';
import { json } from './http-errors.js';
import { readFilterQuery } from './query-params.js';
import type { Route } from './route-context.js';

// Body shapes. The queue validates the inner values (options, filter) itself and names the bad
// field; here only the envelope is checked (plain objects kept as sent, so a `__proto__` key
// reaches the queue's strict schemas and is refused as unknown, instead of dropped). `db` (a transaction client) never comes over HTTP.
const createBody = z.strictObject({
  type: z.string(),
  payload: z.optional(z.unknown()),
  options: z.optional(plainObject),
});

const bulkBody = z.strictObject({
  action: z.enum(['retry', 'cancel', 'delete']),
  filter: z._default(plainObject, () => ({})),
  limit: z._default(z.int().check(z.minimum(1), z.maximum(10_000)), 1000),
});

// The queue checks the values (status, age) and names a bad one; `olderThan` stays a queue option
// (JSON has no dates), as for the dead-letter purge.
const purgeBody = z.optional(
  z.strictObject({ status: z.optional(z.unknown()), olderThanMs: z.optional(z.unknown()) }),
);

const pauseBody = z.optional(z.strictObject({ reason: z.optional(z.string().check(z.maxLength(1000))) }));

/** JSON has no dates: `runAt` may come as an ISO 8601 string as well as epoch ms. */
function jsonOptions(options: Record<string, unknown> | undefined): never {
  if (!options || typeof options.runAt !== 'string') return options as never;
  const ms = Date.parse(options.runAt);
  if (Number.isNaN(ms)) {
    throw new ValidationError(
      '[redrive] [http.body] options.runAt: must be epoch milliseconds or an ISO 8601 date',
      {
        issues: [{ path: 'options.runAt', message: 'must be epoch milliseconds or an ISO 8601 date' }],
      },
    );
  }
  return { ...options, runAt: ms } as never;
}

const action =
  (name: 'retry' | 'pause' | 'resume' | 'cancel' | 'restart'): Route['handle'] =>
  async (ctx) => {
    const id = ctx.params.id!;
    let job: Job;
    if (name === 'pause') {
      const body = validateWith(pauseBody, await ctx.body(), 'http.body');
      job = await ctx.queue.pauseJob(id, body?.reason ?? null, ctx.scope);
    } else if (name === 'retry') job = await ctx.queue.retryJob(id, ctx.scope);
    else if (name === 'resume') job = await ctx.queue.resumeJob(id, ctx.scope);
    else if (name === 'cancel') job = await ctx.queue.cancelJob(id, ctx.scope);
    else job = await ctx.queue.restartJob(id, ctx.scope);
    await ctx.audit(`job.${name}`, [job.id]);
    return json(ctx.serializeJob(job));
  };

/** `/jobs` routes: list, create, read, retry history, guarded actions, delete, bulk, purge. */
export const jobRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/jobs',
    mutates: false,
    async handle(ctx) {
      const page = await ctx.queue.listJobs(readFilterQuery(ctx.url, true) as never, ctx.scope);
      return json({ jobs: page.jobs.map(ctx.serializeJob), nextCursor: page.nextCursor });
    },
  },
  {
    method: 'POST',
    pattern: '/jobs',
    mutates: true,
    async handle(ctx) {
      const body = validateWith(createBody, await ctx.body(), 'http.body');
      if (body.options && 'db' in body.options) {
        throw new ValidationError('[redrive] [http.body] options.db: is not accepted over HTTP', {
          issues: [{ path: 'options.db', message: 'is not accepted over HTTP' }],
        });
      }
      const job = await ctx.queue.enqueue(
        body.type,
        body.payload ?? null,
        jsonOptions(body.options),
        ctx.scope,
      );
      await ctx.audit('job.create', [job.id]);
      return json(ctx.serializeJob(job), 201);
    },
  },
  {
    method: 'POST',
    pattern: '/jobs/bulk',
    mutates: true,
    async handle(ctx) {
      const body = validateWith(bulkBody, await ctx.body(), 'http.body');
      const result = await ctx.queue.bulk(body.action, body.filter as never, body.limit, ctx.scope);
      await ctx.audit(`jobs.bulk.${body.action}`, result.succeeded);
      return json(result);
    },
  },
  {
    // Retention: completed / cancelled jobs older than `olderThanMs` (default 7 days).
    method: 'POST',
    pattern: '/jobs/purge',
    mutates: true,
    async handle(ctx) {
      const body = validateWith(purgeBody, await ctx.body(), 'http.body');
      const result = await ctx.queue.purge((body ?? {}) as never, ctx.scope);
      await ctx.audit('jobs.purge', []);
      return json(result);
    },
  },
  {
    method: 'GET',
    pattern: '/jobs/:id',
    mutates: false,
    async handle(ctx) {
      return json(ctx.serializeJob(await ctx.queue.getJob(ctx.params.id!, ctx.scope)));
    },
  },
  {
    method: 'GET',
    pattern: '/jobs/:id/retries',
    mutates: false,
    async handle(ctx) {
      const job = await ctx.queue.getJob(ctx.params.id!, ctx.scope);
      const retries = await ctx.queue.getRetryHistory(job.id, ctx.scope);
      return json({
        jobId: job.id,
        totalAttempts: job.attempt,
        retries: ctx.redact.history(job.id, retries),
      });
    },
  },
  { method: 'POST', pattern: '/jobs/:id/retry', mutates: true, handle: action('retry') },
  { method: 'POST', pattern: '/jobs/:id/restart', mutates: true, handle: action('restart') },
  { method: 'POST', pattern: '/jobs/:id/pause', mutates: true, handle: action('pause') },
  { method: 'POST', pattern: '/jobs/:id/resume', mutates: true, handle: action('resume') },
  { method: 'POST', pattern: '/jobs/:id/cancel', mutates: true, handle: action('cancel') },
  {
    method: 'DELETE',
    pattern: '/jobs/:id',
    mutates: true,
    async handle(ctx) {
      await ctx.queue.deleteJob(ctx.params.id!, ctx.scope);
      await ctx.audit('job.delete', [ctx.params.id!]);
      return json({ deleted: true, id: ctx.params.id });
    },
  },
];
