/*
 * heartbeat: extend every lease the worker still holds and record the worker as alive, in ONE
 * statement, and say which leases were lost, cancelled or asked to pause.
 *
 * Parameters: $1 ids (text[]), $2 lease tokens (text[]), $3 now, $4 lease ms, $5 worker id,
 *             $6 started (bool[]): false for a job still in the adapter's claim-ahead buffer.
 *
 * A started lease is one the runner runs, so the heartbeat also clears `prefetched` (see
 * recover.ts): from now on a crash costs the job this attempt. Buffered leases are extended too
 * (the runner does not know them, and they must not expire while they wait: another worker would
 * then run the job while this one still holds a copy) but stay `prefetched`, and are not counted
 * as the worker's active jobs.
 */
import type { HeartbeatRequest, HeartbeatResult } from '@redrive/core';
import { asyncCommitFrom, isRunning, type SqlContext } from './context.js';

/** The heartbeat statement (exported for the plan test). */
export function heartbeatSql(ctx: SqlContext): string {
  const s = ctx.s;
  return `WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $6::bool[]) AS t(id, token, started)
  ), cur AS (
    SELECT j.id, j.status, j.lease_token FROM ${s}.jobs j JOIN input i ON j.id = i.id
  ), upd AS (
    UPDATE ${s}.jobs j SET lease_expires_at = $3::bigint + $4::bigint, updated_at = $3::bigint,
      prefetched = j.prefetched AND NOT i.started
    FROM input i${asyncCommitFrom(ctx)} WHERE j.id = i.id AND j.lease_token = i.token AND ${isRunning('j')}
    RETURNING j.id, j.pause_requested
  ), seen AS (
    INSERT INTO ${s}.workers (worker_id, last_seen_at, active_jobs) VALUES ($5, $3, cardinality(array_positions($6::bool[], true)))
    ON CONFLICT (worker_id) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at, active_jobs = EXCLUDED.active_jobs
  )
  SELECT i.id, i.token, i.started, u.id IS NOT NULL AS held, COALESCE(u.pause_requested, false) AS pause_requested,
         (c.status = 'cancelled' AND c.lease_token = i.token) AS cancelled
  FROM input i LEFT JOIN upd u ON u.id = i.id LEFT JOIN cur c ON c.id = i.id`;
}

/** What a heartbeat learnt about the buffered (claimed-ahead) leases it was given. */
export interface BufferedLeaseOutcome {
  id: string;
  leaseToken: string;
  held: boolean;
}

/**
 * Extends the runner's leases and the buffered ones; reports the runner's leases lost, cancelled
 * or asked to pause, and for each buffered lease whether it is still held.
 */
export async function heartbeat(
  ctx: SqlContext,
  r: HeartbeatRequest,
  buffered: { id: string; leaseToken: string }[] = [],
): Promise<{ result: HeartbeatResult; buffered: BufferedLeaseOutcome[] }> {
  // Lock rows in id order, like every batch write, so overlapping batches cannot deadlock.
  const leases = [
    ...r.leases.map((l) => ({ id: l.id, leaseToken: l.leaseToken, started: true })),
    ...buffered.map((l) => ({ id: l.id, leaseToken: l.leaseToken, started: false })),
  ].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const { rows } = await ctx.db.query(heartbeatSql(ctx), [
    leases.map((l) => l.id),
    leases.map((l) => l.leaseToken),
    r.now,
    r.leaseMs,
    r.workerId,
    leases.map((l) => l.started),
  ]);
  const result: HeartbeatResult = { lost: [], cancelled: [], pauseRequested: [] };
  const outcomes: BufferedLeaseOutcome[] = [];
  for (const row of rows) {
    if (!row.started) outcomes.push({ id: row.id, leaseToken: row.token, held: row.held });
    else if (row.held) {
      if (row.pause_requested) result.pauseRequested.push(row.id);
    } else if (row.cancelled) result.cancelled.push(row.id);
    else result.lost.push(row.id);
  }
  return { result, buffered: outcomes };
}
