import { ValidationError } from '../errors/redrive-error.js';

/** Throws a `ValidationError` unless `attempt` is a positive safe integer (attempts are 1-based). */
export function assertAttempt(attempt: unknown, where: string): asserts attempt is number {
  if (typeof attempt !== 'number' || !Number.isSafeInteger(attempt) || attempt < 1) {
    const got = typeof attempt === 'number' ? String(attempt) : typeof attempt;
    throw new ValidationError(
      `[redrive] [${where}] attempt: must be an integer >= 1 (attempts are 1-based; got ${got})`,
      {
        issues: [{ path: 'attempt', message: 'must be an integer >= 1' }],
      },
    );
  }
}
