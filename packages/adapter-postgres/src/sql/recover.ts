/*
 * recoverExpiredLeases: take over jobs whose lease expired (their worker died or stalled) in ONE
 * statement, and hand them to core: each is leased to the recovering worker under a fresh token
 * (attempt unchanged), so the crashed worker is fenced out, and core records the lost attempt
 * through `fail` with its own decision (retry, dead letter, pause). No status decision, no
 * history row here.
 *
 * Parameters: $1 now, $2 limit, $3 recovering worker id, $4 lease ms.
 *
 * SKIP LOCKED makes concurrent sweepers split the expired rows instead of queueing behind each
 * other, and a row a worker is completing right now is skipped (its fenced write wins).
 *
 * Claimed ahead, never started: a row still `prefetched` (no heartbeat has listed its lease) may
 * have sat in a crashed worker's claim-ahead buffer and never reached core. It goes back to
 * `queued` with the claim's attempt refunded, as `releaseWorker` would have done, and is not
 * handed to core. A job that crashes its worker before the first heartbeat looks the same, so at
 * most MAX_CRASH_REFUNDS such refunds are given per job (`crash_refunds`): after that the row is
 * handed to core like any expired lease, and a job that kills every worker still reaches the
 * dead-letter queue instead of looping for ever.
 */
import type { ClaimedJob, RecoverRequest } from '@redrive/core';
import { jobColumns, rowToClaimedJob } from '../row.js';
import type { SqlContext } from './context.js';

/** Refunds per job for a claimed-ahead job lost in a crash before any heartbeat (see above). */
export const MAX_CRASH_REFUNDS = 2;

function recoverSql(s: string): string {
  return `WITH expired AS (
    -- Row values come from the locked (newest) row versions, not the statement snapshot.
    SELECT id, prefetched AND crash_refunds < ${MAX_CRASH_REFUNDS} AS refund, lease_expires_at FROM ${s}.jobs
    WHERE status = 'running' AND lease_expires_at <= $1
    ORDER BY lease_expires_at LIMIT $2
    FOR UPDATE SKIP LOCKED
  ), upd AS (
    UPDATE ${s}.jobs j SET
      status = CASE WHEN e.refund THEN 'queued' ELSE 'running' END,
      attempt = CASE WHEN e.refund THEN GREATEST(j.attempt - 1, 0) ELSE j.attempt END,
      crash_refunds = CASE WHEN e.refund THEN j.crash_refunds + 1 ELSE j.crash_refunds END,
      run_at = CASE WHEN e.refund THEN $1 ELSE j.run_at END,
      lease_owner = CASE WHEN e.refund THEN NULL ELSE $3::text END,
      lease_expires_at = CASE WHEN e.refund THEN NULL ELSE $1 + $4::bigint END,
      lease_token = CASE WHEN e.refund THEN j.lease_token ELSE gen_random_uuid()::text END,
      prefetched = false, updated_at = $1
    FROM expired e WHERE j.id = e.id
    RETURNING ${jobColumns('j')}, e.refund, e.lease_expires_at AS expired_at
  )
  SELECT * FROM upd ORDER BY expired_at, id`;
}

/** Takes over up to `limit` expired leases; returns those handed to core, oldest expiry first. */
export async function recoverExpiredLeases(
  ctx: SqlContext,
  r: RecoverRequest,
): Promise<{ jobs: ClaimedJob[]; refunded: number }> {
  const { rows } = await ctx.db.query(recoverSql(ctx.s), [r.now, r.limit, r.workerId, r.leaseMs]);
  const jobs: ClaimedJob[] = [];
  let refunded = 0;
  for (const row of rows) {
    if (row.refund) refunded++;
    else jobs.push(rowToClaimedJob(row));
  }
  return { jobs, refunded };
}
