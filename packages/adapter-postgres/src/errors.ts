import { AdapterError } from '@redrive/core';

/** Wraps a driver error as `[redrive] [postgres] <operation> failed: <message>`, keeping it as `cause`. */
export function adapterError(operation: string, cause: unknown): AdapterError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new AdapterError(`[redrive] [postgres] ${operation} failed: ${message}`, {
    adapter: 'postgres',
    cause,
  });
}

/** True for the SQLSTATEs a retry of the same statement fixes (deadlock, serialization failure). */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}
