/*
 * claim: lease up to `limit` due jobs in ONE statement.
 *
 * Values: now, worker id, now + lease ms, [types JSON], [queues JSON], now (due), limit.
 *
 * SQLite runs one writer at a time and this UPDATE is one statement, so the sub-select and the
 * update see the same rows and two claimers never take the same job (no SKIP LOCKED needed). The
 * sub-select walks redrive_jobs_claim_idx in claim order; ties (one enqueueMany shares its
 * created_at) go by run_at, then rowid (insertion order): exactly the index's key, so the walk
 * needs no sort at all. INDEXED BY pins that walk: statistics from a
 * moment when few jobs were due could otherwise pick another plan that reads and sorts every due
 * job on each claim. Every claimed row gets a fresh random lease
 * token: a worker whose lease expired and whose job was taken by another presents the old token
 * and is fenced out of every later write. `prefetched = 1`: the new lease is not reported started
 * until a heartbeat says so (see heartbeat.ts).
 *
 * RETURNING does not come back in the sub-select's order (SQLite documents the order as
 * unspecified), so the rows carry their rowid and are sorted here.
 */
import type { ClaimedJob, ClaimRequest } from '@redrive/core';
import { byClaimOrder, JOBS, rowToClaimedJob } from '../row.js';
import { inJson, NEW_LEASE_TOKEN, type SqlContext } from './context.js';

/** The claim statement for a request with or without type / queue filters (exported for plan tests). */
export function claimSql(withTypes: boolean, withQueues: boolean): string {
  return `UPDATE ${JOBS} SET status = 'running', attempt = attempt + 1, started_at = ?1, updated_at = ?1,
      lease_owner = ?2, lease_expires_at = ?3, lease_token = ${NEW_LEASE_TOKEN}, prefetched = 1
    WHERE id IN (
      SELECT id FROM ${JOBS} INDEXED BY redrive_jobs_claim_idx
      WHERE status = 'queued' AND run_at <= ?1
        ${withTypes ? `AND ${inJson('type').replace('?', '?4')}` : ''}
        ${withQueues ? `AND ${inJson('queue').replace('?', '?5')}` : ''}
      ORDER BY priority DESC, created_at, run_at, rowid
      LIMIT ?6)
    RETURNING *, rowid AS claim_pos`;
}

/** Claims due jobs; returned in claim order (priority desc, createdAt asc, runAt asc, insertion order). */
export async function claimJobs(ctx: SqlContext, r: ClaimRequest): Promise<ClaimedJob[]> {
  const types = r.types === undefined ? null : JSON.stringify(r.types);
  const queues = r.queues === undefined ? null : JSON.stringify(r.queues);
  const { results } = await ctx.db
    .prepare(claimSql(types !== null, queues !== null))
    .bind(r.now, r.workerId, r.now + r.leaseMs, types, queues, r.limit)
    .all();
  return results.sort(byClaimOrder).map(rowToClaimedJob);
}
