/*
 * D1's limits (Workers Paid plan, as Cloudflare documents them), enforced before the store does, so a
 * too-large job fails with a ValidationError naming the field instead of a D1_ERROR after a round trip.
 * The same limits hold on a SQLite file: one dialect, one set of rules, and an app can move
 * between the two without finding a job that fits one and not the other.
 */
import { ValidationError } from '@redrive/core';

/** Most values one statement may bind (D1). The dialect passes lists as one JSON text instead. */
export const MAX_BOUND_PARAMETERS = 100;
/** Longest SQL text D1 takes (100 KB). Every statement of the dialect is far below it. */
export const MAX_STATEMENT_BYTES = 100_000;
/** Largest row, string or blob D1 stores (2 MB). */
export const MAX_ROW_BYTES = 2_000_000;
/**
 * The JSON of one job's payload, metadata and title together. Half a row, so that the result,
 * the checkpoint, the error and its stack written later still fit in the row.
 */
export const MAX_JOB_INPUT_BYTES = 1_000_000;
/** A result, checkpoint or progress value written later into the same row. */
export const MAX_JOB_OUTPUT_BYTES = 500_000;
/** The JSON text one enqueue or completion statement binds (under D1's 2 MB per value). */
export const MAX_BATCH_JSON_BYTES = 1_500_000;
/** D1 cancels a query or a batch that runs longer than this. */
export const D1_QUERY_TIMEOUT_MS = 30_000;
/** Queries one Worker invocation may make to D1 (Workers Paid). */
export const D1_QUERIES_PER_INVOCATION = 1_000;

const encoder = new TextEncoder();

/** Throws a ValidationError when `json` (already serialised) is longer than `max` bytes. */
export function assertJsonSize(adapter: string, path: string, json: string | null, max: number): void {
  // UTF-8 takes at most 3 bytes per UTF-16 unit: most values are checked without encoding them.
  if (json === null || json.length * 3 <= max) return;
  const bytes = encoder.encode(json).length;
  if (bytes <= max) return;
  const message = `is ${bytes} bytes of JSON, over the ${max}-byte limit (D1 stores at most ${MAX_ROW_BYTES} bytes per row)`;
  throw new ValidationError(`[redrive] [${adapter}] ${path} ${message}`, { issues: [{ path, message }] });
}
