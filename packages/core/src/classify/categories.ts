/**
 * The categories `classifyError` sorts every error into.
 *
 * `transient_*` categories are retried with backoff; `permanent_*` categories are
 * dead-lettered at once; `unknown` is retried by default (see `isRetryable`).
 */
export const ERROR_CATEGORIES = [
  'transient_network',
  'transient_timeout',
  'transient_rate_limit',
  'transient_server',
  'transient_db_lock',
  'permanent_validation',
  'permanent_auth',
  'permanent_not_found',
  'permanent_security',
  'permanent_quota',
  'unknown',
] as const;

/** One of {@link ERROR_CATEGORIES}. */
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

/** True when `value` is one of the built-in {@link ErrorCategory} names. */
export function isErrorCategory(value: unknown): value is ErrorCategory {
  return typeof value === 'string' && (ERROR_CATEGORIES as readonly string[]).includes(value);
}
