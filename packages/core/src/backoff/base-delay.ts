import type { ErrorCategory } from '../classify/categories.js';
import type { RetryConfig } from '../config/retry-config.js';

/**
 * The jitter-free delay before retrying after failed attempt `attempt` (1-based), already
 * capped at `maxDelayMs`. Internal: `calculateBackoffDelay` adds jitter and Retry-After on top,
 * `createRetrySchedule` lists these values.
 *
 * - `transient_db_lock`: 100 ms × attempt, whatever the formula or schedule: lock
 *   contention clears in milliseconds, and waiting minutes for a lock wastes the worker.
 * - with a `schedule`: `schedule[attempt - 1]`, the last entry repeating.
 * - `transient_rate_limit`: `rateLimitDelayMs × multiplier^(attempt-1)`.
 * - otherwise: `initialDelayMs × multiplier^(attempt-1)`.
 */
export function baseDelay(attempt: number, category: ErrorCategory, config: RetryConfig): number {
  const cap = capOf(config);
  if (category === 'transient_db_lock') return Math.min(100 * attempt, cap);
  const { schedule } = config;
  if (schedule && schedule.length > 0) {
    return Math.min(Math.round(schedule[Math.min(attempt, schedule.length) - 1]!), cap);
  }
  const start = category === 'transient_rate_limit' ? config.rateLimitDelayMs : config.initialDelayMs;
  return exponential(start, config.backoffMultiplier, attempt, cap);
}

/** The cap in whole milliseconds: delays are integers, so a fractional maxDelayMs rounds down. */
export function capOf(config: RetryConfig): number {
  return Math.floor(config.maxDelayMs);
}

/**
 * `min(start × multiplier^(attempt-1), cap)`, rounded, without overflow: for attempt 10⁶ the
 * power is Infinity, and 0 × Infinity would be NaN.
 */
function exponential(start: number, multiplier: number, attempt: number, cap: number): number {
  if (start === 0 || cap === 0) return 0;
  const raw = start * multiplier ** (attempt - 1);
  return Number.isFinite(raw) ? Math.min(Math.round(raw), cap) : cap;
}
