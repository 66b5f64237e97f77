import { ValidationError } from '../errors/redrive-error.js';
import { assertCategory } from './assert-category.js';
import type { ErrorCategory } from './categories.js';

/** Options of {@link isRetryable}. */
export interface IsRetryableOptions {
  /**
   * Whether `unknown` errors are retried. Default `true`: an error nobody recognised is more
   * likely a blip than a bug, and dead-lettering it at once loses work.
   */
  unknownIsRetryable?: boolean;
}

/**
 * Whether errors of this category are worth retrying: `true` for every `transient_*`
 * category, `false` for every `permanent_*` one, and `options.unknownIsRetryable`
 * (default `true`) for `unknown`. Throws `ValidationError` for a value that is not a category.
 *
 * @example
 * isRetryable('transient_rate_limit'); // true
 * isRetryable('permanent_auth'); // false
 * isRetryable('unknown', { unknownIsRetryable: false }); // false
 */
export function isRetryable(category: ErrorCategory, options?: IsRetryableOptions): boolean {
  assertCategory(category, 'isRetryable');
  if (category === 'unknown') {
    const flag = options?.unknownIsRetryable;
    if (flag !== undefined && typeof flag !== 'boolean') {
      throw invalidFlag(flag);
    }
    return flag ?? true;
  }
  return category.startsWith('transient_');
}

/**
 * True for `permanent_*` categories: never retried, delay 0, dead-lettered at once.
 *
 * @example isPermanentCategory('permanent_auth') // true; isPermanentCategory('unknown') // false
 */
export function isPermanentCategory(category: ErrorCategory): boolean {
  return category.startsWith('permanent_');
}

function invalidFlag(flag: unknown): ValidationError {
  return new ValidationError(
    `[redrive] [isRetryable] unknownIsRetryable: must be a boolean (got ${typeof flag})`,
    {
      issues: [{ path: 'unknownIsRetryable', message: 'must be a boolean' }],
    },
  );
}
