import * as z from 'zod/mini';
import { timerDurationMs } from '../config/duration.js';
import { validateWith } from '../config/index.js';
import { ValidationError } from '../errors/redrive-error.js';
import { isQueue } from '../queue/internals.js';
import { plainObject } from '../queue/schemas.js';
import type { Queue } from '../queue/types.js';
import { randomId } from '../util/id.js';
import type { JobHandler, JobRunnerOptions } from './types.js';

/** Runner settings after validation, with defaults filled in. */
export interface RunnerSettings {
  queue: Queue;
  handlers: Record<string, JobHandler>;
  concurrency: number;
  leaseMs: number;
  heartbeatMs: number;
  pollIntervalMs: number;
  recoverIntervalMs: number;
  workerId: string;
  types: string[];
  queues: string[] | undefined;
  claimBatchSize: number;
  claimAhead: number;
  progressThrottleMs: number;
  maxStackLength: number;
  maxMessageLength: number;
  hookTimeoutMs: number;
}

const positiveInt = (max?: number) =>
  z.int().check(z.minimum(1), ...(max === undefined ? [] : [z.maximum(max)]));
const names = () => z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1)));

const schema = z.strictObject({
  queue: z.custom<Queue>(isQueue, 'must be a queue from createQueue()'),
  // Not z.record: it would copy into a `{}` and drop a `__proto__` handler silently.
  handlers: plainObject,
  concurrency: z.optional(positiveInt(10_000)),
  leaseMs: z.optional(timerDurationMs(10)),
  heartbeatMs: z.optional(timerDurationMs()),
  pollIntervalMs: z.optional(timerDurationMs()),
  recoverIntervalMs: z.optional(timerDurationMs()),
  workerId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  types: names(),
  queues: names(),
  claimBatchSize: z.optional(positiveInt(10_000)),
  claimAhead: z.optional(z.int().check(z.minimum(0), z.maximum(10_000))),
  progressThrottleMs: z.optional(timerDurationMs(0)),
  maxStackLength: z.optional(positiveInt()),
  maxMessageLength: z.optional(positiveInt()),
  hookTimeoutMs: z.optional(timerDurationMs()),
});

/**
 * Validate `new JobRunner(options)` and fill defaults (concurrency 10, lease 30 s, heartbeat 5 s,
 * poll 1 s, claim-ahead up to 16 × concurrency, claims of up to concurrency + claim-ahead jobs).
 */
export function resolveRunnerOptions(options: JobRunnerOptions): RunnerSettings {
  const o = validateWith(schema, options, 'JobRunner');
  // Own properties only, into a prototype-free map: a job type is user data, and `toString` or
  // `constructor` must never find Object.prototype's function as its handler.
  const handlers: Record<string, JobHandler> = Object.create(null);
  for (const [type, handler] of Object.entries(o.handlers)) {
    if (type.length === 0) throw fieldError('handlers', 'has a handler for an empty type');
    if (typeof handler !== 'function')
      throw fieldError(`handlers.${type}`, 'must be a function (job, ctx) => result');
    handlers[type] = handler as JobHandler;
  }
  const handlerTypes = Object.keys(handlers);
  if (handlerTypes.length === 0) throw fieldError('handlers', 'needs at least one handler');
  const leaseMs = o.leaseMs ?? 30_000;
  const heartbeatMs = o.heartbeatMs ?? Math.min(5_000, Math.floor(leaseMs / 3));
  if (heartbeatMs >= leaseMs) throw fieldError('heartbeatMs', `must be < leaseMs (${leaseMs})`);
  const types = o.types ?? handlerTypes;
  const missing = types.find((t) => !Object.hasOwn(handlers, t));
  if (missing) throw fieldError('types', `has no handler for "${missing}"`);
  const concurrency = o.concurrency ?? 10;
  const claimAhead = o.claimAhead ?? Math.min(10_000, 16 * concurrency);
  return {
    queue: o.queue,
    handlers,
    concurrency,
    leaseMs,
    heartbeatMs,
    pollIntervalMs: o.pollIntervalMs ?? 1_000,
    recoverIntervalMs: o.recoverIntervalMs ?? leaseMs,
    workerId: o.workerId ?? randomId(),
    types,
    queues: o.queues,
    claimBatchSize: o.claimBatchSize ?? Math.min(10_000, concurrency + claimAhead),
    claimAhead,
    progressThrottleMs: o.progressThrottleMs ?? 250,
    maxStackLength: o.maxStackLength ?? 2048,
    maxMessageLength: o.maxMessageLength ?? 1024,
    hookTimeoutMs: o.hookTimeoutMs ?? 30_000,
  };
}

function fieldError(path: string, message: string): ValidationError {
  return new ValidationError(`[redrive] [JobRunner] ${path}: ${message}`, { issues: [{ path, message }] });
}
