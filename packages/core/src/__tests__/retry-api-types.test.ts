// Pins the public signatures other areas (queue, runner, adapters, React) build on. Checked by
// `tsc` (the root typecheck includes tests) and run as ordinary tests.

import { describe, expectTypeOf, it } from 'vitest';
import type * as z from 'zod/mini';
import {
  type BackoffContext,
  type ClassificationRule,
  type ClassifyOptions,
  calculateBackoffDelay,
  classifyError,
  createRetrySchedule,
  DEFAULT_RETRY_CONFIG,
  type ErrorCategory,
  getErrorCategoryDescription,
  getErrorCategoryLabel,
  getRetryAfterMs,
  getSuggestedAction,
  isRetryable,
  type RetryConfig,
  type RetryConfigInput,
  type RetryPolicyInput,
  resolveRetryConfig,
  retry,
  shouldRetry,
  validateWith,
} from '../index.js';

describe('public signatures', () => {
  it('classify', () => {
    expectTypeOf(classifyError).parameters.toEqualTypeOf<[error: unknown, options?: ClassifyOptions]>();
    expectTypeOf(classifyError).returns.toEqualTypeOf<ErrorCategory>();
    expectTypeOf<ClassifyOptions['rules']>().toEqualTypeOf<readonly ClassificationRule[] | undefined>();
    expectTypeOf(isRetryable).toBeCallableWith('unknown', { unknownIsRetryable: false });
    expectTypeOf(isRetryable).returns.toBeBoolean();
    expectTypeOf(getErrorCategoryDescription).returns.toBeString();
    expectTypeOf(getSuggestedAction).returns.toBeString();
    expectTypeOf(getErrorCategoryLabel).returns.toBeString();
    expectTypeOf(getRetryAfterMs).parameters.toEqualTypeOf<[error: unknown, now?: number]>();
    expectTypeOf(getRetryAfterMs).returns.toEqualTypeOf<number | undefined>();
  });

  it('config and backoff', () => {
    expectTypeOf(DEFAULT_RETRY_CONFIG).toEqualTypeOf<Readonly<RetryConfig>>();
    expectTypeOf<RetryConfigInput>().toMatchTypeOf<{ maxAttempts?: number; maxRetries?: number }>();
    expectTypeOf(resolveRetryConfig).parameters.toEqualTypeOf<[input?: RetryConfigInput]>();
    expectTypeOf(resolveRetryConfig).returns.toEqualTypeOf<RetryConfig>();
    expectTypeOf(validateWith<{ a: string }>).parameters.toEqualTypeOf<
      [schema: z.core.$ZodType<{ a: string }>, value: unknown, where: string]
    >();
    expectTypeOf(calculateBackoffDelay).parameters.toEqualTypeOf<
      [attempt: number, category: ErrorCategory, config?: RetryConfigInput, context?: BackoffContext]
    >();
    expectTypeOf(calculateBackoffDelay).returns.toBeNumber();
    expectTypeOf(shouldRetry).parameters.toEqualTypeOf<
      [attempt: number, category: ErrorCategory, config?: RetryConfigInput]
    >();
    expectTypeOf(createRetrySchedule).returns.toEqualTypeOf<number[]>();
    expectTypeOf<RetryConfig['jitter']>().toEqualTypeOf<'proportional' | 'full' | 'decorrelated' | 'none'>();
  });

  it('retry', () => {
    expectTypeOf(retry(async () => 42)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(retry(({ attempt, signal }) => ({ attempt, signal }))).resolves.toEqualTypeOf<{
      attempt: number;
      signal: AbortSignal;
    }>();
    expectTypeOf<RetryPolicyInput>().toMatchTypeOf<RetryConfigInput>();
    expectTypeOf<NonNullable<RetryPolicyInput['onRetry']>>().parameter(0).toEqualTypeOf<{
      attempt: number;
      error: unknown;
      category: ErrorCategory;
      delayMs: number;
    }>();
  });
});
