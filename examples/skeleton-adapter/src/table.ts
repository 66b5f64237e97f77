import type { Job, JobStatus, RetryHistoryEntry } from '@redrive/core';
import { ValidationError } from '@redrive/core';

/**
 * One stored job: the `Job` itself plus what the contract keeps out of it, the current lease
 * token and the retry history. A real store would keep these as columns / a second table /
 * fields of one document.
 */
export interface Row {
  job: Job;
  /** The token of the claim that holds (or last held) the job; null when none does. */
  leaseToken: string | null;
  /** Oldest first. */
  history: RetryHistoryEntry[];
}

/**
 * The whole "database": job id → the row encoded as JSON, as a key-value store would keep it.
 * Encoding on every write and decoding on every read gives the contract's copy semantics for
 * free: callers never share an object with the store, and a `Date` in a payload comes back as its
 * ISO string, as it would from a `jsonb` column.
 */
export type Table = Map<string, string>;

/** The row of `id`, or undefined. */
export function readRow(table: Table, id: string): Row | undefined {
  const text = table.get(id);
  return text === undefined ? undefined : (JSON.parse(text) as Row);
}

/** Store the row (insert or replace). */
export function writeRow(table: Table, row: Row): void {
  table.set(row.job.id, JSON.stringify(row));
}

/** Every row, in insertion order. A linear scan: fine for a skeleton, an index in a real store. */
export function allRows(table: Table): Row[] {
  return [...table.values()].map((text) => JSON.parse(text) as Row);
}

/** Queued, running and paused jobs hold their idempotency key; finished ones free it. */
export function isLive(status: JobStatus): boolean {
  return status === 'queued' || status === 'running' || status === 'paused';
}

/** Newest first by `at`, then by id (descending) so equal times still have one order. */
export function newestFirst(at: (job: Job) => number): (a: Row, b: Row) => number {
  return (a, b) => at(b.job) - at(a.job) || (a.job.id < b.job.id ? 1 : a.job.id > b.job.id ? -1 : 0);
}

/** Bad arguments are refused with a `ValidationError` naming the field, before anything changes. */
export function requireCount(method: string, field: string, value: unknown, min: number): void {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min) return;
  const message = `must be an integer >= ${min}`;
  throw new ValidationError(`[redrive] [skeleton] ${method}: ${field} ${message}`, {
    issues: [{ path: field, message }],
  });
}
