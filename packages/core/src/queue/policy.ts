import * as z from 'zod/mini';
import type { ClassificationRule } from '../classify/index.js';
import { timerDurationMs } from '../config/duration.js';
import {
  type RetryConfig,
  type RetryConfigInput,
  resolveRetryConfig,
  validateWith,
} from '../config/index.js';
import { isRedriveError, ValidationError } from '../errors/redrive-error.js';
import type { DeadLetter, Job } from '../job/job.js';
import { MAX_INT32, MIN_INT32, storableString } from '../util/storable.js';

/** Anything with zod's `safeParse` (zod 3/4, or your own): validates a job type's payload at enqueue. */
export interface PayloadSchema<T = unknown> {
  safeParse(value: unknown):
    | { success: true; data: T }
    | {
        success: false;
        error: { issues?: ReadonlyArray<{ path?: ReadonlyArray<PropertyKey>; message: string }> };
      };
}

/**
 * A custom backoff: the delay in ms before the next run, or `'dead'` to dead-letter now.
 * It is asked only when the attempt may be retried at all (a retryable category and attempts
 * left); `attempt` is the execution that just failed (1-based).
 */
export type BackoffFunction<Payload = unknown> = (
  attempt: number,
  error: unknown,
  job: Job<Payload>,
) => number | 'dead';

/**
 * How jobs of one type are retried and run: a retry config (the same fields as `retry()` and
 * `resolveRetryConfig`; `maxAttempts` = most executions, `maxRetries` its alias) plus job-type settings.
 * `Payload` is the job type's payload: the hooks see it, and the `schema` must produce it (in a
 * queue with a job map, `createQueue` fills it in).
 *
 * @example
 * const policies = {
 *   'send-email': { maxAttempts: 5, initialDelayMs: 2_000, timeoutMs: 30_000,
 *     schema: z.object({ to: z.string().email() }),
 *     onDeadLetter: (dl) => log.warn('email gave up', dl.id, dl.suggestedAction) },
 * };
 */
export type JobTypePolicy<Payload = unknown> = RetryConfigInput & {
  /**
   * Validates the payload at enqueue; a failure throws ValidationError and stores nothing. The
   * handler gets what it returns. Without a job map on `createQueue`, its output type becomes the
   * job type's payload type (see `InferJobMap`).
   */
  schema?: PayloadSchema<Payload> | undefined;
  /** Longest one attempt may run (ms) before it is aborted and fails as `transient_timeout`. Default: none. */
  timeoutMs?: number | undefined;
  /** Default priority of jobs of this type (higher first). Default 0. */
  priority?: number | undefined;
  /** Default queue name of jobs of this type. Default `'default'`. */
  queue?: string | undefined;
  /** Custom backoff `(attempt, error, job) => ms | 'dead'`, used instead of the formula. */
  backoff?: BackoffFunction<Payload> | undefined;
  /** Classification rules for this type, tried before the queue's rules and the built-ins. */
  rules?: ClassificationRule[] | undefined;
  /** Called after a job of this type is dead-lettered (any reason). Errors it throws are reported as `error` events. */
  onDeadLetter?: ((deadLetter: DeadLetter<Payload>) => void | Promise<void>) | undefined;
  /** Called when a job of this type used all its attempts on retryable errors (not for permanent errors). */
  onRetriesExhausted?: ((job: Job<Payload>, error: unknown) => void | Promise<void>) | undefined;
};

/** A policy after validation, with every default filled in. */
export interface ResolvedPolicy {
  retry: RetryConfig;
  schema: PayloadSchema | undefined;
  timeoutMs: number | null;
  priority: number;
  queue: string;
  backoff: BackoffFunction | undefined;
  rules: ClassificationRule[];
  onDeadLetter: JobTypePolicy['onDeadLetter'];
  onRetriesExhausted: JobTypePolicy['onRetriesExhausted'];
}

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', `${what} must be a function`);

const extrasSchema = z.object({
  schema: z.optional(
    z.custom<PayloadSchema>(
      (v) =>
        typeof v === 'object' && v !== null && typeof (v as { safeParse?: unknown }).safeParse === 'function',
      'schema must have a safeParse(value) method (a zod schema)',
    ),
  ),
  timeoutMs: z.optional(timerDurationMs()),
  priority: z.optional(z.int().check(z.minimum(MIN_INT32), z.maximum(MAX_INT32))),
  queue: z.optional(storableString(z.minLength(1), z.maxLength(200))),
  backoff: z.optional(fn('backoff')),
  rules: z.optional(z.array(z.unknown())),
  onDeadLetter: z.optional(fn('onDeadLetter')),
  onRetriesExhausted: z.optional(fn('onRetriesExhausted')),
});

/**
 * Validate a {@link JobTypePolicy} and fill its defaults. `where` names it in errors
 * (e.g. `policies.send-email`), so a bad field reads `policies.send-email.maxAttempts: ...`.
 */
export function resolvePolicy(
  input: unknown,
  where: string,
  random?: () => number,
  defaults?: { unknownIsRetryable?: boolean | undefined },
): ResolvedPolicy {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError(`[redrive] [queue] ${where}: must be an object`, {
      issues: [{ path: where, message: 'must be an object' }],
    });
  }
  const {
    schema,
    timeoutMs,
    priority,
    queue,
    backoff,
    rules,
    onDeadLetter,
    onRetriesExhausted,
    ...retryInput
  } = input as JobTypePolicy;
  const extras = validateWith(
    extrasSchema,
    { schema, timeoutMs, priority, queue, backoff, rules, onDeadLetter, onRetriesExhausted },
    where,
  );
  let retry: RetryConfig;
  try {
    let withDefaults: RetryConfigInput = retryInput;
    if (random && retryInput.random === undefined) withDefaults = { ...withDefaults, random };
    if (defaults?.unknownIsRetryable !== undefined && retryInput.unknownIsRetryable === undefined)
      withDefaults = { ...withDefaults, unknownIsRetryable: defaults.unknownIsRetryable };
    retry = resolveRetryConfig(withDefaults);
  } catch (error) {
    if (isRedriveError(error) && error.code === 'VALIDATION_ERROR') {
      const issues = ((error as ValidationError).issues ?? []).map((i) => ({
        ...i,
        path: `${where}.${i.path}`,
      }));
      const detail = issues.map((i) => `${i.path}: ${i.message}`).join('; ') || error.message;
      throw new ValidationError(`[redrive] [queue] ${detail}`, { issues, cause: error });
    }
    throw error;
  }
  return {
    retry,
    schema: extras.schema,
    timeoutMs: extras.timeoutMs ?? null,
    priority: extras.priority ?? 0,
    queue: extras.queue ?? 'default',
    backoff: extras.backoff as BackoffFunction | undefined,
    rules: (extras.rules ?? []) as ClassificationRule[],
    onDeadLetter: extras.onDeadLetter as JobTypePolicy['onDeadLetter'],
    onRetriesExhausted: extras.onRetriesExhausted as JobTypePolicy['onRetriesExhausted'],
  };
}
