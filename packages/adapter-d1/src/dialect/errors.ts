import { AdapterError, ValidationError } from '@redrive/core';

/** A ValidationError naming the argument: `[redrive] [d1] limit must be an integer >= 1`. */
export function invalid(adapter: string, path: string, message: string): ValidationError {
  return new ValidationError(`[redrive] [${adapter}] ${path} ${message}`, { issues: [{ path, message }] });
}

/** Wraps a store error (D1_ERROR, SQLITE_BUSY, …) as an AdapterError that keeps it as `cause`. */
export function adapterError(adapter: string, operation: string, cause: unknown): AdapterError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new AdapterError(`[redrive] [${adapter}] ${operation} failed: ${detail}`, { adapter, cause });
}
