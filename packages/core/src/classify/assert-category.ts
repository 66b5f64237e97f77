import { ValidationError } from '../errors/redrive-error.js';
import { ERROR_CATEGORIES, type ErrorCategory, isErrorCategory } from './categories.js';

/**
 * Throws a {@link ValidationError} naming `field` unless `value` is a built-in category.
 * Internal: shared by every public function that takes a category.
 */
export function assertCategory(
  value: unknown,
  where: string,
  field = 'category',
): asserts value is ErrorCategory {
  if (!isErrorCategory(value)) {
    throw new ValidationError(
      `[redrive] [${where}] ${field}: must be one of ${ERROR_CATEGORIES.join(', ')} (got ${describeValue(value)})`,
      { issues: [{ path: field, message: `must be one of ${ERROR_CATEGORIES.join(', ')}` }] },
    );
  }
}

/** A short, never-throwing rendering of a bad value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
