/*
 * Jobs in creation order, (created_at, id), without an index over every job.
 *
 * No index holds every job (a claim and a completion would each write to it, see migration
 * 0006). Each state is read from the index its rows are written to anyway: queued from
 * jobs_queued_idx, paused / completed / failed / cancelled from one range each of
 * jobs_settled_idx, running from jobs_lease_idx (all running jobs, sorted: at most the workers'
 * capacity). A statement takes one ordered, limited branch per state and merges them, so it reads
 * about `limit` rows per state (plus every running job when running is among the states).
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

/** What one per-state statement reads. `where` may use placeholders: every branch shares them. */
export interface PerStateQuery {
  schema: string;
  states: readonly JobStatus[];
  /** Selected columns; must include `created_at` and `id`. */
  columns: string;
  where: string;
  /** `newest`: (created_at, id) descending, as listings page; `oldest`: ascending. */
  order: 'newest' | 'oldest';
  /** A placeholder or literal. */
  limit: string;
}

function orderBy(q: PerStateQuery): string {
  return q.order === 'newest' ? 'ORDER BY created_at DESC, id DESC' : 'ORDER BY created_at, id';
}

function branch(q: PerStateQuery, state: JobStatus, lock: string): string {
  // `state` is one of STATES, never caller text.
  return `SELECT ${q.columns} FROM ${q.schema}.jobs WHERE status = '${state}' AND ${q.where} ${orderBy(q)} LIMIT ${q.limit}${lock}`;
}

/** `SELECT <columns> … <order> LIMIT <limit>` over the states, read without locking. */
export function perStateSql(q: PerStateQuery): string {
  const branches = q.states.map((state) => `(${branch(q, state, '')})`);
  return `SELECT * FROM (${branches.join(' UNION ALL ')}) AS per_state ${orderBy(q)} LIMIT ${q.limit}`;
}

/**
 * The same, for a statement that changes the rows. A locking clause cannot sit under UNION, so:
 * first the merged first `limit` are read without locking (`candidate`), which tells how many of
 * them each state has; then one CTE per state locks that many of its rows with SKIP LOCKED, in
 * the same order (rows other transactions hold are skipped and replaced by the state's next ones);
 * `select` gives the ids of the merged first `limit` of those. A statement therefore locks at most
 * `limit` rows, so a concurrent caller with the same filter takes the next ones instead of
 * finding them held.
 */
export function lockedPerStateSql(q: PerStateQuery): { ctes: string; select: string } {
  const candidate = `candidate AS (${perStateSql({ ...q, columns: 'id, created_at, status' })})`;
  const locked = q.states.map((state, i) => {
    const share = `(SELECT count(*) FROM candidate WHERE status = '${state}')`;
    return `locked_${i} AS (${branch({ ...q, limit: share }, state, ' FOR UPDATE SKIP LOCKED')})`;
  });
  const union = q.states.map((_, i) => `SELECT id, created_at FROM locked_${i}`).join(' UNION ALL ');
  return {
    ctes: [candidate, ...locked].join(', '),
    select: `SELECT id FROM (${union}) AS per_state ${orderBy(q)} LIMIT ${q.limit}`,
  };
}
