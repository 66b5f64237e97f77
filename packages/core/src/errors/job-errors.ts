import type { ErrorCategory } from '../classify/categories.js';

/**
 * Throw from a handler (or any function run by `retry`) to say "retry this", whatever the
 * message says. `category` defaults to `transient_server`; `retryAfterMs` overrides the backoff.
 *
 * @example throw new RetryableError('upstream busy', { retryAfterMs: 10_000 })
 */
export class RetryableError extends Error {
  readonly category: ErrorCategory;
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    options?: { category?: ErrorCategory; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RetryableError';
    this.category = options?.category ?? 'transient_server';
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/**
 * Throw to say "never retry this": the job goes straight to the dead-letter queue.
 * `category` defaults to `permanent_validation`.
 *
 * @example throw new NonRetryableError('invoice already paid', { category: 'permanent_validation' })
 */
export class NonRetryableError extends Error {
  readonly category: ErrorCategory;
  constructor(message: string, options?: { category?: ErrorCategory; cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetryableError';
    this.category = options?.category ?? 'permanent_validation';
  }
}

/** Alias of {@link NonRetryableError}, for readers who know the word from other libraries. */
export const PermanentError = NonRetryableError;
/** Alias type of {@link NonRetryableError}. */
export type PermanentError = NonRetryableError;

/**
 * Throw from a handler to reschedule the job `delayMs` from now without consuming an
 * attempt (BullMQ's `DelayedError`, Oban's `{:snooze, t}`). `ctx.snooze(ms)` does the same.
 */
export class SnoozeError extends Error {
  readonly delayMs: number;
  constructor(delayMs: number, message = `snoozed for ${delayMs} ms`) {
    super(message);
    this.name = 'SnoozeError';
    this.delayMs = delayMs;
  }
}
