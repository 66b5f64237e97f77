/*
 * transition / transitionMany: a guarded status change (pause, resume, cancel, retry, redrive).
 *
 * Values: the target status, now, one value per patched field, then the `from` statuses (JSON)
 * and the job id (transition) or the filter's values and the limit (transitionMany).
 *
 * Leaving `running` clears the lease owner and expiry but keeps the token, so the worker's next
 * heartbeat or fenced write learns the job was cancelled rather than lost.
 */
import type { Job, JobFilter, JobPatch, TransitionRequest, TransitionResult } from '@redrive/core';
import { JOBS, jsonOrNull, rowToJob } from '../row.js';
import type { SqlContext } from './context.js';
import { filterConditions } from './filter.js';

/** Each patchable field: its column, and how its value is stored. */
const PATCH_COLUMNS: Record<keyof JobPatch, { column: string; kind?: 'json' | 'bool' }> = {
  attempt: { column: 'attempt' },
  runAt: { column: 'run_at' },
  error: { column: 'error' },
  errorStack: { column: 'error_stack' },
  errorCategory: { column: 'error_category' },
  lastErrorAt: { column: 'last_error_at' },
  failedAt: { column: 'failed_at' },
  completedAt: { column: 'completed_at' },
  startedAt: { column: 'started_at' },
  progress: { column: 'progress', kind: 'json' },
  checkpoint: { column: 'checkpoint', kind: 'json' },
  pausedAt: { column: 'paused_at' },
  resumedAt: { column: 'resumed_at' },
  pauseReason: { column: 'pause_reason' },
  pauseRequested: { column: 'pause_requested', kind: 'bool' },
  requiresUserAction: { column: 'requires_user_action', kind: 'bool' },
  suggestedAction: { column: 'suggested_action' },
  result: { column: 'result', kind: 'json' },
  maxAttempts: { column: 'max_attempts' },
};

/** The SET list of a transition, pushing its values onto `params`. */
function setList(r: TransitionRequest, params: unknown[]): string {
  params.push(r.to, r.now);
  const leaving = `status = 'running' AND ?1 <> 'running'`;
  const sets = [
    'status = ?1',
    'updated_at = ?2',
    `lease_owner = CASE WHEN ${leaving} THEN NULL ELSE lease_owner END`,
    `lease_expires_at = CASE WHEN ${leaving} THEN NULL ELSE lease_expires_at END`,
  ];
  for (const [key, value] of Object.entries(r.patch ?? {})) {
    const spec = PATCH_COLUMNS[key as keyof JobPatch];
    if (!spec || value === undefined) continue;
    params.push(spec.kind === 'json' ? jsonOrNull(value) : spec.kind === 'bool' ? (value ? 1 : 0) : value);
    sets.push(`${spec.column} = ?${params.length}`);
  }
  for (const counter of r.increment ?? []) {
    const column = counter === 'resumeCount' ? 'resume_count' : 'redrive_count';
    sets.push(`${column} = ${column} + 1`);
  }
  return sets.join(', ');
}

/** Applies the transition to one job, or says why it did not: ONE batch (update, then read). */
export async function transitionJob(
  ctx: SqlContext,
  id: string,
  r: TransitionRequest,
): Promise<TransitionResult> {
  const params: unknown[] = [];
  const sets = setList(r, params);
  params.push(JSON.stringify(r.from), id);
  const n = params.length;
  const [updated, current] = await ctx.db.batch([
    ctx.db
      .prepare(
        `UPDATE ${JOBS} SET ${sets} WHERE id = ?${n} AND status IN (SELECT value FROM json_each(?${n - 1})) RETURNING *`,
      )
      .bind(...(params as (string | number | null)[])),
    ctx.db.prepare(`SELECT status FROM ${JOBS} WHERE id = ?1`).bind(id),
  ]);
  const row = updated?.results[0];
  if (row) return { ok: true, job: rowToJob(row) };
  const status = current?.results[0]?.status as Job['status'] | undefined;
  if (status === undefined) return { ok: false, reason: 'not_found' };
  return { ok: false, reason: 'invalid_state', status };
}

/**
 * Applies the transition to up to `limit` jobs matching the filter whose status is in `from`,
 * newest first (createdAt desc, id desc, as listJobs), in ONE statement; returns them in that order.
 */
export async function transitionMany(
  ctx: SqlContext,
  filter: JobFilter,
  r: TransitionRequest & { limit: number },
): Promise<Job[]> {
  const params: unknown[] = [];
  const sets = setList(r, params);
  // The filter's anonymous `?` take the numbers after the SET list's (SQLite numbers an
  // anonymous parameter one past the largest so far).
  const where = filterConditions(filter, params);
  params.push(JSON.stringify(r.from), r.limit);
  const { results } = await ctx.db
    .prepare(
      `UPDATE ${JOBS} SET ${sets} WHERE id IN (
         SELECT id FROM ${JOBS} WHERE ${where} AND status IN (SELECT value FROM json_each(?))
         ORDER BY created_at DESC, id DESC LIMIT ?)
       RETURNING *`,
    )
    .bind(...(params as (string | number | null)[]))
    .all();
  return results
    .map(rowToJob)
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}
