import { assertCategory } from '../classify/assert-category.js';
import type { ErrorCategory } from '../classify/categories.js';
import { type RetryConfig, type RetryConfigInput, resolveRetryConfig } from '../config/retry-config.js';
import { assertAttempt } from './assert-attempt.js';

/**
 * Whether to run again after attempt `attempt` (1-based) failed with a `category` error:
 * never for permanent categories, nor for `unknown` when `unknownIsRetryable` is false;
 * otherwise while `attempt < maxRetries`. `maxRetries` (alias `maxAttempts`) counts
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
  return isRetriedCategory(category, resolved) && attempt < resolved.maxRetries;
}

/** Internal: whether a category is ever retried under this config (ignoring the attempt count). */
export function isRetriedCategory(category: ErrorCategory, config: RetryConfig): boolean {
  if (category === 'unknown') return config.unknownIsRetryable;
  return category.startsWith('transient_');
}
