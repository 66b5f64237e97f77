/*
 * complete: finish a batch of leased jobs in ONE statement.
 *
 * Parameters: $1 ids (text[]), $2 lease tokens (text[]), $3 results (one JSON array, entry i is
 *             call i's result; a JSON null is stored as SQL NULL), $4 now per call (bigint[]).
 *             Entry i of each is one `complete()` call.
 *
 * Fencing is per row, exactly as for a single completion: a row changes only while it is
 * `running` under the token that call presents. The statement answers with the positions of the
 * calls it did NOT apply (NULL when it applied them all, the common case), so each caller learns
 * whether ITS completion landed, even when two calls for the same job (an old and a new lease)
 * share a batch, and a batch that all landed sends back one row with one NULL instead of a row per
 * job. For the (rare) completions refused, a second read tells a cancel under that token from a
 * lost lease, so the worker reports the right one.
 */
import type { CompleteResult } from '@redrive/core';
import { arrayLiteral } from './array-literal.js';
import { asyncCommitFrom, isRunning, type SqlContext } from './context.js';

/** One pending `complete()` call. */
export interface CompletionInput {
  id: string;
  leaseToken: string;
  result: unknown;
  now: number;
}

const COMPLETED: CompleteResult = Object.freeze({ ok: true, status: 'completed' });

/** The batch UPDATE (exported for the plan test). */
export function completeSql(ctx: SqlContext): string {
  const s = ctx.s;
  // The results are read by position from one JSON array rather than zipped in with
  // jsonb_array_elements: that function's row estimate (100) would turn the generic plan of this
  // prepared statement into a sequential scan of `jobs`, where unnest's keeps a primary-key probe.
  return `WITH done AS (
      UPDATE ${s}.jobs j SET
        status = 'completed', result = NULLIF($3::jsonb -> (i.ord - 1)::int, 'null'::jsonb),
        completed_at = i.now, updated_at = i.now,
        lease_owner = NULL, lease_expires_at = NULL, prefetched = false, pause_requested = false
      FROM unnest($1::text[], $2::text[], $4::bigint[]) WITH ORDINALITY AS i(id, token, now, ord)${asyncCommitFrom(ctx)}
      WHERE j.id = i.id AND j.lease_token = i.token AND ${isRunning('j')}
      RETURNING i.ord
    )
    SELECT string_agg(g::text, ',') AS refused FROM generate_series(1, cardinality($1::text[])) AS g
    WHERE NOT EXISTS (SELECT 1 FROM done WHERE done.ord = g)`;
}

/**
 * Completes the batch; returns what happened to each call, in `batch` order: applied, or refused
 * (cancelled under that token, or the lease is lost).
 */
export async function completeJobs(ctx: SqlContext, batch: CompletionInput[]): Promise<CompleteResult[]> {
  // Same lock order in every batch (by id) so two overlapping batches cannot deadlock.
  const sorted =
    batch.length > 1 ? [...batch].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) : batch;
  const n = sorted.length;
  const ids: string[] = new Array(n);
  const tokens: string[] = new Array(n);
  const results: unknown[] = new Array(n);
  const nows: number[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const c = sorted[k]!;
    ids[k] = c.id;
    tokens[k] = c.leaseToken;
    results[k] = c.result === undefined ? null : c.result;
    nows[k] = c.now;
  }
  const { rows } = await ctx.db.query({
    name: `redrive-complete-${ctx.s}-${+ctx.asyncCommit}`,
    text: completeSql(ctx),
    values: [arrayLiteral(ids), arrayLiteral(tokens), JSON.stringify(results), `{${nows.join(',')}}`],
  });
  const answers: CompleteResult[] = new Array(batch.length).fill(COMPLETED);
  const refusedText = rows[0]?.refused as string | null | undefined;
  if (!refusedText) return answers;
  // Positions are 1-based in `sorted`; answer in `batch` order.
  const refused = refusedText.split(',').map((ord) => sorted[Number(ord) - 1]!);
  const { rows: gone } = await ctx.db.query(
    `SELECT id, lease_token FROM ${ctx.s}.jobs WHERE id = ANY($1::text[]) AND status = 'cancelled'`,
    [refused.map((c) => c.id)],
  );
  const cancelled = new Set(gone.map((r) => `${r.id}\u0000${r.lease_token}`));
  const refusedSet = new Set(refused);
  for (let k = 0; k < batch.length; k++) {
    const c = batch[k]!;
    if (refusedSet.has(c))
      answers[k] = { ok: false, cancelled: cancelled.has(`${c.id}\u0000${c.leaseToken}`) };
  }
  return answers;
}
