import { assertCategory } from '../classify/assert-category.js';
import type { ErrorCategory } from '../classify/categories.js';
import { isPermanentCategory, isRetryable } from '../classify/is-retryable.js';
import { type RetryConfig, type RetryConfigInput, resolveRetryConfig } from '../config/retry-config.js';
import { assertAttempt } from './assert-attempt.js';

/**
 * Whether to run again after attempt `attempt` (1-based) failed with a `category` error:
 * never for permanent categories, nor for `unknown` when `unknownIsRetryable` is false;
 * otherwise while `attempt < maxAttempts`. `maxAttempts` (alias `maxRetries`) counts
 * **executions**: with the default 5, attempts 1–4 are retried and the failure of attempt 5 is final.
 *
 * @example
 * shouldRetry(4, 'transient_network'); // true: a 5th run follows
 * shouldRetry(5, 'transient_network'); // false: the 5th run was the last
 * shouldRetry(1, 'permanent_auth'); // false
 * shouldRetry(1, 'transient_server', { maxAttempts: 1 }); // false: one run, no retries
 */
export function shouldRetry(attempt: number, category: ErrorCategory, config?: RetryConfigInput): boolean {
  assertAttempt(attempt, 'shouldRetry');
  assertCategory(category, 'shouldRetry');
  const resolved = resolveRetryConfig(config);
  return mayRetry(attempt, resolved.maxAttempts, category, resolved);
}

/**
 * Internal: the retry-or-dead rule, written once — `shouldRetry`, the backoff functions and the
 * runner's `decideFailure` (a failed attempt, or a crashed worker's expired lease) all ask it.
 * A custom backoff is asked only when this says yes.
 */
export function mayRetry(
  attempt: number,
  maxAttempts: number,
  category: ErrorCategory,
  config: Pick<RetryConfig, 'unknownIsRetryable'>,
): boolean {
  return isRetriedCategory(category, config) && attempt < maxAttempts;
}

/**
 * Internal: a dead letter is "exhausted" (`onRetriesExhausted`) when every attempt was used on
 * errors that were not permanent.
 */
export function isExhausted(attempt: number, maxAttempts: number, category: ErrorCategory): boolean {
  return !isPermanentCategory(category) && attempt >= maxAttempts;
}

/** Internal: whether a category is ever retried under this config (ignoring the attempt count). */
export function isRetriedCategory(
  category: ErrorCategory,
  config: Pick<RetryConfig, 'unknownIsRetryable'>,
): boolean {
  return isRetryable(category, { unknownIsRetryable: config.unknownIsRetryable });
}
