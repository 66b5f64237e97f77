import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyError, ERROR_CATEGORIES } from '../index.js';

const words = fc.constantFrom(
  'timeout',
  'rate limit',
  'database is locked',
  'invalid',
  'unauthorized',
  'not found',
  'sandbox',
  'quota',
  'boom',
  '',
);
const message = fc.array(fc.oneof(words, fc.string()), { maxLength: 4 }).map((parts) => parts.join(' '));
const code = fc.constantFrom(undefined, 'ECONNRESET', 'SQLITE_BUSY', 'ENOENT', '23505');

describe('classification properties', () => {
  it('an HTTP status decides whatever the message and code say (except 409, which defers)', () => {
    const status = fc.integer({ min: 400, max: 599 }).filter((s) => s !== 409);
    fc.assert(
      fc.property(status, message, code, (s, m, c) => {
        expect(classifyError({ status: s, message: m, code: c })).toBe(classifyError({ status: s }));
        expect(classifyError({ response: { status: s }, message: m, code: c })).toBe(
          classifyError({ status: s }),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('an explicit category decides whatever else the error or its causes say', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ERROR_CATEGORIES),
        message,
        fc.integer({ min: 100, max: 599 }),
        (category, m, s) => {
          const cause = { status: s, message: m };
          expect(classifyError({ category, status: s, message: m, cause })).toBe(category);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('wrapping an error in a plain Error with it as cause never changes its category', () => {
    const status = fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined });
    fc.assert(
      fc.property(message, code, status, (m, c, s) => {
        const error = Object.assign(new Error(m), { code: c, status: s });
        expect(classifyError(new Error('while syncing', { cause: error }))).toBe(classifyError(error));
      }),
      { numRuns: 500 },
    );
  });
});
