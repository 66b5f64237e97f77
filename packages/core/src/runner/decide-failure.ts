import type { FailRequest } from '../adapter/requests.js';
import { calculateBackoffDelay } from '../backoff/index.js';
import { isExhausted, mayRetry } from '../backoff/should-retry.js';
import type { ErrorCategory } from '../classify/categories.js';
import type { ClassifyOptions } from '../classify/index.js';
import {
  classifyError,
  getRetryAfterMs,
  getSuggestedAction,
  isPermanentCategory,
} from '../classify/index.js';
import type { Job } from '../job/job.js';
import type { ResolvedPolicy } from '../queue/policy.js';
import { MAX_EPOCH_MS, toStorableText } from '../util/storable.js';
import { errorMessage, errorStack, truncate } from '../util/truncate.js';

/** Core's decision for a failed attempt: what the adapter's single `fail` call stores. */
export interface FailureDecision {
  category: ErrorCategory;
  request: FailRequest;
  /** Retried ms from now (0 when dead-lettered). */
  delayMs: number;
  /** Dead-lettered because every attempt was used on retryable errors (not a permanent error). */
  exhausted: boolean;
}

/** Input of {@link decideFailure}: the failed attempt and everything the decision depends on. */
export interface DecideFailureInput {
  job: Job;
  leaseToken: string;
  error: unknown;
  policy: ResolvedPolicy;
  classifier: ClassifyOptions | undefined;
  now: number;
  historyLimit: number;
  maxMessageLength: number;
  maxStackLength: number;
  /** Skip classification (a timeout is `transient_timeout` whatever its message says). */
  category?: ErrorCategory | undefined;
}

/**
 * Classify the error (the type's rules, then the queue's, then explicit categories and the
 * built-ins), then ask the policy: retry (after the custom backoff's delay, or the formula's with
 * any Retry-After) or dead-letter (permanent category, attempts used up, or the custom backoff
 * said `'dead'`). Pure: the runner hands the result to `adapter.fail` in one call. Exported for
 * integrations that record outcomes themselves (e.g. a queue-consumer helper).
 *
 * @example
 * const d = decideFailure({ job, leaseToken, error, policy: resolvePolicy({ maxAttempts: 3 }), classifier: undefined,
 *   now: Date.now(), historyLimit: 25, maxMessageLength: 1024, maxStackLength: 2048 });
 * if (d.request.outcome.kind === 'retry') console.log('retry in', d.delayMs, 'ms');
 */
export function decideFailure(input: DecideFailureInput): FailureDecision {
  const { job, error, policy, now } = input;
  const category = input.category ?? classify(error, policy, input.classifier);
  const attempt = Math.max(1, job.attempt);
  const retryable = mayRetry(attempt, job.maxAttempts, category, policy.retry);
  let delayMs = 0;
  let dead = !retryable;
  if (retryable) {
    const custom = policy.backoff ? customDelay(policy, attempt, error, job) : undefined;
    if (custom === 'dead') dead = true;
    else if (custom !== undefined) delayMs = Number.isFinite(custom) && custom > 0 ? Math.round(custom) : 0;
    else if (retryAfterTooLong(error, policy, now)) dead = true;
    else delayMs = Math.ceil(calculateBackoffDelay(attempt, category, policy.retry, { error, now }));
  }
  // Whatever a custom backoff returned, the retry time must stay a storable epoch-ms time.
  delayMs = Math.min(delayMs, Math.max(0, MAX_EPOCH_MS - now));
  // Error text is stored whatever it holds: a NUL or a lone surrogate (which no store can keep)
  // becomes U+FFFD instead of failing the write that records the failure.
  const message = toStorableText(truncate(errorMessage(error), input.maxMessageLength));
  const rawStack = errorStack(error);
  const stack = rawStack === null ? null : toStorableText(truncate(rawStack, input.maxStackLength));
  const permanent = isPermanentCategory(category);
  return {
    category,
    delayMs,
    exhausted: dead && isExhausted(attempt, job.maxAttempts, category),
    request: {
      leaseToken: input.leaseToken,
      now,
      error: { message, stack, category },
      outcome: dead
        ? { kind: 'dead', requiresUserAction: permanent, suggestedAction: getSuggestedAction(category) }
        : { kind: 'retry', runAt: now + delayMs },
      history: {
        attempt,
        error: message,
        stack,
        errorCategory: category,
        delayMs,
        deadLettered: dead,
        timestamp: now,
      },
      historyLimit: input.historyLimit,
    },
  };
}

/** A Retry-After beyond the policy's `maxRetryAfterMs`, when the policy dead-letters those. */
function retryAfterTooLong(error: unknown, policy: ResolvedPolicy, now: number): boolean {
  if (policy.retry.retryAfterBeyondMax !== 'dead-letter') return false;
  const wait = getRetryAfterMs(error, now);
  return wait !== undefined && wait > policy.retry.maxRetryAfterMs;
}

function classify(
  error: unknown,
  policy: ResolvedPolicy,
  classifier: ClassifyOptions | undefined,
): ErrorCategory {
  const queueRules = classifier?.rules ?? [];
  if (policy.rules.length === 0 && queueRules.length === 0) return classifyError(error);
  return classifyError(error, { ...classifier, rules: [...policy.rules, ...queueRules] });
}

// A custom backoff that throws or returns garbage must not lose the job: fall back to the formula.
function customDelay(
  policy: ResolvedPolicy,
  attempt: number,
  error: unknown,
  job: Job,
): number | 'dead' | undefined {
  try {
    const value = policy.backoff!(attempt, error, job);
    if (value === 'dead') return value;
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
  } catch {
    return undefined;
  }
}
