import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  DEFAULT_RETRY_CONFIG,
  resolveRetryConfig,
  retryConfigSchema,
  ValidationError,
  validateWith,
} from '../index.js';

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('resolveRetryConfig', () => {
  it('fills in defaults and keeps given values', () => {
    const config = resolveRetryConfig({ initialDelayMs: 500, maxAttempts: 3 });
    expect(config).toEqual({ ...DEFAULT_RETRY_CONFIG, initialDelayMs: 500, maxAttempts: 3, maxRetries: 3 });
    expect(Object.isFrozen(config)).toBe(true);
    expect(resolveRetryConfig(config)).toBe(config);
  });

  it('takes maxAttempts, or maxRetries as its alias, and carries both (always equal)', () => {
    expect(DEFAULT_RETRY_CONFIG).toMatchObject({ maxAttempts: 5, maxRetries: 5 });
    expect(resolveRetryConfig({ maxAttempts: 7 })).toMatchObject({ maxAttempts: 7, maxRetries: 7 });
    expect(resolveRetryConfig({ maxRetries: 4 })).toMatchObject({ maxAttempts: 4, maxRetries: 4 });
    expect(resolveRetryConfig({ maxAttempts: 7, maxRetries: 7 })).toMatchObject({
      maxAttempts: 7,
      maxRetries: 7,
    });
    expect(resolveRetryConfig({ maxAttempts: Number.POSITIVE_INFINITY }).maxRetries).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it('refuses maxAttempts and maxRetries with different values, naming maxAttempts', () => {
    const error = validationError(() => resolveRetryConfig({ maxAttempts: 3, maxRetries: 4 }));
    expect(error.issues).toEqual([
      { path: 'maxAttempts', message: expect.stringMatching(/must equal maxRetries/) },
    ]);
    expect(error.message).toMatch(/^\[redrive\] \[config\] maxAttempts: must equal maxRetries .*got 3 and 4/);
  });

  it.each([
    [{ initialDelayMs: -1 }, 'initialDelayMs: must be >= 0'],
    [{ maxDelayMs: -1 }, 'maxDelayMs: must be >= 0'],
    [{ maxDelayMs: Number.NaN }, 'maxDelayMs: must be a finite number (got NaN)'],
    [{ backoffMultiplier: 0.5 }, 'backoffMultiplier: must be >= 1'],
    [{ jitterFactor: 1.5 }, 'jitterFactor: must be <= 1'],
    [{ jitterFactor: -0.1 }, 'jitterFactor: must be >= 0'],
    [{ rateLimitDelayMs: -5 }, 'rateLimitDelayMs: must be >= 0'],
    [{ maxRetries: 0 }, 'maxRetries: must be >= 1'],
    [{ maxRetries: 2.5 }, 'maxRetries: must be an integer >= 1, or Infinity'],
    [{ maxAttempts: -1 }, 'maxAttempts: must be >= 1'],
    [{ jitter: 'random' }, "jitter: must be 'proportional', 'full', 'decorrelated' or 'none'"],
    [{ schedule: [] }, 'schedule: must have at least one delay'],
    [{ schedule: [1000, -1] }, 'schedule.1: must be >= 0'],
    [{ unknownIsRetryable: 'yes' }, 'unknownIsRetryable: must be a boolean (got string)'],
    [{ random: 0.5 }, 'random: must be a function'],
    [{ maxRetry: 3 }, 'maxRetry: is not a known option'],
    [{ initialDelayMs: '1000' }, 'initialDelayMs: must be a finite number (got string)'],
  ])('rejects %o naming the field', (input, message) => {
    const error = validationError(() => resolveRetryConfig(input as never));
    expect(error.message).toBe(`[redrive] [config] ${message}`);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.issues.length).toBeGreaterThan(0);
  });

  it('rejects a non-object config', () => {
    expect(validationError(() => resolveRetryConfig(null as never)).message).toBe(
      '[redrive] [config] (root): must be an object (got null)',
    );
    expect(validationError(() => resolveRetryConfig(5 as never)).message).toMatch(
      /\(root\): must be an object/,
    );
  });

  it('lists every bad field in issues', () => {
    const error = validationError(() =>
      resolveRetryConfig({ initialDelayMs: -1, maxDelayMs: -1, jitterFactor: 2 }),
    );
    expect(error.issues.map((i) => i.path).sort()).toEqual(['initialDelayMs', 'jitterFactor', 'maxDelayMs']);
  });

  it('raises the cap to the longest schedule entry unless maxDelayMs is explicit', () => {
    const schedule = [60_000, 300_000, 900_000, 3_600_000];
    expect(resolveRetryConfig({ schedule }).maxDelayMs).toBe(3_600_000);
    expect(resolveRetryConfig({ schedule: [5000] }).maxDelayMs).toBe(60_000);
    expect(resolveRetryConfig({ schedule, maxDelayMs: 4_000_000 }).maxDelayMs).toBe(4_000_000);
    const error = validationError(() => resolveRetryConfig({ schedule, maxDelayMs: 600_000 }));
    expect(error.message).toBe('[redrive] [config] schedule.2: must be <= maxDelayMs (600000)');
  });

  it('copies and freezes the schedule so later edits cannot change a resolved config', () => {
    const schedule = [1000, 2000];
    const config = resolveRetryConfig({ schedule });
    schedule[0] = 99;
    expect(config.schedule).toEqual([1000, 2000]);
    expect(Object.isFrozen(config.schedule)).toBe(true);
  });

  it('accepts Infinity as "retry forever"', () => {
    expect(resolveRetryConfig({ maxRetries: Number.POSITIVE_INFINITY }).maxRetries).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it('exposes the zod schema', () => {
    expect(retryConfigSchema.safeParse({ maxRetries: 3 }).success).toBe(true);
    expect(retryConfigSchema.safeParse({ maxRetries: -3 }).success).toBe(false);
    // The same rules as resolveRetryConfig, each problem at its field, inside a schema of your own.
    const result = z
      .object({ retry: retryConfigSchema })
      .safeParse({ retry: { schedule: [1, -1], maxRetry: 3 } });
    expect(result.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [['retry', 'schedule', 1], 'must be >= 0'],
      [['retry', 'maxRetry'], 'is not a known option'],
    ]);
  });
});

describe('validateWith', () => {
  const schema = z.object({ name: z.string(), tags: z.array(z.string().min(1, 'must not be empty')) });

  it('returns the parsed value', () => {
    expect(validateWith(schema, { name: 'a', tags: ['x'] }, 'queue.enqueue')).toEqual({
      name: 'a',
      tags: ['x'],
    });
  });

  it('names nested paths, keeps the zod error as cause, and caps the message at three issues', () => {
    const error = validationError(() =>
      validateWith(schema, { name: 1, tags: ['', '', ''] }, 'queue.enqueue'),
    );
    expect(error.message).toBe(
      '[redrive] [queue.enqueue] name: must be a string (got number); tags.0: must not be empty; tags.1: must not be empty; and 1 more',
    );
    expect(error.issues).toHaveLength(4);
    expect(error.cause).toBeInstanceOf(z.ZodError);
  });
});

describe('validateWith keeps input values out of the error', () => {
  it('names the received type without copying the value into message, issues or cause', () => {
    const schema = z.object({ apiKey: z.number() });
    const error = validationError(() => validateWith(schema, { apiKey: 'sk-secret-123' }, 'queue.enqueue'));
    expect(error.message).toBe('[redrive] [queue.enqueue] apiKey: must be a finite number (got string)');
    expect(JSON.stringify(error.issues)).not.toContain('sk-secret-123');
    expect(JSON.stringify((error.cause as z.ZodError).issues)).not.toContain('sk-secret-123');
  });
});
