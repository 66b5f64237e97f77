/*
 * heartbeat: extend every lease the worker still holds and record the worker as alive, in ONE
 * statement, and say which leases were lost, cancelled or asked to pause.
 *
 * Parameters: $1 ids (text[]), $2 lease tokens (text[]), $3 now, $4 lease ms, $5 worker id,
 * $6 started (boolean[]: the worker has started the lease's run).
 *
 * A lease reported started loses its `prefetched` mark (set by the claim) for good; one reported
 * not started (waiting in the runner's claim-ahead buffer) keeps it. Recovery hands the mark to
 * core, which decides whether the expired lease costs an attempt (core's crash refund).
 *
 * Locks: the rows are locked by a `SELECT … ORDER BY id FOR UPDATE SKIP LOCKED` before the UPDATE
 * touches them, so a heartbeat takes its locks in id order and never waits for one. Sorting the
 * input arrays alone would not do it: `UPDATE … FROM unnest()` locks in whatever order its join
 * plan visits rows, and a completion batch (which is such an UPDATE) waiting on a heartbeat that
 * waits on it was a real deadlock (40P01 under load). A row another transaction holds right now
 * (its completion, a cancel) is not extended this time and reported as still held when the
 * statement's snapshot shows it under this lease: the next heartbeat, a third of a lease later,
 * tells. Claims, recovery and bulk transitions take their rows with SKIP LOCKED too.
 */
import type { HeartbeatRequest, HeartbeatResult } from '@redrive/core';
import { asyncCommitFrom, isRunning, type SqlContext } from './context.js';

/** The heartbeat statement (exported for the plan test). */
export function heartbeatSql(ctx: SqlContext): string {
  const s = ctx.s;
  return `WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $6::boolean[]) AS t(id, token, started)
  ), cur AS (
    SELECT j.id, j.status, j.lease_token FROM ${s}.jobs j JOIN input i ON j.id = i.id
  ), held AS (
    SELECT j.id, i.started FROM ${s}.jobs j JOIN input i ON j.id = i.id AND j.lease_token = i.token
    WHERE ${isRunning('j')} ORDER BY j.id FOR UPDATE OF j SKIP LOCKED
  ), upd AS (
    UPDATE ${s}.jobs j SET lease_expires_at = $3::bigint + $4::bigint, updated_at = $3::bigint,
      prefetched = j.prefetched AND NOT h.started
    FROM held h${asyncCommitFrom(ctx)} WHERE j.id = h.id
    RETURNING j.id, j.pause_requested
  ), seen AS (
    INSERT INTO ${s}.workers (worker_id, last_seen_at, active_jobs) VALUES ($5, $3, cardinality($1::text[]))
    ON CONFLICT (worker_id) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at, active_jobs = EXCLUDED.active_jobs
  )
  SELECT i.id, (u.id IS NOT NULL OR (c.status = 'running' AND c.lease_token = i.token)) AS held,
         COALESCE(u.pause_requested, false) AS pause_requested,
         (c.status = 'cancelled' AND c.lease_token = i.token) AS cancelled
  FROM input i LEFT JOIN upd u ON u.id = i.id LEFT JOIN cur c ON c.id = i.id`;
}

/** Extends the leases; reports those lost, cancelled or asked to pause. */
export async function heartbeat(ctx: SqlContext, r: HeartbeatRequest): Promise<HeartbeatResult> {
  const { rows } = await ctx.db.query(heartbeatSql(ctx), [
    r.leases.map((l) => l.id),
    r.leases.map((l) => l.leaseToken),
    r.now,
    r.leaseMs,
    r.workerId,
    r.leases.map((l) => l.started !== false),
  ]);
  const result: HeartbeatResult = { lost: [], cancelled: [], pauseRequested: [] };
  for (const row of rows) {
    if (row.held) {
      if (row.pause_requested) result.pauseRequested.push(row.id);
    } else if (row.cancelled) result.cancelled.push(row.id);
    else result.lost.push(row.id);
  }
  return result;
}
