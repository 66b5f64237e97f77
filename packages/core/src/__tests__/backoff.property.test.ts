import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calculateBackoffDelay,
  createRetrySchedule,
  ERROR_CATEGORIES,
  type RetryConfigInput,
  resolveRetryConfig,
  shouldRetry,
} from '../index.js';

const category = fc.constantFrom(...ERROR_CATEGORIES);
const attempt = fc.integer({ min: 1, max: 1_000_000 });
const ms = (max: number) => fc.double({ min: 0, max, noNaN: true, noDefaultInfinity: true });

/** Any valid retry config, jitter and randomness included. */
const config: fc.Arbitrary<RetryConfigInput> = fc.record(
  {
    initialDelayMs: ms(1e7),
    maxDelayMs: ms(1e8),
    backoffMultiplier: fc.double({ min: 1, max: 10, noNaN: true }),
    jitterFactor: fc.double({ min: 0, max: 1, noNaN: true }),
    rateLimitDelayMs: ms(1e7),
    maxRetries: fc.integer({ min: 1, max: 40 }),
    jitter: fc.constantFrom('proportional', 'full', 'decorrelated', 'none' as const),
    unknownIsRetryable: fc.boolean(),
    random: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }).map((r) => () => r),
  },
  { requiredKeys: [] },
);

const jitterFree = config.map((c) => ({ ...c, jitter: 'none' as const }));

describe('backoff properties', () => {
  it('every delay is an integer in [0, maxDelayMs] for attempts 1…10⁶', () => {
    fc.assert(
      fc.property(attempt, category, config, (a, c, input) => {
        const { maxDelayMs } = resolveRetryConfig(input);
        const delay = calculateBackoffDelay(a, c, input);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(maxDelayMs);
      }),
      { numRuns: 2000 },
    );
  });

  it('stays in [0, maxDelayMs] with explicit schedules too', () => {
    const scheduled = fc.record({
      schedule: fc.array(fc.integer({ min: 0, max: 1e7 }), { minLength: 1, maxLength: 8 }),
      random: fc.double({ min: 0, max: 1, noNaN: true }).map((r) => () => r),
      jitter: fc.constantFrom('proportional', 'full', 'decorrelated', 'none' as const),
    });
    fc.assert(
      fc.property(attempt, category, scheduled, (a, c, input) => {
        const delay = calculateBackoffDelay(a, c, input);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(resolveRetryConfig(input).maxDelayMs);
      }),
      { numRuns: 1000 },
    );
  });

  it('is non-decreasing in the attempt without jitter', () => {
    fc.assert(
      fc.property(attempt, attempt, category, jitterFree, (x, y, c, input) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        expect(calculateBackoffDelay(a, c, input)).toBeLessThanOrEqual(calculateBackoffDelay(b, c, input));
        expect(calculateBackoffDelay(a, c, input)).toBeLessThanOrEqual(
          calculateBackoffDelay(a + 1, c, input),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps proportional jitter within ±jitterFactor of the jitter-free delay', () => {
    fc.assert(
      fc.property(attempt, category, config, (a, c, input) => {
        const withJitter = { ...input, jitter: 'proportional' as const };
        const base = calculateBackoffDelay(a, c, { ...withJitter, jitter: 'none' });
        const f = resolveRetryConfig(withJitter).jitterFactor;
        const delay = calculateBackoffDelay(a, c, withJitter);
        // +1 ms: the result is rounded to whole milliseconds.
        expect(delay).toBeGreaterThanOrEqual(Math.floor(base * (1 - f)) - 1);
        expect(delay).toBeLessThanOrEqual(Math.ceil(base * (1 + f)) + 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives a schedule with one jitter-free delay per retry that shouldRetry allows', () => {
    fc.assert(
      fc.property(category, config, (c, input) => {
        const schedule = createRetrySchedule(c, input);
        const { maxRetries } = resolveRetryConfig(input);
        let retries = 0;
        for (let a = 1; a <= maxRetries + 1; a++) if (shouldRetry(a, c, input)) retries++;
        expect(schedule).toHaveLength(retries);
        // The retries allowed are exactly the first ones: attempt n is retried iff n ≤ schedule.length.
        for (let a = 1; a <= maxRetries + 1; a++) expect(shouldRetry(a, c, input)).toBe(a <= schedule.length);
        schedule.forEach((delay, i) => {
          expect(delay).toBe(calculateBackoffDelay(i + 1, c, { ...input, jitter: 'none' }));
        });
      }),
      { numRuns: 1000 },
    );
  });
});
