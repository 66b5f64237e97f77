/*
 * Lease recovery's store half: take over up to `limit` jobs whose lease expired (their worker
 * died or stalled), oldest expiry first, in ONE statement: each is leased to `workerId` under a
 * fresh token, attempt unchanged, nothing else decided. The crashed worker's token is fenced out
 * of every later write; what happens to the job (retry, dead letter, pause, or its attempt given
 * back) is core's decision, stored afterwards through `fail` or `release` with the new token. Each
 * job carries the stored facts that decision reads: whether a heartbeat reported its run started
 * (`prefetched` cleared) and its `crash_refunds` so far.
 *
 * Values: ?1 now, ?2 worker id, ?3 now + lease ms, ?4 limit.
 *
 * One writer at a time (SQLite), one statement: two recoverers never take the same job, and a
 * worker completing the job concurrently either lands first (the job is no longer `running`) or
 * finds its token replaced.
 */
import type { RecoveredJob } from '@redrive/core';
import { JOBS, rowToClaimedJob } from '../row.js';
import { NEW_LEASE_TOKEN, type SqlContext } from './context.js';

/** The take-over statement (exported for the plan test). */
export const TAKE_OVER_SQL = `UPDATE ${JOBS} SET lease_owner = ?2, lease_expires_at = ?3, updated_at = ?1,
    lease_token = ${NEW_LEASE_TOKEN}
  WHERE id IN (SELECT id FROM ${JOBS} WHERE status = 'running' AND lease_expires_at <= ?1
               ORDER BY lease_expires_at LIMIT ?4)
  RETURNING *`;

/** Takes over expired leases; the jobs, oldest expiry first, with their new lease tokens. */
export async function takeOverExpired(
  ctx: SqlContext,
  r: { now: number; workerId: string; leaseMs: number; limit: number },
): Promise<{ job: RecoveredJob; expiredAt: number }[]> {
  // RETURNING shows the new expiry, not the old one that orders the jobs: the old ones are read
  // by a SELECT just before, in the same batch (nothing can write between the two).
  const [before, taken] = await ctx.db.batch([
    ctx.db
      .prepare(
        `SELECT id, lease_expires_at FROM ${JOBS} WHERE status = 'running' AND lease_expires_at <= ?1
         ORDER BY lease_expires_at LIMIT ?2`,
      )
      .bind(r.now, r.limit),
    ctx.db.prepare(TAKE_OVER_SQL).bind(r.now, r.workerId, r.now + r.leaseMs, r.limit),
  ]);
  const expiredAt = new Map(before!.results.map((row) => [row.id as string, row.lease_expires_at as number]));
  return taken!.results
    .map((row) => ({
      job: {
        ...rowToClaimedJob(row),
        startReported: row.prefetched === 0,
        crashRefunds: row.crash_refunds as number,
      },
      expiredAt: expiredAt.get(row.id as string) ?? r.now,
    }))
    .sort((a, b) => a.expiredAt - b.expiredAt || (a.job.id < b.job.id ? -1 : 1));
}
