import * as z from 'zod/mini';
import { validateWith } from '../config/validate.js';
import type { DeadLetter } from '../job/job.js';
import { plainObject } from '../queue/schemas.js';
import { json } from './http-errors.js';
import { readFilterQuery } from './query-params.js';
import type { Route, RouteContext } from './route-context.js';

const redriveBody = z.union([
  z.strictObject({ ids: z.array(z.string().check(z.minLength(1))).check(z.maxLength(1000)) }),
  z.strictObject({
    filter: plainObject,
    limit: z._default(z.int().check(z.minimum(1), z.maximum(10_000)), 100),
  }),
]);

const purgeBody = z.optional(
  z.strictObject({ olderThanMs: z.optional(z.int().check(z.minimum(0))), filter: z.optional(plainObject) }),
);

/**
 * A dead letter repeats fields of its job (payload, error...). Both go through `serializeJob`, so a
 * field hidden from jobs is hidden from dead letters too: the top-level copies are taken from the
 * serialised job when it has them, and dropped when it does not.
 */
function serialize(ctx: RouteContext, raw: DeadLetter): unknown {
  const letter = ctx.redact.deadLetter(raw);
  const job = ctx.serializeJob(letter.job);
  const out: Record<string, unknown> = { ...letter, job };
  const view = typeof job === 'object' && job !== null ? (job as Record<string, unknown>) : {};
  for (const key of Object.keys(letter) as Array<keyof DeadLetter>) {
    if (key === 'job' || key === 'history' || key === 'id') continue;
    const jobKey = key === 'attempts' ? 'attempt' : key;
    if (jobKey in letter.job) {
      if (jobKey in view) out[key] = view[jobKey];
      else delete out[key];
    }
  }
  return out;
}

/** `/dead-letters` routes: list, read one, redrive (ids or filter + limit), delete, purge by age. */
export const deadLetterRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/dead-letters',
    mutates: false,
    async handle(ctx) {
      const page = await ctx.queue.deadLetters.list(readFilterQuery(ctx.url, true) as never, ctx.scope);
      return json({
        deadLetters: page.deadLetters.map((d) => serialize(ctx, d)),
        nextCursor: page.nextCursor,
      });
    },
  },
  {
    method: 'POST',
    pattern: '/dead-letters/redrive',
    mutates: true,
    async handle(ctx) {
      const body = validateWith(redriveBody, await ctx.body(), 'http.body');
      const result =
        'ids' in body
          ? await ctx.queue.deadLetters.redrive(body.ids, undefined, ctx.scope)
          : await ctx.queue.deadLetters.redrive(
              { filter: body.filter as never },
              { limit: body.limit },
              ctx.scope,
            );
      await ctx.audit('deadLetters.redrive', result.succeeded);
      return json(result);
    },
  },
  {
    method: 'POST',
    pattern: '/dead-letters/purge',
    mutates: true,
    async handle(ctx) {
      const body = validateWith(purgeBody, await ctx.body(), 'http.body');
      const result = await ctx.queue.deadLetters.purge(
        {
          ...(body?.olderThanMs === undefined ? {} : { olderThanMs: body.olderThanMs }),
          ...(body?.filter === undefined ? {} : { filter: body.filter as never }),
        },
        ctx.scope,
      );
      await ctx.audit('deadLetters.purge', []);
      return json(result);
    },
  },
  {
    method: 'GET',
    pattern: '/dead-letters/:id',
    mutates: false,
    async handle(ctx) {
      return json(serialize(ctx, await ctx.queue.deadLetters.get(ctx.params.id!, ctx.scope)));
    },
  },
  {
    method: 'DELETE',
    pattern: '/dead-letters/:id',
    mutates: true,
    async handle(ctx) {
      // One id: a missing (or other tenant's, or not dead-lettered) job answers 404, not a 200 with a failure list.
      await ctx.queue.deadLetters.get(ctx.params.id!, ctx.scope);
      const result = await ctx.queue.deadLetters.delete([ctx.params.id!], undefined, ctx.scope);
      await ctx.audit('deadLetters.delete', result.succeeded);
      return json({ deleted: result.succeeded.length === 1, id: ctx.params.id });
    },
  },
];
