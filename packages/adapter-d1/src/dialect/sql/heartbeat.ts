/*
 * heartbeat: extend every lease the worker still holds, record the worker as alive, and say
 * which leases were lost, cancelled or asked to pause: ONE batch, whatever the number of leases.
 *
 * Values: ?1 a JSON array of [id, token, started (0/1)] triples, ?2 now, ?3 now + lease ms; for
 * the worker row ?1 worker id, ?2 now, ?3 the number of leases (its active jobs as it reports them).
 *
 * A lease reported started loses its `prefetched` mark (set by the claim) for good; one reported
 * not started (waiting in the runner's claim-ahead buffer) keeps it. Recovery hands the mark to
 * core, which decides whether the expired lease costs an attempt (core's crash refund).
 */
import type { HeartbeatRequest, HeartbeatResult } from '@redrive/core';
import { JOBS, WORKERS } from '../row.js';
import type { SqlContext } from './context.js';

const LEASES = `SELECT value ->> '$[0]' AS id, value ->> '$[1]' AS token, value ->> '$[2]' AS started
  FROM json_each(?1)`;

const EXTEND_SQL = `UPDATE ${JOBS} AS j SET lease_expires_at = ?3, updated_at = ?2,
    prefetched = CASE WHEN l.started = 1 THEN 0 ELSE j.prefetched END
  FROM (${LEASES}) AS l
  WHERE j.id = l.id AND j.lease_token = l.token AND j.status = 'running'
  RETURNING id, pause_requested`;

const SEEN_SQL = `INSERT INTO ${WORKERS} (worker_id, last_seen_at, active_jobs) VALUES (?1, ?2, ?3)
  ON CONFLICT (worker_id) DO UPDATE SET last_seen_at = excluded.last_seen_at, active_jobs = excluded.active_jobs`;

/** The leases that were not extended: their job's status and current token. */
const STATE_SQL = `SELECT l.id, l.token, j.status, j.lease_token FROM (${LEASES}) AS l
  LEFT JOIN ${JOBS} AS j ON j.id = l.id`;

/** Extends the leases; reports those lost, cancelled or asked to pause. */
export async function heartbeat(ctx: SqlContext, r: HeartbeatRequest): Promise<HeartbeatResult> {
  const leases = JSON.stringify(r.leases.map((l) => [l.id, l.leaseToken, l.started === false ? 0 : 1]));
  const seen = ctx.db.prepare(SEEN_SQL).bind(r.workerId, r.now, r.leases.length);
  const result: HeartbeatResult = { lost: [], cancelled: [], pauseRequested: [] };
  if (r.leases.length === 0) {
    await seen.run();
    return result;
  }
  const [extended, , state] = await ctx.db.batch([
    ctx.db.prepare(EXTEND_SQL).bind(leases, r.now, r.now + r.leaseMs),
    seen,
    ctx.db.prepare(STATE_SQL).bind(leases),
  ]);
  const held = new Map<string, boolean>();
  for (const row of extended!.results) held.set(row.id as string, row.pause_requested === 1);
  for (const row of state!.results) {
    const id = row.id as string;
    const pause = held.get(id);
    if (pause === true) result.pauseRequested.push(id);
    else if (pause === undefined) {
      if (row.status === 'cancelled' && row.lease_token === row.token) result.cancelled.push(id);
      else result.lost.push(id);
    }
  }
  return result;
}
