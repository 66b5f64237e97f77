/*
 * complete: finish a batch of leased jobs in ONE statement.
 *
 * Parameters: $1 ids (text[]), $2 lease tokens (text[]), $3 results (jsonb[] as JSON text),
 *             $4 now per job (bigint[]). Arrays are parallel: entry i is one `complete()` call.
 *
 * Fencing is per row, exactly as for a single completion: a row changes only while it is
 * `running` under the token that call presents. RETURNING names the (id, token) pairs that
 * won, so each caller learns whether ITS completion landed, even when two calls for the same
 * job (an old and a new lease) share a batch. For the (rare) completions refused, a second read
 * tells a cancel under that token from a lost lease, so the worker reports the right one.
 */
import { asyncCommitFrom, isRunning, type SqlContext } from './context.js';

/** One pending `complete()` call. */
export interface CompletionInput {
  id: string;
  leaseToken: string;
  result: unknown;
  now: number;
}

/** The batch UPDATE (exported for the plan test). */
export function completeSql(ctx: SqlContext): string {
  const s = ctx.s;
  return `UPDATE ${s}.jobs j SET
      status = 'completed', result = i.result, completed_at = i.now, updated_at = i.now,
      lease_owner = NULL, lease_expires_at = NULL, prefetched = false, pause_requested = false
    FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::bigint[]) AS i(id, token, result, now)${asyncCommitFrom(ctx)}
    WHERE j.id = i.id AND j.lease_token = i.token AND ${isRunning('j')}
    RETURNING j.id, j.lease_token`;
}

/** What a batch did, as `id\u0000token` keys: completions applied, and refused ones that were cancelled. */
export interface CompletionOutcome {
  applied: Set<string>;
  cancelled: Set<string>;
}

/** Completes the batch and says, per call, what happened. */
export async function completeJobs(ctx: SqlContext, batch: CompletionInput[]): Promise<CompletionOutcome> {
  // Same lock order in every batch (by id) so two overlapping batches cannot deadlock.
  const sorted = [...batch].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const { rows } = await ctx.db.query({
    name: `redrive-complete-${ctx.s}-${+ctx.asyncCommit}`,
    text: completeSql(ctx),
    values: [
      sorted.map((c) => c.id),
      sorted.map((c) => c.leaseToken),
      sorted.map((c) => (c.result === undefined ? null : JSON.stringify(c.result))),
      sorted.map((c) => c.now),
    ],
  });
  const applied = new Set(rows.map((r) => `${r.id}\u0000${r.lease_token}`));
  const cancelled = new Set<string>();
  const refused = batch.filter((c) => !applied.has(`${c.id}\u0000${c.leaseToken}`));
  if (refused.length > 0) {
    const { rows: gone } = await ctx.db.query(
      `SELECT id, lease_token FROM ${ctx.s}.jobs WHERE id = ANY($1::text[]) AND status = 'cancelled'`,
      [refused.map((c) => c.id)],
    );
    for (const r of gone) cancelled.add(`${r.id}\u0000${r.lease_token}`);
  }
  return { applied, cancelled };
}
