import { describe, expect, it } from 'vitest';
import {
  calculateBackoffDelay,
  createRetrySchedule,
  DEFAULT_RETRY_CONFIG,
  type ErrorCategory,
  RetryableError,
  resolveRetryConfig,
  shouldRetry,
  ValidationError,
} from '../index.js';

const noJitter = { jitter: 'none' } as const;
const fixed = (r: number) => () => r;
const PERMANENT: ErrorCategory[] = [
  'permanent_validation',
  'permanent_auth',
  'permanent_not_found',
  'permanent_security',
  'permanent_quota',
];

describe('calculateBackoffDelay: standard formula', () => {
  it('gives 1000, 2000, 4000, 8000 for attempts 1..4 and caps at 60000', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 10].map((a) =>
      calculateBackoffDelay(a, 'transient_network', noJitter),
    );
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  });

  it('uses the same formula for server errors, timeouts and unknown errors', () => {
    for (const category of ['transient_server', 'transient_timeout', 'unknown'] as const) {
      expect(calculateBackoffDelay(3, category, noJitter)).toBe(4000);
    }
  });

  it('follows initialDelayMs, backoffMultiplier and maxDelayMs', () => {
    const config = { ...noJitter, initialDelayMs: 500, backoffMultiplier: 3, maxDelayMs: 10_000 };
    expect([1, 2, 3, 4].map((a) => calculateBackoffDelay(a, 'transient_server', config))).toEqual([
      500, 1500, 4500, 10_000,
    ]);
    expect(calculateBackoffDelay(5, 'transient_server', { ...noJitter, backoffMultiplier: 1 })).toBe(1000);
  });

  it('does not overflow for huge attempts', () => {
    expect(calculateBackoffDelay(1_000_000, 'transient_network', noJitter)).toBe(60_000);
    expect(calculateBackoffDelay(1_000_000, 'transient_network', { ...noJitter, initialDelayMs: 0 })).toBe(0);
  });
});

describe('calculateBackoffDelay: jitter', () => {
  it('keeps proportional jitter within ±jitterFactor of the capped delay: 900..1100 for attempt 1', () => {
    expect(calculateBackoffDelay(1, 'transient_network', { random: fixed(0) })).toBe(900);
    expect(calculateBackoffDelay(1, 'transient_network', { random: fixed(0.5) })).toBe(1000);
    expect(calculateBackoffDelay(1, 'transient_network', { random: fixed(0.999999) })).toBe(1100);
    for (let i = 0; i < 500; i++) {
      const d = calculateBackoffDelay(1, 'transient_network');
      expect(d).toBeGreaterThanOrEqual(900);
      expect(d).toBeLessThanOrEqual(1100);
    }
  });

  it('spreads proportional jitter with the default Math.random (not a constant)', () => {
    const seen = new Set(Array.from({ length: 50 }, () => calculateBackoffDelay(2, 'transient_network')));
    expect(seen.size).toBeGreaterThan(10);
  });

  it('follows jitterFactor and never exceeds the cap', () => {
    expect(calculateBackoffDelay(2, 'transient_network', { jitterFactor: 0.5, random: fixed(0) })).toBe(1000);
    expect(calculateBackoffDelay(2, 'transient_network', { jitterFactor: 0.5, random: fixed(1) })).toBe(3000);
    expect(calculateBackoffDelay(10, 'transient_network', { random: fixed(0) })).toBe(54_000);
    expect(calculateBackoffDelay(10, 'transient_network', { random: fixed(1) })).toBe(60_000);
  });

  it("offers AWS 'full' jitter: uniform in [0, capped]", () => {
    expect(calculateBackoffDelay(3, 'transient_server', { jitter: 'full', random: fixed(0) })).toBe(0);
    expect(calculateBackoffDelay(3, 'transient_server', { jitter: 'full', random: fixed(0.25) })).toBe(1000);
    expect(calculateBackoffDelay(3, 'transient_server', { jitter: 'full', random: fixed(1) })).toBe(4000);
  });

  it("offers AWS 'decorrelated' jitter: uniform in [base, 3 × previous], capped", () => {
    const config = { jitter: 'decorrelated' as const };
    expect(calculateBackoffDelay(1, 'transient_server', { ...config, random: fixed(0) })).toBe(1000);
    expect(calculateBackoffDelay(1, 'transient_server', { ...config, random: fixed(1) })).toBe(3000);
    const ctx = { previousDelayMs: 5000 };
    expect(calculateBackoffDelay(4, 'transient_server', { ...config, random: fixed(1) }, ctx)).toBe(15_000);
    expect(calculateBackoffDelay(4, 'transient_server', { ...config, random: fixed(0) }, ctx)).toBe(1000);
    expect(
      calculateBackoffDelay(
        9,
        'transient_server',
        { ...config, random: fixed(1) },
        { previousDelayMs: 50_000 },
      ),
    ).toBe(60_000);
    // Without a previous delay, the jitter-free delay of the previous attempt stands in (4000 → up to 12000).
    expect(calculateBackoffDelay(4, 'transient_server', { ...config, random: fixed(1) })).toBe(12_000);
  });

  it('clamps a misbehaving random source instead of leaving the range', () => {
    expect(calculateBackoffDelay(1, 'transient_network', { random: fixed(7) })).toBe(1100);
    expect(calculateBackoffDelay(1, 'transient_network', { random: fixed(-3) })).toBe(900);
    expect(calculateBackoffDelay(1, 'transient_network', { random: fixed(Number.NaN) })).toBe(1000);
  });
});

describe('calculateBackoffDelay: rate limits and Retry-After', () => {
  it('uses rateLimitDelayMs as the base, exponential and capped', () => {
    expect([1, 2, 3].map((a) => calculateBackoffDelay(a, 'transient_rate_limit', noJitter))).toEqual([
      30_000, 60_000, 60_000,
    ]);
    const config = { ...noJitter, rateLimitDelayMs: 5000 };
    expect([1, 2, 3].map((a) => calculateBackoffDelay(a, 'transient_rate_limit', config))).toEqual([
      5000, 10_000, 20_000,
    ]);
    const jittered = calculateBackoffDelay(1, 'transient_rate_limit', { random: fixed(0) });
    expect(jittered).toBe(27_000);
  });

  it('lets a Retry-After in seconds override the computed delay, even above maxDelayMs', () => {
    const error = { status: 429, headers: { 'Retry-After': '7' } };
    expect(calculateBackoffDelay(1, 'transient_rate_limit', undefined, { error })).toBe(7000);
    const long = { status: 429, headers: { 'retry-after': '120' } };
    expect(calculateBackoffDelay(1, 'transient_rate_limit', undefined, { error: long })).toBe(120_000);
  });

  it('reads an HTTP-date Retry-After against context.now', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const error = {
      response: {
        status: 503,
        headers: new Headers({ 'Retry-After': new Date(now + 45_000).toUTCString() }),
      },
    };
    expect(calculateBackoffDelay(2, 'transient_server', undefined, { error, now })).toBe(45_000);
  });

  it("honours RetryableError's retryAfterMs", () => {
    const error = new RetryableError('upstream busy', { retryAfterMs: 2500 });
    expect(calculateBackoffDelay(3, 'transient_server', undefined, { error })).toBe(2500);
  });

  it('ignores Retry-After for permanent categories, and falls back when there is none', () => {
    const error = { status: 403, headers: { 'retry-after': '5' } };
    expect(calculateBackoffDelay(1, 'permanent_auth', undefined, { error })).toBe(0);
    expect(calculateBackoffDelay(1, 'transient_rate_limit', noJitter, { error: { status: 429 } })).toBe(
      30_000,
    );
  });
});

describe('calculateBackoffDelay: db locks, permanent categories, schedules', () => {
  it('uses 100 ms × attempt for db locks, without jitter', () => {
    expect([1, 2, 3, 4, 10].map((a) => calculateBackoffDelay(a, 'transient_db_lock'))).toEqual([
      100, 200, 300, 400, 1000,
    ]);
    expect(calculateBackoffDelay(1000, 'transient_db_lock')).toBe(60_000);
  });

  it('gives 0 for every permanent category and for unknown when not retryable', () => {
    for (const category of PERMANENT) expect(calculateBackoffDelay(1, category)).toBe(0);
    expect(calculateBackoffDelay(2, 'unknown', { unknownIsRetryable: false })).toBe(0);
  });

  it('follows an explicit schedule, repeating its last entry', () => {
    const config = { ...noJitter, schedule: [60_000, 300_000, 900_000, 3_600_000] };
    expect([1, 2, 3, 4, 5, 9].map((a) => calculateBackoffDelay(a, 'transient_server', config))).toEqual([
      60_000, 300_000, 900_000, 3_600_000, 3_600_000, 3_600_000,
    ]);
    // db locks keep their short linear delays whatever the schedule says
    expect(calculateBackoffDelay(2, 'transient_db_lock', config)).toBe(200);
    // jitter still applies, clamped to the schedule's top
    expect(
      calculateBackoffDelay(4, 'transient_server', { schedule: config.schedule, random: fixed(1) }),
    ).toBe(3_600_000);
    expect(
      calculateBackoffDelay(1, 'transient_server', { schedule: config.schedule, random: fixed(0) }),
    ).toBe(54_000);
  });

  it('rejects invalid attempts, categories, contexts and configs with a ValidationError naming the field', () => {
    for (const attempt of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '1']) {
      expect(() => calculateBackoffDelay(attempt as number, 'transient_network')).toThrow(
        /attempt: must be an integer >= 1/,
      );
    }
    expect(() => calculateBackoffDelay(1, 'flaky' as ErrorCategory)).toThrow(/category: must be one of/);
    expect(() => calculateBackoffDelay(1, 'transient_network', { maxDelayMs: -1 })).toThrow(
      '[redrive] [config] maxDelayMs: must be >= 0',
    );
    expect(() => calculateBackoffDelay(1, 'transient_network', undefined, { previousDelayMs: -5 })).toThrow(
      /context.previousDelayMs/,
    );
    expect(() => calculateBackoffDelay(1, 'transient_network', undefined, { now: Number.NaN })).toThrow(
      /context.now/,
    );
    try {
      calculateBackoffDelay(0, 'transient_network');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([
        { path: 'attempt', message: 'must be an integer >= 1' },
      ]);
    }
  });
});

describe('shouldRetry', () => {
  it('counts executions: with the defaults attempts 1..4 are retried, the 5th failure is final', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => shouldRetry(a, 'transient_network'))).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('never retries permanent categories', () => {
    for (const category of PERMANENT) expect(shouldRetry(1, category)).toBe(false);
  });

  it('retries unknown errors unless unknownIsRetryable is false', () => {
    expect(shouldRetry(1, 'unknown')).toBe(true);
    expect(shouldRetry(1, 'unknown', { unknownIsRetryable: false })).toBe(false);
  });

  it('accepts maxAttempts as the same number as maxRetries', () => {
    expect(shouldRetry(2, 'transient_server', { maxAttempts: 3 })).toBe(true);
    expect(shouldRetry(3, 'transient_server', { maxAttempts: 3 })).toBe(false);
    expect(shouldRetry(1, 'transient_server', { maxRetries: 1 })).toBe(false);
    expect(shouldRetry(1_000_000, 'transient_server', { maxRetries: Number.POSITIVE_INFINITY })).toBe(true);
    expect(() => shouldRetry(1, 'transient_server', { maxRetries: 3, maxAttempts: 4 })).toThrow(
      /maxAttempts: must equal maxRetries/,
    );
  });

  it('rejects bad attempts', () => {
    expect(() => shouldRetry(0, 'transient_server')).toThrow(ValidationError);
  });
});

describe('createRetrySchedule', () => {
  it('lists the jitter-free waits a job really gets', () => {
    expect(createRetrySchedule('transient_network')).toEqual([1000, 2000, 4000, 8000]);
    expect(createRetrySchedule('transient_db_lock')).toEqual([100, 200, 300, 400]);
    expect(createRetrySchedule('transient_rate_limit')).toEqual([30_000, 60_000, 60_000, 60_000]);
    for (const category of PERMANENT) expect(createRetrySchedule(category)).toEqual([]);
    expect(createRetrySchedule('unknown', { unknownIsRetryable: false })).toEqual([]);
    expect(createRetrySchedule('transient_server', { maxAttempts: 1 })).toEqual([]);
  });

  it('ignores the jitter setting (the schedule is the jitter-free plan)', () => {
    expect(createRetrySchedule('transient_network', { jitter: 'full', random: fixed(0) })).toEqual([
      1000, 2000, 4000, 8000,
    ]);
  });

  it('covers per-type policies (chat, memory, notification)', () => {
    expect(createRetrySchedule('transient_server', { maxRetries: 5, initialDelayMs: 2000 })).toEqual([
      2000, 4000, 8000, 16_000,
    ]);
    expect(createRetrySchedule('transient_server', { maxRetries: 3, initialDelayMs: 500 })).toEqual([
      500, 1000,
    ]);
    expect(createRetrySchedule('transient_server', { maxRetries: 10, initialDelayMs: 30_000 })).toEqual([
      30_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000,
    ]);
    expect(
      createRetrySchedule('transient_server', {
        schedule: [60_000, 300_000, 900_000, 3_600_000],
        maxAttempts: 7,
      }),
    ).toEqual([60_000, 300_000, 900_000, 3_600_000, 3_600_000, 3_600_000]);
  });

  it('refuses to list an endless schedule', () => {
    expect(() => createRetrySchedule('transient_server', { maxAttempts: Number.POSITIVE_INFINITY })).toThrow(
      /^\[redrive\] \[createRetrySchedule\] maxAttempts: must be finite/,
    );
    // The alias reaches the same check.
    expect(() => createRetrySchedule('transient_server', { maxRetries: Number.POSITIVE_INFINITY })).toThrow(
      /maxAttempts: must be finite/,
    );
  });
});

describe('DEFAULT_RETRY_CONFIG', () => {
  it('holds the documented numbers', () => {
    expect(DEFAULT_RETRY_CONFIG).toEqual({
      initialDelayMs: 1000,
      maxDelayMs: 60_000,
      backoffMultiplier: 2,
      jitterFactor: 0.1,
      rateLimitDelayMs: 30_000,
      maxAttempts: 5,
      maxRetries: 5, // the alias the code Redrive replaces reads
      jitter: 'proportional',
      unknownIsRetryable: true,
      maxRetryAfterMs: 3_600_000,
      retryAfterBeyondMax: 'cap',
    });
    expect(Object.isFrozen(DEFAULT_RETRY_CONFIG)).toBe(true);
    expect(resolveRetryConfig()).toBe(DEFAULT_RETRY_CONFIG);
  });
});
