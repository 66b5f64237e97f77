// Typed jobs end to end, checked by `tsc` (the root `pnpm typecheck` includes this file; vitest does
// not run it). A `@ts-expect-error` line must fail to compile: if it compiled, tsc reports the unused
// directive, so each negative case below is proven to be a compile error.

import { memoryAdapter } from '@redrive/adapter-memory';
import { expectTypeOf } from 'vitest';
import * as z from 'zod';
import * as zm from 'zod/mini';
import { createHttpHandler } from '../http/index.js';
import {
  type ClaimedJob,
  type ClaimedJobOf,
  createQueue,
  type DeadLetter,
  type InferSchemaInput,
  type InferSchemaOutput,
  type Job,
  type JobHandlers,
  type JobMapOf,
  type JobOf,
  JobRunner,
  type Queue,
} from '../index.js';

// ---------------------------------------------------------------------------------------------
// A declared job map: createQueue<Jobs>()

type Jobs = {
  'send-email': { payload: { to: string; subject: string }; result: { messageId: string } };
  'resize-image': { payload: { url: string; width: number } };
};
type Email = { to: string; subject: string };
type Resize = { url: string; width: number };

const queue = createQueue<Jobs>({
  adapter: memoryAdapter(),
  policies: {
    'send-email': {
      maxAttempts: 3,
      schema: z.object({ to: z.string(), subject: z.string() }),
      onDeadLetter: (dl) => {
        expectTypeOf(dl.payload).toEqualTypeOf<Email>();
      },
    },
  },
});
expectTypeOf(queue).toEqualTypeOf<Queue<Jobs>>();

// enqueue: the type's payload, and nothing else.
expectTypeOf(queue.enqueue<'send-email'>)
  .parameter(1)
  .toEqualTypeOf<Email>();
expectTypeOf(queue.enqueue<'send-email'>).returns.resolves.toEqualTypeOf<
  Job<Email, { messageId: string }, 'send-email'>
>();
void queue.enqueue('send-email', { to: 'ada@example.com', subject: 'Hi' });
// @ts-expect-error a wrong payload
void queue.enqueue('send-email', { too: 1 });
// @ts-expect-error a payload with a misspelt field
void queue.enqueue('send-email', { to: 'ada@example.com', subject: 'Hi', bogus: 1 });
// @ts-expect-error a field of the wrong type
void queue.enqueue('resize-image', { url: 'https://x', width: '200' });
// @ts-expect-error an unknown job type
void queue.enqueue('send-emial', { to: 'ada@example.com', subject: 'Hi' });

// enqueueMany: each item checked against its own type.
void queue.enqueueMany([
  { type: 'send-email', payload: { to: 'a', subject: 'b' } },
  { type: 'resize-image', payload: { url: 'u', width: 1 }, options: { priority: 1 } },
]);
// @ts-expect-error the payload of another type
void queue.enqueueMany([{ type: 'send-email', payload: { url: 'u', width: 1 } }]);
// @ts-expect-error an unknown job type
void queue.enqueueMany([{ type: 'nope', payload: {} }]);
expectTypeOf(queue.enqueueMany).returns.resolves.toEqualTypeOf<JobOf<Jobs>[]>();

// Reads: a union discriminated by `type`; a `type` filter narrows it.
expectTypeOf(queue.getJob).returns.resolves.toEqualTypeOf<
  Job<Email, { messageId: string }, 'send-email'> | Job<Resize, unknown, 'resize-image'>
>();
async function reads(): Promise<void> {
  const job = await queue.getJob('id');
  if (job.type === 'send-email') {
    expectTypeOf(job.payload).toEqualTypeOf<Email>();
    expectTypeOf(job.result).toEqualTypeOf<{ messageId: string } | null>();
  } else {
    expectTypeOf(job.payload).toEqualTypeOf<Resize>();
  }
  const { jobs } = await queue.listJobs({ type: 'resize-image', status: 'failed' });
  expectTypeOf(jobs).toEqualTypeOf<Job<Resize, unknown, 'resize-image'>[]>();
  const all = await queue.listJobs();
  expectTypeOf(all.jobs).toEqualTypeOf<JobOf<Jobs>[]>();
  // @ts-expect-error a type filter naming no job type
  await queue.listJobs({ type: 'send-emial' });
  const { deadLetters } = await queue.deadLetters.list({ type: 'send-email' });
  expectTypeOf(deadLetters).toEqualTypeOf<DeadLetter<Email, 'send-email'>[]>();
  const retried = await queue.retryJob('id');
  expectTypeOf(retried).toEqualTypeOf<JobOf<Jobs>>();
}
void reads;

queue.on('enqueued', (job) => expectTypeOf(job).toEqualTypeOf<JobOf<Jobs>>());

// Policies follow the map: a schema must produce the payload; no policy for an unknown type.
createQueue<Jobs>({
  adapter: memoryAdapter(),
  // @ts-expect-error a schema whose output is not the declared payload
  policies: { 'send-email': { schema: z.object({ to: z.number(), subject: z.string() }) } },
});
createQueue<Jobs>({
  adapter: memoryAdapter(),
  // @ts-expect-error a policy for a type the map does not have
  policies: { 'send-emial': { maxAttempts: 2 } },
});

// The runner: handlers see the declared payload and must return the declared result.
const runner = new JobRunner({
  queue,
  handlers: {
    'send-email': async (job, ctx) => {
      expectTypeOf(job).toEqualTypeOf<ClaimedJob<Email, { messageId: string }, 'send-email'>>();
      expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
      return { messageId: `m-${job.payload.to}` };
    },
    'resize-image': (job) => job.payload.width * 2, // no declared result: anything
  },
});
expectTypeOf(runner).toEqualTypeOf<JobRunner<Jobs>>();
new JobRunner({
  queue,
  handlers: {
    // @ts-expect-error the declared result is { messageId: string }
    'send-email': async () => ({ sent: true }),
  },
});
new JobRunner({
  queue,
  handlers: {
    // @ts-expect-error a result is declared, so the handler must return one
    'send-email': async () => {},
  },
});
new JobRunner({
  queue,
  handlers: {
    // @ts-expect-error the payload has no field `tooo`
    'resize-image': async (job) => job.payload.tooo.bogus,
  },
});
new JobRunner({
  queue,
  handlers: {
    // @ts-expect-error a handler for a type the map does not have
    'send-emial': async () => ({ messageId: 'x' }),
  },
});
// Handlers written apart from the runner: `satisfies` checks their names and types.
const handlers = {
  'resize-image': (job) => job.payload.url,
  // @ts-expect-error a handler for a type the map does not have
  'send-emial': () => ({ messageId: 'x' }),
} satisfies JobHandlers<Jobs>;
void handlers;
// @ts-expect-error `types` names a type the map does not have
new JobRunner({ queue, handlers: {}, types: ['send-emial'] });

runner.on('started', (job) => expectTypeOf(job).toEqualTypeOf<ClaimedJobOf<Jobs>>());
runner.on('completed', (job, result) => {
  expectTypeOf(job.type).toEqualTypeOf<'send-email' | 'resize-image'>();
  expectTypeOf(result).toEqualTypeOf<unknown>(); // the union of { messageId } and unknown
});
runner.on('deadLettered', (dl) => {
  if (dl.type === 'resize-image') expectTypeOf(dl.payload).toEqualTypeOf<Resize>();
});

// A typed queue or runner goes wherever an untyped one is taken.
const anyQueue: Queue = queue;
const anyRunner: JobRunner = runner;
void [anyQueue, anyRunner, createHttpHandler(queue, { authorize: () => ({ tenantId: null }) })];
expectTypeOf<JobMapOf<typeof queue>>().toEqualTypeOf<Jobs>();

// An interface works as a map too.
interface MailJobs {
  welcome: { payload: { userId: string }; result: { delivered: boolean } };
}
const mail = createQueue<MailJobs>({ adapter: memoryAdapter() });
void mail.enqueue('welcome', { userId: 'u1' });
// @ts-expect-error a wrong payload
void mail.enqueue('welcome', { user: 'u1' });

// ---------------------------------------------------------------------------------------------
// A map inferred from the policies' schemas (zod and zod/mini). It types the types with a schema
// and stays open: other names compile, as they run (under the default policy).

const inferred = createQueue({
  adapter: memoryAdapter(),
  policies: {
    'send-email': {
      maxAttempts: 5,
      schema: z.object({ to: z.string().email(), urgent: z.boolean().default(false) }),
      onDeadLetter: (dl) => {
        expectTypeOf(dl.payload).toEqualTypeOf<{ to: string; urgent: boolean }>();
      },
    },
    'sync-account': { schema: zm.object({ accountId: zm.string(), full: zm.optional(zm.boolean()) }) },
    cleanup: { maxAttempts: 1 }, // no schema: not typed
  },
});
// enqueue takes the schema's input (a default may be left out); the handler gets its output.
void inferred.enqueue('send-email', { to: 'ada@example.com' });
void inferred.enqueue('sync-account', { accountId: 'a1' });
void inferred.enqueue('cleanup', { anything: true });
void inferred.enqueue('no-policy', 42);
// @ts-expect-error a wrong payload
void inferred.enqueue('send-email', { too: 'ada@example.com' });
// @ts-expect-error a payload with a misspelt field
void inferred.enqueue('send-email', { to: 'ada@example.com', urgnet: true });
// @ts-expect-error a wrong payload for a zod/mini schema
void inferred.enqueue('sync-account', { accountId: 1 });
expectTypeOf(inferred.enqueue<'send-email'>).returns.resolves.toEqualTypeOf<
  Job<{ to: string; urgent: boolean }, unknown, 'send-email'>
>();
async function inferredReads(): Promise<void> {
  const { jobs } = await inferred.listJobs({ type: 'sync-account' });
  expectTypeOf(jobs[0]!.payload).toEqualTypeOf<{ accountId: string; full?: boolean }>();
  const other = await inferred.listJobs({ type: 'cleanup' });
  expectTypeOf(other.jobs[0]!.payload).toEqualTypeOf<unknown>();
}
void inferredReads;
new JobRunner({
  queue: inferred,
  handlers: {
    'send-email': (job) => expectTypeOf(job.payload).toEqualTypeOf<{ to: string; urgent: boolean }>(),
    'sync-account': (job) => expectTypeOf(job.payload).toEqualTypeOf<{ accountId: string; full?: boolean }>(),
    cleanup: (job) => expectTypeOf(job.payload).toBeAny(), // no schema: as without a map
    other: (job) => expectTypeOf(job.type).toEqualTypeOf<string>(),
  },
});
new JobRunner({
  queue: inferred,
  handlers: {
    // @ts-expect-error the payload has no field `tooo`
    'send-email': (job) => job.payload.tooo.bogus,
  },
});
expectTypeOf<JobMapOf<typeof inferred>['send-email']['payload']>().toEqualTypeOf<{
  to: string;
  urgent: boolean;
}>();

// An open map declared by hand: named types typed, any other name accepted.
type OpenJobs = {
  'send-email': { payload: { to: string }; result: { messageId: string } };
  [type: string]: { payload: unknown };
};
const open = createQueue<OpenJobs>({
  adapter: memoryAdapter(),
  policies: {
    'send-email': {
      onDeadLetter: (dl) => {
        expectTypeOf(dl.payload).toEqualTypeOf<{ to: string }>();
      },
    },
    anything: { maxAttempts: 2 },
  },
});
void open.enqueue('send-email', { to: 'a' });
void open.enqueue('whatever', [1, 2]);
// @ts-expect-error a wrong payload for a named type
void open.enqueue('send-email', { too: 'a' });
new JobRunner({
  queue: open,
  handlers: {
    'send-email': async (job) => ({ messageId: job.payload.to }),
    whatever: (job) => job.payload.anything, // `any`, as without a map
  },
});
new JobRunner({
  queue: open,
  handlers: {
    // @ts-expect-error the declared result is { messageId: string }
    'send-email': async () => 'sent',
  },
});

expectTypeOf<InferSchemaOutput<typeof emailSchema>>().toEqualTypeOf<{ to: string; urgent: boolean }>();
expectTypeOf<InferSchemaInput<typeof emailSchema>>().toEqualTypeOf<{
  to: string;
  urgent?: boolean | undefined;
}>();
const emailSchema = z.object({ to: z.string(), urgent: z.boolean().default(false) });
// Any Standard Schema: its declared output and input types.
type Standard = { '~standard': { types?: { input: { n: string }; output: { n: number } } } };
expectTypeOf<InferSchemaOutput<Standard>>().toEqualTypeOf<{ n: number }>();
expectTypeOf<InferSchemaInput<Standard>>().toEqualTypeOf<{ n: string }>();

// ---------------------------------------------------------------------------------------------
// No map and no schema: everything compiles as before

const untyped = createQueue({ adapter: memoryAdapter(), policies: { t: { maxAttempts: 2 } } });
expectTypeOf(untyped).toEqualTypeOf<Queue>();
expectTypeOf(untyped.enqueue('any-type', { n: 1 })).resolves.toEqualTypeOf<Job<{ n: number }>>();
expectTypeOf(untyped.getJob).returns.resolves.toEqualTypeOf<Job>();
expectTypeOf(untyped.listJobs).returns.resolves.toEqualTypeOf<{ jobs: Job[]; nextCursor: string | null }>();
void untyped.enqueueMany([{ type: 'x', payload: 1 }]);
new JobRunner({
  queue: untyped,
  handlers: {
    t: async (job) => {
      expectTypeOf(job.payload).toBeAny(); // as before a map: the handler's payload is `any`
      return job.payload.whatever;
    },
    'any-name': () => {},
  },
}).on('completed', (job, result) => {
  expectTypeOf(job).toEqualTypeOf<ClaimedJob>();
  expectTypeOf(result).toEqualTypeOf<unknown>();
});
untyped.on('enqueued', (job) => expectTypeOf(job).toEqualTypeOf<Job>());
