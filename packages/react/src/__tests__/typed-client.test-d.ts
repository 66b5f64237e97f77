// Typed jobs in @redrive/react, checked by `tsc` (the root `pnpm typecheck` includes this file;
// vitest does not run it). Each `@ts-expect-error` line is proven to be a compile error: tsc reports
// the directive when the line below it compiles.

import { memoryAdapter } from '@redrive/adapter-memory';
import { createQueue, type DeadLetter, type Job, type JobMapOf, type JobOf } from '@redrive/core';
import { expectTypeOf } from 'vitest';
import {
  createHttpClient,
  createQueueClient,
  type JobsClient,
  type JobsProviderProps,
  type JobsQuery,
  type Page,
  type UseJobResult,
  type UseJobsResult,
  useDeadLetters,
  useJob,
  useJobs,
  useJobsClient,
} from '../index.js';

type Jobs = {
  'send-email': { payload: { to: string }; result: { messageId: string } };
  'resize-image': { payload: { url: string; width: number } };
};
const queue = createQueue<Jobs>({ adapter: memoryAdapter() });

// createQueueClient takes the queue's job map; createHttpClient is given it.
const inProcess = createQueueClient(queue);
expectTypeOf(inProcess).toEqualTypeOf<JobsClient<Jobs>>();
const overHttp = createHttpClient<JobMapOf<typeof queue>>({ baseUrl: '/api/queue' });
expectTypeOf(overHttp).toEqualTypeOf<JobsClient<Jobs>>();

expectTypeOf(overHttp.listJobs<'resize-image'>).returns.resolves.toEqualTypeOf<
  Page<Job<{ url: string; width: number }, unknown, 'resize-image'>>
>();
expectTypeOf(overHttp.getJob).returns.resolves.toEqualTypeOf<JobOf<Jobs>>();
async function clientReads(): Promise<void> {
  const { items } = await overHttp.listJobs({ type: 'send-email', status: 'failed' });
  expectTypeOf(items[0]!.payload).toEqualTypeOf<{ to: string }>();
  const dead = await overHttp.listDeadLetters({ type: 'resize-image' });
  expectTypeOf(dead.items).toEqualTypeOf<DeadLetter<{ url: string; width: number }, 'resize-image'>[]>();
  // @ts-expect-error a type filter naming no job type
  await overHttp.listJobs({ type: 'send-emial' });
}
void clientReads;

// A typed client goes wherever an untyped one is taken (the provider, the dashboard).
const props: JobsProviderProps = { client: overHttp };
const anyClient: JobsClient = inProcess;
void [props, anyClient];

// Hooks: the job map as a type argument types the rows and the `type` filter.
expectTypeOf(useJobs<Jobs>).returns.toEqualTypeOf<UseJobsResult<Jobs>>();
expectTypeOf<UseJobsResult<Jobs>['jobs']>().toEqualTypeOf<JobOf<Jobs>[]>();
expectTypeOf(useJobs<Jobs>)
  .parameter(0)
  .toEqualTypeOf<JobsQuery<'send-email' | 'resize-image'> | undefined>();
expectTypeOf<UseJobResult<Jobs>['job']>().toEqualTypeOf<JobOf<Jobs> | null | undefined>();
expectTypeOf(useJobsClient<Jobs>).returns.toEqualTypeOf<JobsClient<Jobs>>();
function TypedComponent(): void {
  const { jobs } = useJobs<Jobs>({ type: 'send-email' });
  for (const job of jobs) if (job.type === 'send-email') expectTypeOf(job.payload.to).toEqualTypeOf<string>();
  const { job } = useJob<Jobs>('id');
  if (job?.type === 'resize-image') expectTypeOf(job.payload.width).toEqualTypeOf<number>();
  const { deadLetters } = useDeadLetters<Jobs>();
  expectTypeOf(deadLetters[0]!.type).toEqualTypeOf<'send-email' | 'resize-image'>();
  // @ts-expect-error a type filter naming no job type
  useJobs<Jobs>({ type: 'send-emial' });
}
void TypedComponent;

// Without a job map everything is as before: `Job` rows, any type name.
expectTypeOf(createQueueClient(createQueue({ adapter: memoryAdapter() }))).toEqualTypeOf<JobsClient>();
expectTypeOf(createHttpClient({ baseUrl: '/api' }).getJob).returns.resolves.toEqualTypeOf<Job>();
expectTypeOf<UseJobsResult['jobs']>().toEqualTypeOf<Job[]>();
function UntypedComponent(): void {
  const { jobs } = useJobs({ type: 'anything' });
  expectTypeOf(jobs).toEqualTypeOf<Job[]>();
}
void UntypedComponent;
