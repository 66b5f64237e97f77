/*
 * claim: lease up to $limit due jobs in ONE statement.
 *
 * Parameters: $1 now (epoch ms), $2 limit, $3 worker id, $4 lease ms, $5 prefetched (bool),
 *             then $6 types (text[]) and/or the next one queues (text[]) when those filters are given.
 *
 * The CTE picks rows through jobs_claim_idx in claim order and locks them with SKIP LOCKED, so
 * concurrent claimers never wait on, nor return, each other's rows; the UPDATE then leases exactly
 * those rows. Every claim gets a fresh random lease token: a worker whose lease expired and whose
 * job was re-claimed presents the old token and is fenced out of every later write.
 */
import type { ClaimedJob, ClaimRequest } from '@redrive/core';
import { jobColumns, rowToClaimedJob } from '../row.js';
import type { SqlContext } from './context.js';

function claimSql(s: string, byType: boolean, byQueue: boolean): string {
  const filters: string[] = [];
  let n = 6;
  if (byType) filters.push(`AND type = ANY($${n++}::text[])`);
  if (byQueue) filters.push(`AND queue = ANY($${n++}::text[])`);
  return `WITH next AS (
    SELECT id FROM ${s}.jobs
    WHERE status = 'queued' AND run_at <= $1 ${filters.join(' ')}
    ORDER BY priority DESC, created_at, id
    LIMIT $2
    FOR UPDATE SKIP LOCKED
  )
  UPDATE ${s}.jobs j SET
    status = 'running', attempt = j.attempt + 1, started_at = $1, updated_at = $1,
    lease_owner = $3, lease_expires_at = $1 + $4, lease_token = gen_random_uuid()::text, prefetched = $5
  FROM next WHERE j.id = next.id
  RETURNING ${jobColumns('j')}`;
}

/** Claims due jobs; returned in claim order (priority desc, createdAt asc). */
export async function claimJobs(
  ctx: SqlContext,
  request: ClaimRequest,
  prefetched = false,
): Promise<ClaimedJob[]> {
  const byType = request.types !== undefined;
  const byQueue = request.queues !== undefined;
  const values: unknown[] = [request.now, request.limit, request.workerId, request.leaseMs, prefetched];
  if (byType) values.push(request.types);
  if (byQueue) values.push(request.queues);
  const text = claimSql(ctx.s, byType, byQueue);
  // A named statement is parsed and planned once per connection: claim is the hottest query.
  const { rows } = await ctx.db.query({ name: `redrive-claim-${ctx.s}-${+byType}${+byQueue}`, text, values });
  const jobs = rows.map(rowToClaimedJob);
  // UPDATE … RETURNING does not keep the CTE's order.
  jobs.sort((a, b) => b.priority - a.priority || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  return jobs;
}
