/*
 * complete: finish a batch of leased jobs in ONE statement.
 *
 * Parameters: $1 ids (text[]), $2 lease tokens (text[]), $3 results (jsonb[] as JSON text),
 *             $4 now per job (bigint[]). Arrays are parallel: entry i is one `complete()` call.
 *
 * Fencing is per row, exactly as for a single completion: a row changes only while it is
 * `running` under the token that call presents. RETURNING names the (id, token) pairs that
 * won, so each caller learns whether ITS completion landed, even when two calls for the same
 * job (an old and a new lease) share a batch.
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

/** Completes the batch; returns `id\u0000token` keys of the completions that were applied. */
export async function completeJobs(ctx: SqlContext, batch: CompletionInput[]): Promise<Set<string>> {
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
  return new Set(rows.map((r) => `${r.id}\u0000${r.lease_token}`));
}
