import { ValidationError } from '../errors/redrive-error.js';
import { issuesError } from './issues-error.js';
import { retryConfigIssues } from './retry-config-rules.js';

/** How delays are randomised around the computed backoff. */
export type JitterStrategy = 'proportional' | 'full' | 'decorrelated' | 'none';

/**
 * A complete, validated retry policy: how long to wait before each retry and how many
 * executions a job gets. Build one with {@link resolveRetryConfig}; every field has a default
 * in {@link DEFAULT_RETRY_CONFIG}.
 */
export interface RetryConfig {
  /** Delay before the first retry, in ms; doubled (times `backoffMultiplier`) for each later one. Default 1000. */
  initialDelayMs: number;
  /** Cap on every computed delay, in ms (a `Retry-After` from the server may exceed it). Default 60000. */
  maxDelayMs: number;
  /** Growth factor between consecutive delays, >= 1. Default 2. */
  backoffMultiplier: number;
  /** For `'proportional'` jitter: the delay lands within ±this fraction of the capped delay (0…1). Default 0.1. */
  jitterFactor: number;
  /** Base delay for `transient_rate_limit`, grown and capped like the others. Default 30000. */
  rateLimitDelayMs: number;
  /**
   * The most **executions** a job gets, first run included: 5 means 1 run + up to 4
   * retries. The same number as BullMQ `attempts`. `Infinity` retries forever. Default 5.
   */
  maxAttempts: number;
  /**
   * The same number as {@link RetryConfig.maxAttempts}, under the name the code Redrive replaces
   * used (its `maxRetries: 5` allowed 5 runs, not 5 retries). Always equal to `maxAttempts`.
   */
  maxRetries: number;
  /** Jitter strategy. Default `'proportional'`. */
  jitter: JitterStrategy;
  /**
   * Explicit delays instead of the formula: retry n waits `schedule[n-1]`, the last entry
   * repeating. Applies to every retryable category except `transient_db_lock`. Default: none.
   */
  schedule?: readonly number[];
  /** Whether `unknown` errors are retried. Default true. */
  unknownIsRetryable: boolean;
  /**
   * Longest `Retry-After` honoured, in ms. A server (or a thrown error) may ask for any wait; an
   * absurd one (years, or 1e28 ms) would park the job forever. Longer waits are cut to this, or
   * dead-letter the job with `retryAfterBeyondMax: 'dead-letter'`. Default 3600000 (1 h).
   */
  maxRetryAfterMs: number;
  /** What a `Retry-After` longer than `maxRetryAfterMs` does: `'cap'` (wait `maxRetryAfterMs`) or `'dead-letter'`. Default `'cap'`. */
  retryAfterBeyondMax: 'cap' | 'dead-letter';
  /** Source of randomness in [0, 1) for jitter; inject for deterministic tests. Default `Math.random`. */
  random?: () => number;
}

/**
 * Input accepted wherever a retry policy is configured: any subset of {@link RetryConfig}.
 * `maxAttempts` is the name to use; `maxRetries` is accepted as an alias for the same number
 * (giving both with different values throws a ValidationError naming `maxAttempts`).
 */
export type RetryConfigInput = Partial<RetryConfig>;

/**
 * The defaults: 1 s, doubling, capped at 60 s, ±10 % jitter, 30 s base for rate
 * limits, 5 executions at most, unknown errors retried.
 *
 * @example
 * createRetrySchedule('transient_network', DEFAULT_RETRY_CONFIG); // [1000, 2000, 4000, 8000]
 */
export const DEFAULT_RETRY_CONFIG: Readonly<RetryConfig> = Object.freeze({
  initialDelayMs: 1000,
  maxDelayMs: 60_000,
  backoffMultiplier: 2,
  jitterFactor: 0.1,
  rateLimitDelayMs: 30_000,
  maxAttempts: 5,
  maxRetries: 5,
  jitter: 'proportional',
  unknownIsRetryable: true,
  maxRetryAfterMs: 3_600_000,
  retryAfterBeyondMax: 'cap',
});

// Configs produced here, so hot paths (calculateBackoffDelay in a worker loop) skip revalidation.
const resolved = new WeakSet<object>();

/**
 * Validates a {@link RetryConfigInput} and fills in the defaults. Throws `ValidationError`
 * naming the bad field (`[redrive] [config] maxDelayMs: must be >= 0`). The result is frozen;
 * passing it back is free (it is not validated twice), so resolve once and reuse it.
 *
 * When `schedule` is given without `maxDelayMs`, the cap is raised to the schedule's largest
 * delay (so "1 min, 5 min, 15 min, 1 h, capped there" needs no second setting); an explicit
 * `maxDelayMs` below a schedule entry is an error.
 *
 * @example
 * const policy = resolveRetryConfig({ maxAttempts: 3, initialDelayMs: 500 });
 * policy.maxAttempts; // 3 (and policy.maxRetries, its alias, is 3 too)
 */
export function resolveRetryConfig(input?: RetryConfigInput): RetryConfig {
  if (input === undefined) return DEFAULT_RETRY_CONFIG as RetryConfig;
  if (isResolvedRetryConfig(input)) return input;
  const issues = retryConfigIssues(input);
  if (issues.length > 0) throw issuesError('config', issues);
  const { maxAttempts, maxRetries, ...rest } = input;
  const attempts = pickMaxAttempts(maxAttempts, maxRetries);
  const config: RetryConfig = { ...DEFAULT_RETRY_CONFIG, ...stripUndefined(rest) };
  if (attempts !== undefined) {
    config.maxAttempts = attempts;
    config.maxRetries = attempts;
  }
  if (config.schedule) {
    const longest = Math.max(...config.schedule);
    if (rest.maxDelayMs === undefined) config.maxDelayMs = Math.max(config.maxDelayMs, longest);
    else {
      const index = config.schedule.findIndex((d) => d > config.maxDelayMs);
      if (index !== -1) throw fieldError(`schedule.${index}`, `must be <= maxDelayMs (${config.maxDelayMs})`);
    }
    config.schedule = Object.freeze([...config.schedule]);
  }
  Object.freeze(config);
  resolved.add(config);
  return config;
}

/**
 * True for configs returned by {@link resolveRetryConfig} (and {@link DEFAULT_RETRY_CONFIG}),
 * which every Redrive function uses as they are, without validating them again.
 *
 * @example isResolvedRetryConfig(resolveRetryConfig({ maxAttempts: 3 })) // true; isResolvedRetryConfig({ maxAttempts: 3 }) // false
 */
export function isResolvedRetryConfig(value: unknown): value is RetryConfig {
  return typeof value === 'object' && value !== null && resolved.has(value);
}

resolved.add(DEFAULT_RETRY_CONFIG);

/**
 * `maxAttempts`, or its alias `maxRetries` (the same number). Both with different values is a
 * contradiction, not a precedence question: ValidationError naming `maxAttempts`.
 */
function pickMaxAttempts(
  maxAttempts: number | undefined,
  maxRetries: number | undefined,
): number | undefined {
  if (maxAttempts !== undefined && maxRetries !== undefined && maxAttempts !== maxRetries) {
    throw fieldError(
      'maxAttempts',
      `must equal maxRetries when both are given (maxRetries is an alias of maxAttempts; got ${maxAttempts} and ${maxRetries})`,
    );
  }
  return maxAttempts ?? maxRetries;
}

function fieldError(path: string, message: string): ValidationError {
  return new ValidationError(`[redrive] [config] ${path}: ${message}`, { issues: [{ path, message }] });
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
