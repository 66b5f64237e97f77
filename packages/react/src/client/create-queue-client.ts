import type { JobMapOf, Queue } from '@redrive/core';
import type { JobsClient, ThroughputBucket, ThroughputQuery } from './jobs-client.js';
import { JobsClientError, toJobsClientError } from './jobs-client-error.js';
import { toJobFilter } from './to-job-filter.js';

/**
 * The part of a `Queue` the in-process client uses; `throughput` is used when the queue has it
 * (a store that can count completions per minute).
 */
export type QueueLike = Pick<
  Queue,
  | 'listJobs'
  | 'getJob'
  | 'getRetryHistory'
  | 'stats'
  | 'deadLetters'
  | 'retryJob'
  | 'restartJob'
  | 'pauseJob'
  | 'resumeJob'
  | 'cancelJob'
  | 'deleteJob'
  | 'bulk'
  | 'health'
> & {
  /** `null` when the store does not count finished jobs per minute. */
  throughput?: (
    query: ThroughputQuery,
  ) => Promise<ThroughputBucket[] | { buckets: ThroughputBucket[] } | null>;
};

/**
 * A {@link JobsClient} over a queue in the same process, no HTTP: for Electron or desktop apps,
 * server components, tests and demos. Queue errors become {@link JobsClientError}s with the same
 * codes the HTTP API answers with. There is no auth here: the caller acts as an operator who sees
 * every tenant, so only hand it to trusted code. The client has the queue's job map.
 *
 * @example
 * <JobQueueDashboard client={createQueueClient(queue)} />
 */
export function createQueueClient<Q extends QueueLike>(queue: Q): JobsClient<QueueJobs<Q>> {
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (error) {
        throw toJobsClientError(error);
      }
    };
  const client: JobsClient = {
    listJobs: wrap(async (query = {}) => {
      const page = await queue.listJobs({ ...toJobFilter(query), limit: query.limit, cursor: query.cursor });
      return { items: page.jobs, nextCursor: page.nextCursor };
    }),
    getJob: wrap((id: string) => queue.getJob(id)),
    getHistory: wrap(async (id: string) => {
      const job = await queue.getJob(id);
      return { jobId: id, totalAttempts: job.attempt, retries: await queue.getRetryHistory(id) };
    }),
    getStats: wrap((query?: { type?: string | undefined }) =>
      queue.stats(query?.type ? { type: query.type } : {}),
    ),
    listDeadLetters: wrap(async (query = {}) => {
      const page = await queue.deadLetters.list({
        ...toJobFilter(query),
        limit: query.limit,
        cursor: query.cursor,
      });
      return { items: page.deadLetters, nextCursor: page.nextCursor };
    }),
    act: wrap(async (id, action, options) => {
      switch (action) {
        case 'retry':
          return queue.retryJob(id);
        case 'restart':
          return queue.restartJob(id);
        case 'pause':
          return queue.pauseJob(id, options?.reason ?? null);
        case 'resume':
          return queue.resumeJob(id);
        case 'cancel':
          return queue.cancelJob(id);
      }
    }),
    deleteJob: wrap((id: string) => queue.deleteJob(id)),
    bulk: wrap((action, query, limit) => queue.bulk(action, toJobFilter(query), limit)),
    redrive: wrap((target) =>
      'ids' in target
        ? queue.deadLetters.redrive(target.ids)
        : queue.deadLetters.redrive({ filter: toJobFilter(target.query) }, { limit: target.limit ?? 100 }),
    ),
    purgeDeadLetters: wrap((options: { olderThanMs: number }) => queue.deadLetters.purge(options)),
    health: () => queue.health(),
  };
  const throughput = queue.throughput;
  if (typeof throughput === 'function') {
    client.throughput = wrap(async (query: ThroughputQuery) => {
      const answer = await throughput.call(queue, query);
      // Same answer as the HTTP route: NOT_FOUND tells the dashboard to hide its chart.
      if (answer === null)
        throw new JobsClientError(
          'NOT_FOUND',
          '[redrive] [client] this job store does not report throughput',
        );
      return Array.isArray(answer) ? answer : answer.buckets;
    });
  }
  return client;
}

/** The job map of a queue given to `createQueueClient` (`any` for a look-alike that is not a `Queue`). */
type QueueJobs<Q> = Q extends Queue<any> ? JobMapOf<Q> : any;
