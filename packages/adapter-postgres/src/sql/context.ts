import type { PgQueryable } from '../pg-types.js';

/** What every SQL module needs: something to run queries on, and the quoted schema name. */
export interface SqlContext {
  db: PgQueryable;
  /** Quoted schema, e.g. `"redrive"`. */
  s: string;
  /** Channel NOTIFY wake-ups go to, e.g. `redrive:redrive` (see listener.ts). */
  channel: string;
  /** Commit claims, heartbeats and completions without waiting for the WAL flush (see asyncCommitFrom). */
  asyncCommit: boolean;
}

/**
 * A one-row FROM item that turns `synchronous_commit` off for the current transaction only, i.e.
 * for the single statement it is part of. Used for claims, heartbeats and completions: if the
 * database server itself crashes, the last few hundred ms of those may be lost, and the jobs
 * concerned simply run again (their lease expires) — at-least-once, as with a worker crash.
 * Enqueues, failures, releases and transitions always wait for the flush.
 */
export function asyncCommitFrom(ctx: SqlContext): string {
  return ctx.asyncCommit ? `, (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit` : '';
}

/**
 * `<alias>.status = 'running'` for a statement that joins a batch of ids to `jobs`, written so
 * the planner cannot use jobs_lease_idx for it. With the plain comparison the partial index
 * `WHERE status = 'running'` matches, and the generic plan of a prepared batch statement may walk
 * EVERY running job through it and hash-join them with the batch: with claim-ahead buffers that
 * is hundreds of rows per batch (measured: a 20-job completion with 450 jobs running, 1.1 ms).
 * This spelling leaves one primary-key probe per batch entry (0.35 ms).
 */
export function isRunning(alias: string): string {
  return `(${alias}.status || '') = 'running'`;
}
