/*
 * progress / checkpoint: store one JSON column of a leased job, fenced, and report any control
 * request (cancel, pause) for the running handler, in ONE batch.
 *
 * Values of the UPDATE: ?1 id, ?2 lease token, ?3 now, ?4 the value as JSON text. The SELECT
 * after it reads the row as the batch left it, so a refused write still tells a cancelled job
 * (same token, status `cancelled`) from a lost lease.
 */
import type { FencedWriteResult } from '@redrive/core';
import { JOBS } from '../row.js';
import type { SqlContext } from './context.js';

const updateSql = (column: 'progress' | 'checkpoint') =>
  `UPDATE ${JOBS} SET ${column} = ?4, updated_at = ?3
   WHERE id = ?1 AND status = 'running' AND lease_token = ?2 RETURNING pause_requested`;

const CURRENT_SQL = `SELECT status, lease_token FROM ${JOBS} WHERE id = ?1`;

/** Writes `column` when the lease holds. */
export async function fencedWrite(
  ctx: SqlContext,
  column: 'progress' | 'checkpoint',
  id: string,
  leaseToken: string,
  now: number,
  json: string,
): Promise<FencedWriteResult> {
  const [updated, current] = await ctx.db.batch([
    ctx.db.prepare(updateSql(column)).bind(id, leaseToken, now, json),
    ctx.db.prepare(CURRENT_SQL).bind(id),
  ]);
  const row = updated?.results[0];
  const result: FencedWriteResult = { ok: row !== undefined };
  const cur = current?.results[0];
  if (!row && cur?.status === 'cancelled' && cur.lease_token === leaseToken) result.cancelled = true;
  if (row && (row.pause_requested === 1 || row.pause_requested === true)) result.pauseRequested = true;
  return result;
}
