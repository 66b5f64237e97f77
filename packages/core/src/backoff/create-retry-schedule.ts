import { assertCategory } from '../classify/assert-category.js';
import type { ErrorCategory } from '../classify/categories.js';
import { type RetryConfigInput, resolveRetryConfig } from '../config/retry-config.js';
import { ValidationError } from '../errors/redrive-error.js';
import { baseDelay } from './base-delay.js';
import { isRetriedCategory } from './should-retry.js';

/**
 * The jitter-free delays a job failing with `category` every time will really wait: one per
 * retry that `shouldRetry` allows, so `maxAttempts - 1` entries. Entry i is the wait
 * after failed attempt i + 1. Throws `ValidationError` when `maxAttempts` is `Infinity` (the
 * list would never end) or for a bad category or config.
 *
 * @example
 * createRetrySchedule('transient_network'); // [1000, 2000, 4000, 8000]: 5 runs at most
 * createRetrySchedule('transient_db_lock'); // [100, 200, 300, 400]
 * createRetrySchedule('permanent_validation'); // []
 * createRetrySchedule('transient_server', { schedule: [60_000, 300_000], maxAttempts: 4 }); // [60000, 300000, 300000]
 */
export function createRetrySchedule(category: ErrorCategory, config?: RetryConfigInput): number[] {
  assertCategory(category, 'createRetrySchedule');
  const resolved = resolveRetryConfig(config);
  if (!isRetriedCategory(category, resolved)) return [];
  if (!Number.isFinite(resolved.maxAttempts)) {
    throw new ValidationError(
      '[redrive] [createRetrySchedule] maxAttempts: must be finite to list a schedule (Infinity retries forever)',
      { issues: [{ path: 'maxAttempts', message: 'must be finite to list a schedule' }] },
    );
  }
  const delays: number[] = [];
  for (let attempt = 1; attempt < resolved.maxAttempts; attempt++)
    delays.push(baseDelay(attempt, category, resolved));
  return delays;
}
