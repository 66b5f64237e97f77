/*
 * transition / transitionMany: a guarded status change (pause, resume, cancel, retry, redrive).
 *
 * Parameters: $1 id (transition) or the filter's values (transitionMany), then the target
 * status, the `from` statuses (text[]), now, and one value per patched field, numbered in order.
 *
 * Leaving `running` clears the lease owner and expiry but keeps the token, so the worker's next
 * heartbeat or fenced write learns the job was cancelled rather than lost. The adapter sends a
 * wake-up after a move to `queued` (see notifier.ts).
 */
import type { Job, JobFilter, JobPatch, TransitionRequest, TransitionResult } from '@redrive/core';
import { jobColumns, json, rowToJob } from '../row.js';
import type { SqlContext } from './context.js';
import { filterConditions } from './filter.js';
import { lockedPerStateSql, statesOf } from './per-state.js';

const PATCH_COLUMNS: Record<keyof JobPatch, { column: string; jsonb?: boolean }> = {
  attempt: { column: 'attempt' },
  runAt: { column: 'run_at' },
  error: { column: 'error' },
  errorStack: { column: 'error_stack' },
  errorCategory: { column: 'error_category' },
  lastErrorAt: { column: 'last_error_at' },
  failedAt: { column: 'failed_at' },
  completedAt: { column: 'completed_at' },
  startedAt: { column: 'started_at' },
  progress: { column: 'progress', jsonb: true },
  checkpoint: { column: 'checkpoint', jsonb: true },
  pausedAt: { column: 'paused_at' },
  resumedAt: { column: 'resumed_at' },
  pauseReason: { column: 'pause_reason' },
  pauseRequested: { column: 'pause_requested' },
  requiresUserAction: { column: 'requires_user_action' },
  suggestedAction: { column: 'suggested_action' },
  result: { column: 'result', jsonb: true },
  maxAttempts: { column: 'max_attempts' },
};

/** The SET list of a transition, pushing its values onto `params`. */
function setList(r: TransitionRequest, params: unknown[]): string {
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const to = add(r.to);
  const now = add(r.now);
  const sets = [
    `status = ${to}::text`,
    `updated_at = ${now}::bigint`,
    `lease_owner = CASE WHEN status = 'running' AND ${to}::text <> 'running' THEN NULL ELSE lease_owner END`,
    `lease_expires_at = CASE WHEN status = 'running' AND ${to}::text <> 'running' THEN NULL ELSE lease_expires_at END`,
  ];
  for (const [key, value] of Object.entries(r.patch ?? {})) {
    const spec = PATCH_COLUMNS[key as keyof JobPatch];
    if (!spec || value === undefined) continue;
    sets.push(spec.jsonb ? `${spec.column} = ${add(json(value))}::jsonb` : `${spec.column} = ${add(value)}`);
  }
  for (const counter of r.increment ?? []) {
    const column = counter === 'resumeCount' ? 'resume_count' : 'redrive_count';
    sets.push(`${column} = ${column} + 1`);
  }
  return sets.join(', ');
}

/** Applies the transition to one job, or says why it did not. */
export async function transitionJob(
  ctx: SqlContext,
  id: string,
  r: TransitionRequest,
): Promise<TransitionResult> {
  const params: unknown[] = [id];
  const sets = setList(r, params);
  params.push(r.from);
  const n = params.length;
  const { rows } = await ctx.db.query(
    `WITH cur AS (SELECT status AS current_status FROM ${ctx.s}.jobs WHERE id = $1),
     upd AS (
       UPDATE ${ctx.s}.jobs SET ${sets} WHERE id = $1 AND status = ANY($${n}::text[])
       RETURNING ${jobColumns()}
     )
     SELECT cur.current_status, upd.* FROM cur LEFT JOIN upd ON true`,
    params,
  );
  const row = rows[0];
  if (!row) return { ok: false, reason: 'not_found' };
  if (row.id === null) return { ok: false, reason: 'invalid_state', status: row.current_status };
  return { ok: true, job: rowToJob(row) };
}

/**
 * Applies the transition to up to `limit` jobs matching the filter (newest first); returns them.
 * Each from-state's jobs are taken newest first from that state's own index and locked with SKIP
 * LOCKED (see per-state.ts), so jobs another transaction holds are skipped, not counted.
 */
export async function transitionMany(
  ctx: SqlContext,
  filter: JobFilter,
  r: TransitionRequest & { limit: number },
): Promise<Job[]> {
  const params: unknown[] = [];
  const where = filterConditions(filter, params);
  params.push(r.from, r.limit);
  const from = `$${params.length - 1}`;
  const limit = `$${params.length}`;
  const sets = setList(r, params);
  const locked = lockedPerStateSql({
    schema: ctx.s,
    states: statesOf(r.from),
    columns: 'id, created_at',
    where: `${where} AND status = ANY(${from}::text[])`,
    order: 'newest',
    limit,
  });
  const { rows } = await ctx.db.query(
    `WITH ${locked.ctes},
     pick AS (${locked.select}),
     upd AS (
       UPDATE ${ctx.s}.jobs j SET ${sets} FROM pick WHERE j.id = pick.id RETURNING ${jobColumns('j')}
     )
     SELECT upd.* FROM upd ORDER BY created_at DESC, id DESC`,
    params,
  );
  return rows.map(rowToJob);
}
