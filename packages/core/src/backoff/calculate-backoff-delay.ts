import { assertCategory } from '../classify/assert-category.js';
import type { ErrorCategory } from '../classify/categories.js';
import { getRetryAfterMs } from '../classify/retry-after.js';
import { type RetryConfigInput, resolveRetryConfig } from '../config/retry-config.js';
import { ValidationError } from '../errors/redrive-error.js';
import { assertAttempt } from './assert-attempt.js';
import { baseDelay } from './base-delay.js';
import { applyJitter } from './jitter.js';
import { isRetriedCategory } from './should-retry.js';

/** Extra facts {@link calculateBackoffDelay} may use. */
export interface BackoffContext {
  /** The error that failed the attempt: its `Retry-After` (see `getRetryAfterMs`) overrides the computed delay. */
  error?: unknown;
  /** The delay actually waited before this attempt, for `decorrelated` jitter. */
  previousDelayMs?: number;
  /** Current time in epoch ms, to read an HTTP-date `Retry-After`. Default `Date.now()`. */
  now?: number;
}

/**
 * How long to wait, in whole ms, before retrying after failed attempt `attempt` (1-based:
 * 1 = the first run failed) of a `category` error.
 *
 * - Standard: `min(initialDelayMs × backoffMultiplier^(attempt-1), maxDelayMs)`, then jitter
 *  . Defaults with `jitter: 'none'`: 1000, 2000, 4000, 8000, …, capped at 60000.
 * - `transient_rate_limit`: the same formula from `rateLimitDelayMs` (default 30000).
 * - `transient_db_lock`: 100 ms × attempt, no jitter.
 * - an explicit `schedule`: `schedule[attempt-1]`, last entry repeated, then jitter.
 * - permanent categories, and `unknown` when `unknownIsRetryable` is false: 0.
 * - a `Retry-After` carried by `context.error` (header, `retryAfter`, `retryAfterMs`) replaces
 *   the computed delay for every retryable category, **without jitter and above `maxDelayMs`**:
 *   the server said when it will accept the request, and coming back earlier wastes an attempt.
 *   It is capped at `maxRetryAfterMs` (default 1 h), so an absurd value cannot park a job forever.
 *
 * Apart from a Retry-After, the result is always an integer in [0, maxDelayMs]. Throws
 * `ValidationError` for an invalid attempt (0, negative, fractional, NaN), category or config.
 * For hot paths, pass a config from `resolveRetryConfig` (it is not revalidated).
 *
 * @example
 * calculateBackoffDelay(1, 'transient_network'); // 900…1100 (±10 % jitter)
 * calculateBackoffDelay(4, 'transient_network', { jitter: 'none' }); // 8000
 * calculateBackoffDelay(2, 'transient_db_lock'); // 200
 * calculateBackoffDelay(1, 'transient_rate_limit', undefined, { error: { status: 429, headers: { 'retry-after': '7' } } }); // 7000
 */
export function calculateBackoffDelay(
  attempt: number,
  category: ErrorCategory,
  config?: RetryConfigInput,
  context?: BackoffContext,
): number {
  assertAttempt(attempt, 'calculateBackoffDelay');
  assertCategory(category, 'calculateBackoffDelay');
  const resolved = resolveRetryConfig(config);
  checkContext(context);
  if (!isRetriedCategory(category, resolved)) return 0;

  if (context?.error !== undefined) {
    const retryAfter = getRetryAfterMs(context.error, context.now);
    if (retryAfter !== undefined) return Math.min(retryAfter, resolved.maxRetryAfterMs);
  }

  const capped = baseDelay(attempt, category, resolved);
  if (category === 'transient_db_lock' || resolved.jitter === 'none') return capped;
  if (resolved.jitter !== 'decorrelated')
    return applyJitter(capped, resolved, { first: capped, previous: capped });
  // Decorrelated jitter grows from the previous wait; without one, the jitter-free delay of the
  // previous attempt stands in, so a stateless caller still gets growing delays.
  const first = baseDelay(1, category, resolved);
  const previous =
    context?.previousDelayMs ?? (attempt > 1 ? baseDelay(attempt - 1, category, resolved) : first);
  return applyJitter(capped, resolved, { first, previous });
}

function checkContext(context: BackoffContext | undefined): void {
  if (context === undefined) return;
  if (context === null || typeof context !== 'object') {
    throw contextError('context', 'must be an object');
  }
  const { previousDelayMs, now } = context;
  if (
    previousDelayMs !== undefined &&
    !(typeof previousDelayMs === 'number' && previousDelayMs >= 0 && Number.isFinite(previousDelayMs))
  ) {
    throw contextError('context.previousDelayMs', 'must be a finite number >= 0');
  }
  if (now !== undefined && !(typeof now === 'number' && Number.isFinite(now))) {
    throw contextError('context.now', 'must be a finite number of epoch milliseconds');
  }
}

function contextError(path: string, message: string): ValidationError {
  return new ValidationError(`[redrive] [calculateBackoffDelay] ${path}: ${message}`, {
    issues: [{ path, message }],
  });
}
