/*
 * listJobs / listDeadLetters: keyset pagination, newest first.
 *
 * Parameters: the filter's values, then the cursor's (time, id) when a cursor is given, then limit + 1.
 *
 * Jobs page on (created_at, id). No index holds every job (claims and completions would each
 * write to it, see migration 0006): each state's rows are read from the index they are written to
 * anyway, and the page is the merge of one page per state (only the states the filter allows):
 * queued from jobs_queued_idx, paused / completed / failed / cancelled from one range each of
 * jobs_settled_idx, running from jobs_lease_idx (at most the workers' capacity, sorted). Dead
 * letters page on (failed_at, id) through the partial jobs_dlq_idx. The row comparison
 * `(t, id) < ($a, $b)` matches the index order, so a page costs O(limit × states) however deep it
 * is. One extra row tells whether a next page exists.
 */
import { type JobPage, type JobStatus, type ListRequest, ValidationError } from '@redrive/core';
import { jobColumns, rowToJob } from '../row.js';
import type { SqlContext } from './context.js';
import { filterConditions } from './filter.js';

/** Lists a page; `deadLetters` pages failed jobs by failure time. */
export async function listJobs(
  ctx: SqlContext,
  request: ListRequest,
  deadLetters: boolean,
): Promise<JobPage> {
  const timeColumn = deadLetters ? 'failed_at' : 'created_at';
  const params: unknown[] = [];
  const { limit, cursor, ...filter } = request;
  const conds = [filterConditions(deadLetters ? { ...filter, status: 'failed' } : filter, params)];
  if (cursor) {
    const [time, id] = decodeCursor(cursor);
    params.push(time, id);
    conds.push(`(${timeColumn}, id) < ($${params.length - 1}::bigint, $${params.length}::text)`);
  }
  params.push(limit + 1);
  const take = `ORDER BY ${timeColumn} DESC, id DESC LIMIT $${params.length}`;
  const where = conds.join(' AND ');
  const sql = deadLetters
    ? `SELECT ${jobColumns()} FROM ${ctx.s}.jobs WHERE ${where} ${take}`
    : `SELECT * FROM (${statesOf(filter.status)
        .map(
          (state) =>
            `(SELECT ${jobColumns()} FROM ${ctx.s}.jobs WHERE status = '${state}' AND ${where} ${take})`,
        )
        .join(' UNION ALL ')}) AS page ${take}`;
  const { rows } = await ctx.db.query(sql, params);
  const jobs = rows.slice(0, limit).map(rowToJob);
  const last = jobs[jobs.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor(deadLetters ? (last.failedAt ?? 0) : last.createdAt, last.id)
      : null;
  return { jobs, nextCursor };
}

/** Every state, each listed from its own index (see the header). */
const STATES: readonly JobStatus[] = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled'];

/** The states a listing reads: the filter's (known ones only; an unknown one matches no row). */
function statesOf(status: JobStatus | JobStatus[] | undefined): readonly JobStatus[] {
  if (status === undefined) return STATES;
  const wanted = new Set<string>(Array.isArray(status) ? status : [status]);
  const states = STATES.filter((s) => wanted.has(s));
  // No known state: one branch that the filter's own `status = ANY(...)` empties.
  return states.length > 0 ? states : ['queued'];
}

function encodeCursor(time: number, id: string): string {
  return `${time}:${id}`;
}

function decodeCursor(cursor: string): [number, string] {
  const at = cursor.indexOf(':');
  const time = Number(cursor.slice(0, at));
  if (at <= 0 || !Number.isSafeInteger(time)) {
    throw new ValidationError(
      `[redrive] [postgres] cursor is not one this adapter returned: ${JSON.stringify(cursor)}`,
      {
        issues: [{ path: 'cursor', message: 'unknown cursor' }],
      },
    );
  }
  return [time, cursor.slice(at + 1)];
}
