/*
 * recoverExpiredLeases: take over jobs whose lease expired (their worker died or stalled) in ONE
 * statement, and hand them to core: each is leased to the recovering worker under a fresh token
 * (attempt unchanged), so the crashed worker is fenced out, and core records the lost attempt
 * through `fail` with its own decision (retry, dead letter, pause). No status decision, no
 * history row here. Each job carries the stored facts core's crash refund reads: whether a
 * heartbeat reported its run started (`prefetched` cleared) and its `crash_refunds` so far; what
 * they mean (refund or charge) is core's decision (recover-leases.ts), never this statement's.
 *
 * Parameters: $1 now, $2 limit, $3 recovering worker id, $4 lease ms.
 *
 * SKIP LOCKED makes concurrent sweepers split the expired rows instead of queueing behind each
 * other, and a row a worker is completing right now is skipped (its fenced write wins).
 */
import type { RecoveredJob, RecoverRequest } from '@redrive/core';
import { jobColumns, rowToClaimedJob } from '../row.js';
import type { SqlContext } from './context.js';

function recoverSql(s: string): string {
  return `WITH expired AS (
    SELECT id, lease_expires_at FROM ${s}.jobs
    WHERE status = 'running' AND lease_expires_at <= $1
    ORDER BY lease_expires_at LIMIT $2
    FOR UPDATE SKIP LOCKED
  ), upd AS (
    UPDATE ${s}.jobs j SET
      lease_owner = $3::text, lease_expires_at = $1 + $4::bigint, lease_token = gen_random_uuid()::text,
      updated_at = $1
    FROM expired e WHERE j.id = e.id
    RETURNING ${jobColumns('j')}, j.prefetched, j.crash_refunds, e.lease_expires_at AS expired_at
  )
  SELECT * FROM upd ORDER BY expired_at, id`;
}

/** Takes over up to `limit` expired leases; returns them, oldest expiry first. */
export async function recoverExpiredLeases(ctx: SqlContext, r: RecoverRequest): Promise<RecoveredJob[]> {
  const { rows } = await ctx.db.query(recoverSql(ctx.s), [r.now, r.limit, r.workerId, r.leaseMs]);
  return rows.map((row) => ({
    ...rowToClaimedJob(row),
    startReported: row.prefetched === false,
    crashRefunds: row.crash_refunds,
  }));
}
