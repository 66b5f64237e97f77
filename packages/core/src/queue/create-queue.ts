import * as z from 'zod/mini';
import { missingAdapterMethods } from '../adapter/storage-adapter.js';
import { systemClock } from '../clock/clock.js';
import { validateWith } from '../config/index.js';
import type { Job } from '../job/job.js';
import { Emitter } from '../util/emitter.js';
import { timeOrderedId } from '../util/id.js';
import { callAdapter, checkScope, loadJob, type QueueContext, scopedFilter } from './context.js';
import { createDeadLetterQueue } from './dead-letters.js';
import { enqueueMany, enqueueOne } from './enqueue.js';
import { PAGING_KEYS, parseFilter } from './filter-keys.js';
import { health } from './health.js';
import { attachQueueInternals } from './internals.js';
import { bulk, cancelJob, deleteJob, pauseJob, restartJob, resumeJob, retryJob } from './job-actions.js';
import type { InferJobMap, JobMap } from './job-map.js';
import { type ResolvedPolicy, resolvePolicy } from './policy.js';
import { purgeJobs } from './retention.js';
import { listFilterSchema, plainObject } from './schemas.js';
import { stats } from './stats.js';
import { throughput } from './throughput.js';
import type {
  CreateQueueOptions,
  EnqueueJobOptions,
  PoliciesFor,
  Queue,
  QueueClassifierOptions,
  QueueEvents,
  TenantScope,
} from './types.js';

const optionsSchema = z.strictObject({
  adapter: z.custom<CreateQueueOptions['adapter']>((a) => missingAdapterMethods(a).length === 0, {
    error: (issue) =>
      `must implement the StorageAdapter methods (missing: ${missingAdapterMethods(issue.input).join(', ')})`,
  }),
  policies: z.optional(plainObject),
  defaultPolicy: z.optional(z.unknown()),
  classifier: z.optional(
    z.looseObject({
      rules: z.optional(z.array(z.unknown())),
      unknownIsRetryable: z.optional(z.boolean()),
    }),
  ),
  clock: z.optional(
    z.custom<NonNullable<CreateQueueOptions['clock']>>(
      (c: unknown) =>
        typeof c === 'object' &&
        c !== null &&
        ['now', 'setTimeout', 'clearTimeout'].every(
          (m) => typeof (c as Record<string, unknown>)[m] === 'function',
        ),
      'must have now(), setTimeout() and clearTimeout()',
    ),
  ),
  historyLimit: z.optional(z.int().check(z.minimum(1), z.maximum(10_000))),
  random: z.optional(z.custom<() => number>((f) => typeof f === 'function', 'must be a function')),
  generateId: z.optional(z.custom<() => string>((f) => typeof f === 'function', 'must be a function')),
  workerStaleAfterMs: z.optional(z.int().check(z.minimum(1))),
});

/** `Jobs` as given (`createQueue<Jobs>`): wrapped so that the policies never infer it. */
type Given<Jobs> = [Jobs][Jobs extends unknown ? 0 : never];

/** Default number of retry-history entries kept per job. */
export const DEFAULT_HISTORY_LIMIT = 25;

/**
 * Create a queue over a storage adapter: enqueue jobs, read them, act on them (pause, resume,
 * cancel, retry, restart, delete), and manage the dead-letter queue. Run the jobs with a
 * `JobRunner`. Options are validated at once: a bad policy throws ValidationError naming the field.
 *
 * Defaults: policies from `DEFAULT_RETRY_CONFIG` (5 executions, 1 s doubling to 60 s, ±10% jitter),
 * `historyLimit` 25, `clock` {@link systemClock}, `random` `Math.random`, ids random UUIDs.
 *
 * Typed jobs: pass a job map, `createQueue<Jobs>(...)` ({@link JobMap}: each type's `payload` and
 * `result`), or give policies a `schema` and the map is inferred from them ({@link InferJobMap}).
 * Either way `enqueue`, the jobs read back and the runner's handlers are typed, and an unknown
 * type name is a compile error. Without either, any name and payload compile.
 *
 * @example
 * const queue = createQueue({
 *   adapter: memoryAdapter(),
 *   policies: { 'send-email': { maxAttempts: 5, initialDelayMs: 2_000, timeoutMs: 30_000 } },
 * });
 * const job = await queue.enqueue('send-email', { to: 'ada@example.com' }, { delayMs: 60_000 });
 *
 * @example
 * type Jobs = { 'send-email': { payload: { to: string }; result: { messageId: string } } };
 * const typed = createQueue<Jobs>({ adapter: memoryAdapter() });
 * await typed.enqueue('send-email', { to: 'ada@example.com' }); // { too: 1 } or 'send-emial' do not compile
 */
export function createQueue<Jobs extends JobMap<Jobs> = never, Schemas = Record<string, unknown>>(
  options: CreateQueueOptions<PoliciesFor<Given<Jobs>, Schemas>>,
): Queue<[Jobs] extends [never] ? InferJobMap<Schemas> : Jobs> {
  const o = validateWith(optionsSchema, options as CreateQueueOptions, 'createQueue');
  const resolved = new Map<string, ResolvedPolicy>();
  // The classifier's unknownIsRetryable is the queue-wide default; a policy that sets its own wins.
  const defaults = { unknownIsRetryable: o.classifier?.unknownIsRetryable };
  for (const [type, policy] of Object.entries(o.policies ?? {})) {
    resolved.set(type, resolvePolicy(policy, `createQueue.policies.${type}`, o.random, defaults));
  }
  const defaultPolicy = resolvePolicy(o.defaultPolicy ?? {}, 'createQueue.defaultPolicy', o.random, defaults);
  const events = new Emitter<QueueEvents>((error) => events.emit('error', error));
  const ctx: QueueContext = {
    adapter: o.adapter,
    clock: o.clock ?? systemClock,
    events,
    policyFor: (type) => resolved.get(type) ?? defaultPolicy,
    generateId: o.generateId ?? (() => timeOrderedId()),
    historyLimit: o.historyLimit ?? DEFAULT_HISTORY_LIMIT,
    workerStaleAfterMs: o.workerStaleAfterMs ?? 30_000,
  };

  const queue: Queue = {
    enqueue: async <P>(type: string, payload: P, opts?: EnqueueJobOptions, scope?: TenantScope) =>
      enqueueOne(ctx, type, payload, opts, checkScope(scope, 'enqueue')) as Promise<Job<P>>,
    enqueueMany: async (items, scope) => enqueueMany(ctx, items, checkScope(scope, 'enqueueMany')),
    getJob: async (id, scope) => loadJob(ctx, id, checkScope(scope, 'getJob'), 'getJob'),
    async listJobs(filter, scope) {
      const s = checkScope(scope, 'listJobs');
      const f = parseFilter(listFilterSchema, filter ?? {}, 'listJobs.filter', PAGING_KEYS);
      const page = await callAdapter(ctx, 'listJobs', () =>
        ctx.adapter.listJobs(scopedFilter({ ...f, limit: f.limit ?? 50 }, s)),
      );
      return { jobs: page.jobs, nextCursor: page.nextCursor };
    },
    async getRetryHistory(id, scope) {
      const job = await loadJob(ctx, id, checkScope(scope, 'getRetryHistory'), 'getRetryHistory');
      return callAdapter(ctx, 'getRetryHistory', () => ctx.adapter.getRetryHistory(job.id));
    },
    stats: async (filter, scope) => stats(ctx, filter, scope),
    throughput: async (query, scope) => throughput(ctx, query, scope),
    pauseJob: async (id, reason, scope) => pauseJob(ctx, id, reason, scope),
    resumeJob: async (id, scope) => resumeJob(ctx, id, scope),
    cancelJob: async (id, scope) => cancelJob(ctx, id, scope),
    retryJob: async (id, scope) => retryJob(ctx, id, scope),
    restartJob: async (id, scope) => restartJob(ctx, id, scope),
    deleteJob: async (id, scope) => deleteJob(ctx, id, scope),
    bulk: async (action, filter, limit, scope) => bulk(ctx, action, filter, limit, scope),
    purge: async (options, scope) => purgeJobs(ctx, options, scope),
    deadLetters: createDeadLetterQueue(ctx),
    health: () => health(ctx),
    on: (event, listener) => events.on(event, listener),
  };
  return attachQueueInternals(queue, {
    adapter: ctx.adapter,
    clock: ctx.clock,
    historyLimit: ctx.historyLimit,
    classifier: o.classifier as QueueClassifierOptions | undefined,
    random: o.random ?? Math.random,
    policyFor: ctx.policyFor,
  });
}
