import { type NewJobRecord, ValidationError } from '@redrive/core';

/*
 * Input checks at the adapter boundary. Core validates user input long before it gets here;
 * these catch a caller (a custom runner, a test) that hands the store something it cannot keep
 * consistent, and they run before any write so a rejected call changes nothing.
 */

function fail(where: string, path: string, message: string): never {
  throw new ValidationError(`[redrive] [memory] ${where}: ${path} ${message}`, {
    issues: [{ path, message }],
  });
}

export function requireFinite(where: string, path: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(where, path, 'must be a finite number');
}

export function requireString(where: string, path: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0) fail(where, path, 'must be a non-empty string');
}

export function requireCount(where: string, path: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    fail(where, path, `must be an integer >= ${min}`);
  }
}

export function requireOptionalCount(where: string, path: string, value: unknown, min: number): void {
  if (value !== undefined) requireCount(where, path, value, min);
}

/** Every record of an `enqueue` call, including ids repeated in the batch or already stored. */
export function validateRecords(records: unknown, exists: (id: string) => boolean): void {
  if (!Array.isArray(records)) fail('enqueue', 'jobs', 'must be an array');
  const seen = new Set<string>();
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as NewJobRecord;
    const at = `jobs[${i}]`;
    if (typeof r !== 'object' || r === null) fail('enqueue', at, 'must be an object');
    requireString('enqueue', `${at}.id`, r.id);
    if (seen.has(r.id) || exists(r.id)) fail('enqueue', `${at}.id`, `"${r.id}" is already taken`);
    seen.add(r.id);
    requireString('enqueue', `${at}.type`, r.type);
    requireString('enqueue', `${at}.queue`, r.queue);
    requireFinite('enqueue', `${at}.priority`, r.priority);
    requireFinite('enqueue', `${at}.runAt`, r.runAt);
    requireFinite('enqueue', `${at}.createdAt`, r.createdAt);
    requireCount('enqueue', `${at}.maxAttempts`, r.maxAttempts, 1);
    if (r.tenantId !== null && typeof r.tenantId !== 'string') {
      fail('enqueue', `${at}.tenantId`, 'must be a string or null');
    }
    if (r.idempotencyKey !== null && typeof r.idempotencyKey !== 'string') {
      fail('enqueue', `${at}.idempotencyKey`, 'must be a string or null');
    }
  }
}
