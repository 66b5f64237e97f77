/*
 * progress / checkpoint: store one jsonb column of a leased job, fenced, and report any control
 * request (cancel, pause) for the running handler in the same round trip.
 *
 * Parameters: $1 id, $2 lease token, $3 now, $4 the value (jsonb as JSON text).
 *
 * `cur` reads the row as it was before the update (one snapshot for the whole statement), so a
 * refused write still tells a cancelled job (same token, status `cancelled`) from a lost lease.
 */
import type { FencedWriteResult } from '@redrive/core';
import type { SqlContext } from './context.js';

function fencedWriteSql(s: string, column: 'progress' | 'checkpoint'): string {
  return `WITH cur AS (
    SELECT status, lease_token FROM ${s}.jobs WHERE id = $1
  ), upd AS (
    UPDATE ${s}.jobs SET ${column} = $4::jsonb, updated_at = $3
    WHERE id = $1 AND status = 'running' AND lease_token = $2
    RETURNING pause_requested
  )
  SELECT (SELECT pause_requested FROM upd) AS pause_requested,
         EXISTS (SELECT 1 FROM upd) AS ok,
         (SELECT status = 'cancelled' AND lease_token = $2 FROM cur) AS cancelled`;
}

/** Writes `column` when the lease holds. */
export async function fencedWrite(
  ctx: SqlContext,
  column: 'progress' | 'checkpoint',
  id: string,
  leaseToken: string,
  now: number,
  value: unknown,
): Promise<FencedWriteResult> {
  const { rows } = await ctx.db.query(fencedWriteSql(ctx.s, column), [
    id,
    leaseToken,
    now,
    JSON.stringify(value),
  ]);
  const row = rows[0] ?? {};
  const result: FencedWriteResult = { ok: row.ok === true };
  if (row.cancelled === true) result.cancelled = true;
  if (row.pause_requested === true) result.pauseRequested = true;
  return result;
}
