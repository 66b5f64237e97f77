import { describe, expect, it } from 'vitest';
import {
  ERROR_CATEGORIES,
  type ErrorCategory,
  getErrorCategoryDescription,
  getErrorCategoryLabel,
  getRetryAfterMs,
  getSuggestedAction,
  isPermanentCategory,
  isRetryable,
  RetryableError,
  ValidationError,
} from '../index.js';

describe('isRetryable', () => {
  it('is true for transient categories and false for permanent ones', () => {
    for (const category of ERROR_CATEGORIES) {
      if (category.startsWith('transient_')) expect(isRetryable(category)).toBe(true);
      if (category.startsWith('permanent_')) {
        expect(isRetryable(category)).toBe(false);
        expect(isPermanentCategory(category)).toBe(true);
      }
    }
  });

  it('retries unknown by default, configurably', () => {
    expect(isRetryable('unknown')).toBe(true);
    expect(isRetryable('unknown', { unknownIsRetryable: false })).toBe(false);
    expect(isRetryable('unknown', { unknownIsRetryable: true })).toBe(true);
  });

  it('rejects values that are not categories', () => {
    expect(() => isRetryable('transient' as ErrorCategory)).toThrow(ValidationError);
    expect(() => isRetryable('unknown', { unknownIsRetryable: 'no' as never })).toThrow(
      /unknownIsRetryable: must be a boolean/,
    );
  });
});

describe('descriptions, suggested actions and labels', () => {
  it('has a non-empty, distinct text for every category', () => {
    for (const fn of [getErrorCategoryDescription, getSuggestedAction, getErrorCategoryLabel]) {
      const texts = ERROR_CATEGORIES.map((c) => fn(c));
      for (const text of texts) expect(text.length).toBeGreaterThan(3);
      expect(new Set(texts).size).toBe(ERROR_CATEGORIES.length);
    }
  });

  it('suggests checking credentials for auth errors', () => {
    expect(getSuggestedAction('permanent_auth')).toBe('Check API credentials and permissions');
    expect(getErrorCategoryLabel('transient_rate_limit')).toBe('Rate limited');
    expect(getErrorCategoryDescription('transient_rate_limit')).toMatch(/429/);
  });

  it('rejects values that are not categories', () => {
    expect(() => getSuggestedAction('nope' as ErrorCategory)).toThrow(
      '[redrive] [getSuggestedAction] category: must be one of',
    );
    expect(() => getErrorCategoryLabel(undefined as never)).toThrow(ValidationError);
    expect(() => getErrorCategoryDescription(Symbol() as never)).toThrow(/got a symbol/);
  });
});

describe('getRetryAfterMs', () => {
  const now = Date.UTC(2026, 5, 1, 8, 0, 0);
  const inSeconds = (s: number) => new Date(now + s * 1000).toUTCString();

  it('reads retryAfterMs, retryAfter (seconds, string, date) and headers', () => {
    expect(getRetryAfterMs(new RetryableError('x', { retryAfterMs: 1500 }))).toBe(1500);
    expect(getRetryAfterMs({ retryAfter: 2 })).toBe(2000);
    expect(getRetryAfterMs({ retryAfter: '3' })).toBe(3000);
    expect(getRetryAfterMs({ retryAfter: inSeconds(30) }, now)).toBe(30_000);
    expect(getRetryAfterMs({ retryAfter: new Date(now + 4000) }, now)).toBe(4000);
    expect(getRetryAfterMs({ headers: { 'Retry-After': '5' } })).toBe(5000);
    expect(getRetryAfterMs({ headers: { 'retry-after': ['6'] } })).toBe(6000);
    expect(getRetryAfterMs({ headers: new Headers({ 'retry-after': '7' }) })).toBe(7000);
    expect(
      getRetryAfterMs({ response: { headers: new Headers({ 'Retry-After': inSeconds(8) }) } }, now),
    ).toBe(8000);
    expect(getRetryAfterMs({ response: { headers: { 'retry-after-ms': '250', 'retry-after': '9' } } })).toBe(
      250,
    );
    expect(getRetryAfterMs({ headers: { 'retry-after': '1.5' } })).toBe(1500);
  });

  it('searches the cause chain', () => {
    const error = new Error('sync failed', { cause: { status: 429, headers: { 'retry-after': '11' } } });
    expect(getRetryAfterMs(error)).toBe(11_000);
  });

  it('gives 0 for a date in the past and ignores junk', () => {
    expect(getRetryAfterMs({ retryAfter: inSeconds(-60) }, now)).toBe(0);
    for (const junk of [
      { retryAfter: -1 },
      { retryAfter: 'soon' },
      { retryAfterMs: Number.NaN },
      { headers: { 'retry-after': '' } },
      { headers: null },
      null,
      'x',
      Symbol('s'),
    ]) {
      expect(getRetryAfterMs(junk, now)).toBeUndefined();
    }
  });

  it('never throws on hostile headers', () => {
    const hostile = {
      headers: {
        get() {
          throw new Error('boom');
        },
      },
    };
    expect(getRetryAfterMs(hostile)).toBeUndefined();
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    expect(getRetryAfterMs({ headers: revocable.proxy })).toBeUndefined();
  });

  it('rejects a bad now', () => {
    expect(() => getRetryAfterMs({}, Number.NaN)).toThrow('[redrive] [getRetryAfterMs] now:');
  });
});
