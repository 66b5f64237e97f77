/*
 * complete: finish every completion of one tick in ONE set-based statement.
 *
 * Value: ?1 a JSON array of [id, lease token, result as JSON text or null, now], one entry per
 * `complete()` call (D1 binds at most 100 values per statement, so a tick's completions travel
 * as one JSON text; a `batch()` of one UPDATE per job would cost a statement each).
 *
 * Fencing is per row, exactly as for a single completion: a row changes only while it is
 * `running` under the token its call presents. RETURNING names the (id, token) pairs that won, so
 * each caller learns whether ITS completion landed, even when two calls for the same job (an old
 * and a new lease) share a statement.
 */

import { JOBS } from '../row.js';
import type { SqlContext } from './context.js';

/** One pending `complete()` call, its result already JSON text. */
export interface CompletionInput {
  id: string;
  leaseToken: string;
  result: string | null;
  now: number;
}

/** The completion statement (exported for the plan test). */
export const COMPLETE_SQL = `UPDATE ${JOBS} AS j SET status = 'completed', result = c.result, completed_at = c.now,
    updated_at = c.now, lease_owner = NULL, lease_expires_at = NULL, pause_requested = 0
  FROM (SELECT value ->> '$[0]' AS id, value ->> '$[1]' AS token, value ->> '$[2]' AS result,
               value ->> '$[3]' AS now FROM json_each(?1)) AS c
  WHERE j.id = c.id AND j.lease_token = c.token AND j.status = 'running'
  RETURNING id, lease_token`;

/** `id\u0000token` key of a completion, as {@link completeJobs} reports the applied ones. */
export const completionKey = (id: string, token: string) => `${id}\u0000${token}`;

/** The refused completions whose job was cancelled under the token they present. */
const CANCELLED_SQL = `SELECT j.id, j.lease_token FROM ${JOBS} AS j
  JOIN (SELECT value ->> '$[0]' AS id, value ->> '$[1]' AS token FROM json_each(?1)) AS c
    ON j.id = c.id AND j.lease_token = c.token
  WHERE j.status = 'cancelled'`;

/**
 * Completes the batch; returns each completion's outcome by `completionKey`: `completed`, or
 * `cancelled` when refused because the job was cancelled under its token (absent: lease lost).
 * The cancel check is a second statement, made only when some completion was refused.
 */
export async function completeJobs(
  ctx: SqlContext,
  batch: CompletionInput[],
): Promise<Map<string, 'completed' | 'cancelled'>> {
  const json = JSON.stringify(batch.map((c) => [c.id, c.leaseToken, c.result, c.now]));
  const { results } = await ctx.db
    .prepare(COMPLETE_SQL)
    .bind(json)
    .all<{ id: string; lease_token: string }>();
  const out = new Map<string, 'completed' | 'cancelled'>();
  for (const r of results) out.set(completionKey(r.id, r.lease_token), 'completed');
  const refusedSet = batch.filter((c) => !out.has(completionKey(c.id, c.leaseToken)));
  if (refusedSet.length > 0) {
    const cancelled = await ctx.db
      .prepare(CANCELLED_SQL)
      .bind(JSON.stringify(refusedSet.map((c) => [c.id, c.leaseToken])))
      .all<{ id: string; lease_token: string }>();
    for (const r of cancelled.results) out.set(completionKey(r.id, r.lease_token), 'cancelled');
  }
  return out;
}
