/*
 * Jobs newest first, (created_at, id) descending, without an index over every job.
 *
 * No index holds every job (a claim and a completion would each write to it, see migration
 * 0006). Each state is read from the index its rows are written to anyway: queued from
 * jobs_queued_idx, paused / completed / failed / cancelled from one range each of
 * jobs_settled_idx, running from jobs_lease_idx (at most the workers' capacity, sorted). The
 * result is the merge of one ordered, limited branch per state, so it costs O(limit × states).
 */
import type { JobStatus } from '@redrive/core';

/** Every state, each read from its own index. */
const STATES: readonly JobStatus[] = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled'];

/** The states to read: all, or the known ones of `status` (an unknown one matches no row). */
export function statesOf(status: string | readonly string[] | undefined): readonly JobStatus[] {
  if (status === undefined) return STATES;
  const wanted = new Set<string>(typeof status === 'string' ? [status] : status);
  const states = STATES.filter((s) => wanted.has(s));
  // No known state: one branch, which the caller's own status condition empties.
  return states.length > 0 ? states : ['queued'];
}

/**
 * `SELECT <columns> … ORDER BY created_at DESC, id DESC LIMIT <limit>` over `states`, each
 * branch with the caller's `where` (placeholders shared by every branch). `columns` must include
 * `created_at` and `id`.
 */
export function newestFirstSql(
  schema: string,
  states: readonly JobStatus[],
  columns: string,
  where: string,
  limit: string,
): string {
  const take = `ORDER BY created_at DESC, id DESC LIMIT ${limit}`;
  const branches = states.map(
    (state) => `(SELECT ${columns} FROM ${schema}.jobs WHERE status = '${state}' AND ${where} ${take})`,
  );
  return `SELECT * FROM (${branches.join(' UNION ALL ')}) AS newest ${take}`;
}
