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

export function requireArray(where: string, path: string, value: unknown): void {
  if (!Array.isArray(value)) fail(where, path, 'must be an array');
}

export function requireOptionalCount(where: string, path: string, value: unknown, min: number): void {
  if (value !== undefined) requireCount(where, path, value, min);
}

const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const text = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
const nullableString = (v: unknown): boolean => v === null || typeof v === 'string';

/**
 * Every record of an `enqueue` call, including ids repeated in the batch or already stored.
 * This runs once per enqueued job, so the field paths are only built for the error: building
 * `jobs[i].field` strings eagerly was a tenth of an enqueue's cost.
 */
export function validateRecords(records: unknown, exists: (id: string) => boolean): void {
  if (!Array.isArray(records)) fail('enqueue', 'jobs', 'must be an array');
  const seen = records.length > 1 ? new Set<string>() : undefined;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as NewJobRecord;
    if (typeof r !== 'object' || r === null) fail('enqueue', `jobs[${i}]`, 'must be an object');
    const bad = firstBadField(r);
    if (bad !== undefined) fail('enqueue', `jobs[${i}].${bad[0]}`, bad[1]);
    if (exists(r.id) || seen?.has(r.id)) fail('enqueue', `jobs[${i}].id`, `"${r.id}" is already taken`);
    seen?.add(r.id);
  }
}

function firstBadField(r: NewJobRecord): [field: string, problem: string] | undefined {
  if (!text(r.id)) return ['id', 'must be a non-empty string'];
  if (!text(r.type)) return ['type', 'must be a non-empty string'];
  if (!text(r.queue)) return ['queue', 'must be a non-empty string'];
  if (!finite(r.priority)) return ['priority', 'must be a finite number'];
  if (!finite(r.runAt)) return ['runAt', 'must be a finite number'];
  if (!finite(r.createdAt)) return ['createdAt', 'must be a finite number'];
  if (!Number.isInteger(r.maxAttempts) || r.maxAttempts < 1)
    return ['maxAttempts', 'must be an integer >= 1'];
  if (!nullableString(r.tenantId)) return ['tenantId', 'must be a string or null'];
  if (!nullableString(r.idempotencyKey)) return ['idempotencyKey', 'must be a string or null'];
  return undefined;
}
