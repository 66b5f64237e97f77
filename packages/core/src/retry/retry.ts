import { calculateBackoffDelay } from '../backoff/calculate-backoff-delay.js';
import { shouldRetry } from '../backoff/should-retry.js';
import type { ErrorCategory } from '../classify/categories.js';
import { type ClassifyOptions, classifyError } from '../classify/classify-error.js';
import { type RetryConfigInput, resolveRetryConfig } from '../config/retry-config.js';
import { ValidationError } from '../errors/redrive-error.js';
import { abortableSleep } from './sleep.js';

/** What `fn` receives on each run. */
export interface RetryContext {
  /** 1-based number of this run. */
  attempt: number;
  /** Aborts when `policy.signal` aborts; pass it on to `fetch` and friends. */
  signal: AbortSignal;
}

/** Passed to `onRetry` before each wait. */
export interface RetryInfo {
  /** The attempt that just failed (1-based). */
  attempt: number;
  error: unknown;
  category: ErrorCategory;
  /** How long `retry` will now wait before attempt `attempt + 1`. */
  delayMs: number;
}

/** Passed to `onGiveUp` when the last error is about to be thrown. */
export interface GiveUpInfo {
  /** The attempt that failed last (1-based). */
  attempt: number;
  error: unknown;
  category: ErrorCategory;
}

/**
 * A retry policy for {@link retry}: the same fields as a durable job's policy
 * ({@link RetryConfigInput}) plus in-process extras.
 */
export type RetryPolicyInput = RetryConfigInput & {
  /** Custom classification rules (see `classifyError`). */
  classify?: ClassifyOptions;
  /** Stops everything: a pending wait ends at once and `retry` rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Called before each wait. A hook that throws stops the retries; its error rejects `retry`. */
  onRetry?: (info: RetryInfo) => void;
  /** Called once when retrying stops on a failure (permanent error or attempts exhausted). */
  onGiveUp?: (info: GiveUpInfo) => void;
  /** Injected wait, for tests (default: an abortable `setTimeout`). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Injected clock in epoch ms, used to read HTTP-date `Retry-After` values. Default `Date.now`. */
  now?: () => number;
};

/**
 * Runs `fn` until it succeeds, retrying failures with the same classification and backoff a
 * durable job would get: permanent errors are thrown at once, others are retried after
 * `calculateBackoffDelay` (honouring `Retry-After`) until `maxAttempts` (alias `maxRetries`)
 * **executions** have been made. Gives up by rethrowing the last error unchanged.
 *
 * Throws `ValidationError` (before calling `fn`) for a bad policy.
 *
 * @example
 * const user = await retry(({ signal }) => fetchJson(`/users/${id}`, { signal }), {
 *   maxAttempts: 3,
 *   signal: AbortSignal.timeout(30_000),
 *   onRetry: ({ attempt, category, delayMs }) => log.warn({ attempt, category, delayMs }),
 * });
 */
export async function retry<T>(
  fn: (ctx: RetryContext) => Promise<T> | T,
  policy?: RetryPolicyInput,
): Promise<T> {
  if (typeof fn !== 'function') throw policyError('fn', 'must be a function');
  const { config, classify, signal, onRetry, onGiveUp, sleep, now } = splitPolicy(policy);
  const runSignal = signal ?? new AbortController().signal;
  let previousDelayMs: number | undefined;

  for (let attempt = 1; ; attempt++) {
    if (runSignal.aborted) throw runSignal.reason;
    try {
      return await fn({ attempt, signal: runSignal });
    } catch (error) {
      // An abort ends the loop whatever fn threw: the caller asked us to stop.
      if (runSignal.aborted) throw runSignal.reason;
      const category = classifyError(error, classify);
      if (!shouldRetry(attempt, category, config)) {
        onGiveUp?.({ attempt, error, category });
        throw error;
      }
      const delayMs = calculateBackoffDelay(attempt, category, config, {
        error,
        previousDelayMs,
        now: now(),
      });
      onRetry?.({ attempt, error, category, delayMs });
      await sleep(delayMs, runSignal);
      previousDelayMs = delayMs;
    }
  }
}

function splitPolicy(policy: RetryPolicyInput | undefined) {
  if (policy !== undefined && (policy === null || typeof policy !== 'object')) {
    throw policyError('policy', 'must be an object');
  }
  const { classify, signal, onRetry, onGiveUp, sleep, now, ...configInput } = policy ?? {};
  for (const key of ['onRetry', 'onGiveUp', 'sleep', 'now'] as const) {
    const value = policy?.[key];
    if (value !== undefined && typeof value !== 'function') throw policyError(key, 'must be a function');
  }
  if (classify !== undefined && (classify === null || typeof classify !== 'object')) {
    throw policyError('classify', 'must be an object ({ rules })');
  }
  if (signal !== undefined && !isAbortSignal(signal)) throw policyError('signal', 'must be an AbortSignal');
  return {
    config: resolveRetryConfig(configInput),
    classify,
    signal,
    onRetry,
    onGiveUp,
    sleep: sleep ?? abortableSleep,
    now: now ?? Date.now,
  };
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function'
  );
}

function policyError(path: string, message: string): ValidationError {
  return new ValidationError(`[redrive] [retry] ${path}: ${message}`, { issues: [{ path, message }] });
}
