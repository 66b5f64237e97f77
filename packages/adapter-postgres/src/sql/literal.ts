/*
 * SQL literals for the few statements sent with the simple query protocol (several statements in
 * one round trip, so a `SET LOCAL` can apply to the statement after it — see claim.ts). Only
 * integers and strings are ever inlined, and both are checked or escaped here.
 */
import { ValidationError } from '@redrive/core';

/** An integer literal; anything else is rejected (never interpolated). */
export function intLiteral(value: unknown, path: string): string {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ValidationError(`[redrive] [postgres] ${path} must be an integer, got ${String(value)}`, {
      issues: [{ path, message: 'must be an integer' }],
    });
  }
  return String(value);
}

/** A string literal, escaped as `pg`'s escapeLiteral does (E'' form when it holds a backslash). */
export function textLiteral(value: unknown, path: string): string {
  if (typeof value !== 'string') {
    throw new ValidationError(`[redrive] [postgres] ${path} must be a string`, {
      issues: [{ path, message: 'must be a string' }],
    });
  }
  const body = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}

/** A text[] literal. */
export function textArrayLiteral(values: unknown, path: string): string {
  if (!Array.isArray(values)) {
    throw new ValidationError(`[redrive] [postgres] ${path} must be an array of strings`, {
      issues: [{ path, message: 'must be an array of strings' }],
    });
  }
  return `ARRAY[${values.map((v, i) => textLiteral(v, `${path}[${i}]`)).join(', ')}]::text[]`;
}
