import { AdapterError } from '@redrive/core';

/** Wraps a driver error as `[redrive] [postgres] <operation> failed: <message>`, keeping it as `cause`. */
export function adapterError(operation: string, cause: unknown): AdapterError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new AdapterError(`[redrive] [postgres] ${operation} failed: ${message}`, {
    adapter: 'postgres',
    cause,
  });
}

/**
 * True when Postgres refused a value in the statement (SQLSTATE class 22 data exception, e.g. a
 * NUL in jsonb, or 23 integrity violation): another row of the same batch may well be fine.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/** True for the SQLSTATEs a retry of the same statement fixes (deadlock, serialization failure). */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}
