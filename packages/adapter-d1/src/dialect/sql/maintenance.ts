/*
 * deleteJobs, purge, getJob, listWorkers, forgetWorker: the small statements.
 *
 * deleteJobs: ?1 ids (JSON), ?2 statuses (JSON, or null: any). The job rows and their history go
 *   in ONE batch (no cascade: see the migration); the status is tested by both statements, which
 *   see the same rows, so a job that changed state since core chose it survives with its history.
 * purge: ?1 statuses (JSON), ?2 olderThan, ?3 limit, ?4 1 to filter by tenant, ?5 the tenant
 *   (`IS`, so null means jobs without a tenant): one bounded set, oldest `updated_at` first through
 *   redrive_jobs_purge_idx, with its history, in ONE batch: both statements pick the same rows
 *   (nothing writes between two statements of a batch).
 */
import type { Job, JobStatus, WorkerInfo } from '@redrive/core';
import { HISTORY, JOBS, rowToJob, WORKERS } from '../row.js';
import type { SqlContext } from './context.js';

const DELETE_PICK = `SELECT id FROM ${JOBS} WHERE id IN (SELECT value FROM json_each(?1))
  AND (?2 IS NULL OR status IN (SELECT value FROM json_each(?2)))`;

/** Deletes jobs and their history (only those in `status` when given); returns how many jobs. */
export async function deleteJobs(
  ctx: SqlContext,
  ids: string[],
  status: readonly JobStatus[] | undefined,
): Promise<number> {
  const values = [JSON.stringify(ids), status === undefined ? null : JSON.stringify(status)];
  const [, jobs] = await ctx.db.batch([
    ctx.db.prepare(`DELETE FROM ${HISTORY} WHERE job_id IN (${DELETE_PICK})`).bind(...values),
    ctx.db.prepare(`DELETE FROM ${JOBS} WHERE id IN (${DELETE_PICK})`).bind(...values),
  ]);
  return jobs?.meta?.changes ?? 0;
}

const PURGE_PICK = `SELECT id FROM ${JOBS} WHERE status IN (SELECT value FROM json_each(?1)) AND updated_at < ?2
  AND (?4 = 0 OR tenant_id IS ?5) ORDER BY updated_at LIMIT ?3`;

/** Deletes one set of old jobs in `status` (and their history); returns how many jobs. */
export async function purgeJobs(
  ctx: SqlContext,
  status: JobStatus[],
  olderThan: number,
  limit: number,
  tenantId?: string | null | undefined,
): Promise<number> {
  const values = [JSON.stringify(status), olderThan, limit, tenantId === undefined ? 0 : 1, tenantId ?? null];
  // History first, of the same pick: both statements see the same rows (one batch, one writer).
  const [, jobs] = await ctx.db.batch([
    ctx.db.prepare(`DELETE FROM ${HISTORY} WHERE job_id IN (${PURGE_PICK})`).bind(...values),
    ctx.db.prepare(`DELETE FROM ${JOBS} WHERE id IN (${PURGE_PICK})`).bind(...values),
  ]);
  return jobs?.meta?.changes ?? 0;
}

/** One job, or null. */
export async function getJob(ctx: SqlContext, id: string): Promise<Job | null> {
  const row = await ctx.db.prepare(`SELECT * FROM ${JOBS} WHERE id = ?1`).bind(id).first();
  return row ? rowToJob(row) : null;
}

/** Workers whose last heartbeat is at or after `since`, most recent first, active jobs counted now. */
export async function listWorkers(ctx: SqlContext, since: number): Promise<WorkerInfo[]> {
  const { results } = await ctx.db
    .prepare(
      `SELECT w.worker_id, w.last_seen_at,
         (SELECT count(*) FROM ${JOBS} j WHERE j.status = 'running' AND j.lease_owner = w.worker_id) AS active_jobs
       FROM ${WORKERS} w WHERE w.last_seen_at >= ?1 ORDER BY w.last_seen_at DESC, w.worker_id`,
    )
    .bind(since)
    .all();
  return results.map((r) => ({
    workerId: r.worker_id as string,
    lastSeenAt: r.last_seen_at as number,
    activeJobs: r.active_jobs as number,
  }));
}

/** Forgets a stopped worker, so `listWorkers` no longer lists it. */
export async function forgetWorker(ctx: SqlContext, workerId: string): Promise<void> {
  await ctx.db.prepare(`DELETE FROM ${WORKERS} WHERE worker_id = ?1`).bind(workerId).run();
}
