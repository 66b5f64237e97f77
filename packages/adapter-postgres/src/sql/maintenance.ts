/*
 * deleteJobs, purge, getJob, listWorkers: the small statements.
 *
 * deleteJobs: $1 ids (text[]), $2 statuses (text[] or null: any). The status is checked in the
 *   DELETE itself, so a job that changed state since core chose it survives. History rows go
 *   with their job (ON DELETE CASCADE).
 * purge: $1 statuses (text[]), $2 olderThan (epoch ms), $3 batch limit, $4 tenant (when the
 *   call names one; `IS NOT DISTINCT FROM`, so null means jobs without a tenant). Deletes one
 *   bounded batch, oldest first, picked with SKIP LOCKED so it never waits on live work; call
 *   again until it returns 0. Each status is one ordered range of its index (see per-state.ts):
 *   there is no index on `updated_at`, so jobs are found by `created_at`, which a job last updated
 *   before `olderThan` normally precedes. The range reaches PURGE_CLOCK_SLACK_MS past `olderThan`
 *   for jobs whose worker's clock was behind their producer's (`created_at` > `updated_at`);
 *   `updated_at < olderThan` decides.
 * getJob: $1 id. listWorkers: $1 since (epoch ms).
 * releaseWorker: $1 worker id (forgets the worker).
 */
import type { Job, JobStatus, WorkerInfo } from '@redrive/core';
import { jobColumns, rowToJob } from '../row.js';
import type { SqlContext } from './context.js';
import { lockedPerStateSql, statesOf } from './per-state.js';

/** Deletes jobs (and history), only those in `status` when given; returns how many. */
export async function deleteJobs(
  ctx: SqlContext,
  ids: string[],
  status: readonly JobStatus[] | undefined,
): Promise<number> {
  const { rowCount } = await ctx.db.query(
    `DELETE FROM ${ctx.s}.jobs WHERE id = ANY($1::text[]) AND ($2::text[] IS NULL OR status = ANY($2::text[]))`,
    [ids, status ?? null],
  );
  return rowCount ?? 0;
}

/** How far past `olderThan` purge looks at `created_at` (clock differences between machines). */
export const PURGE_CLOCK_SLACK_MS = 60_000;

/** Deletes one batch of old jobs in `status`; returns how many. */
export async function purgeJobs(
  ctx: SqlContext,
  status: JobStatus[],
  olderThan: number,
  limit: number,
  tenantId?: string | null | undefined,
): Promise<number> {
  const byTenant = tenantId !== undefined;
  const locked = lockedPerStateSql({
    schema: ctx.s,
    states: statesOf(status),
    columns: 'id, created_at',
    where: `status = ANY($1::text[]) AND created_at < $2::bigint + ${PURGE_CLOCK_SLACK_MS} AND updated_at < $2${
      byTenant ? ' AND tenant_id IS NOT DISTINCT FROM $4::text' : ''
    }`,
    order: 'oldest',
    limit: '$3',
  });
  // FOR UPDATE re-checks the CTE's condition on the newest row version; the status test is stated
  // again where the delete happens, so the rule does not hang on that planner detail.
  const { rowCount } = await ctx.db.query(
    `WITH ${locked.ctes} DELETE FROM ${ctx.s}.jobs WHERE id IN (${locked.select}) AND status = ANY($1::text[])`,
    byTenant ? [status, olderThan, limit, tenantId] : [status, olderThan, limit],
  );
  return rowCount ?? 0;
}

/** One job, or null. */
export async function getJob(ctx: SqlContext, id: string): Promise<Job | null> {
  const { rows } = await ctx.db.query(`SELECT ${jobColumns()} FROM ${ctx.s}.jobs WHERE id = $1`, [id]);
  return rows[0] ? rowToJob(rows[0]) : null;
}

/** Workers whose last heartbeat is at or after `since`, most recent first. */
export async function listWorkers(ctx: SqlContext, since: number): Promise<WorkerInfo[]> {
  // Active jobs are counted from the store (running jobs leased to the worker, through the
  // partial jobs_lease_idx), so the number drops as jobs finish, between heartbeats too.
  const { rows } = await ctx.db.query(
    `SELECT w.worker_id, w.last_seen_at,
       (SELECT count(*)::int FROM ${ctx.s}.jobs j WHERE j.status = 'running' AND j.lease_owner = w.worker_id) AS active_jobs
     FROM ${ctx.s}.workers w WHERE w.last_seen_at >= $1
     ORDER BY w.last_seen_at DESC, w.worker_id`,
    [since],
  );
  return rows.map((r) => ({
    workerId: r.worker_id,
    lastSeenAt: Number(r.last_seen_at),
    activeJobs: r.active_jobs,
  }));
}

/** Forgets a stopped worker, so `listWorkers` no longer lists it. */
export async function forgetWorker(ctx: SqlContext, workerId: string): Promise<void> {
  await ctx.db.query(`DELETE FROM ${ctx.s}.workers WHERE worker_id = $1`, [workerId]);
}
