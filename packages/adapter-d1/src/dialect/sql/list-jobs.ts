/*
 * listJobs / listDeadLetters: keyset pagination, newest first, ONE statement.
 *
 * Values: the filter's, then the cursor's (time, id) when a cursor is given, then limit + 1.
 *
 * Jobs page on (created_at, id) through redrive_jobs_created_idx; dead letters on (failed_at,
 * id) through the partial redrive_jobs_dlq_idx. The row-value comparison `(t, id) < (?, ?)`
 * matches the index order, so a page reads about `limit` rows however deep it is. One extra row
 * tells whether a next page exists.
 */
import type { JobPage, ListRequest } from '@redrive/core';
import { invalid } from '../errors.js';
import { JOBS, rowToJob } from '../row.js';
import type { SqlContext } from './context.js';
import { filterConditions } from './filter.js';

/** Lists a page; `deadLetters` pages failed jobs by failure time. */
export async function listJobs(
  ctx: SqlContext,
  request: ListRequest,
  deadLetters: boolean,
): Promise<JobPage> {
  const time = deadLetters ? 'failed_at' : 'created_at';
  const { limit, cursor, ...filter } = request;
  const params: unknown[] = [];
  const conds = [filterConditions(filter, params)];
  if (deadLetters) conds.push(`status = 'failed'`);
  if (cursor) {
    params.push(...decodeCursor(ctx.adapter, cursor));
    conds.push(`(${time}, id) < (?, ?)`);
  }
  params.push(limit + 1);
  const { results } = await ctx.db
    .prepare(`SELECT * FROM ${JOBS} WHERE ${conds.join(' AND ')} ORDER BY ${time} DESC, id DESC LIMIT ?`)
    .bind(...(params as (string | number | null)[]))
    .all();
  const jobs = results.slice(0, limit).map(rowToJob);
  const last = jobs[jobs.length - 1];
  const nextCursor =
    results.length > limit && last
      ? `${deadLetters ? (last.failedAt ?? 0) : last.createdAt}:${last.id}`
      : null;
  return { jobs, nextCursor };
}

function decodeCursor(adapter: string, cursor: string): [number, string] {
  const at = cursor.indexOf(':');
  const time = Number(cursor.slice(0, at));
  if (at <= 0 || !Number.isSafeInteger(time)) {
    throw invalid(adapter, 'cursor', `is not one this adapter returned: ${JSON.stringify(cursor)}`);
  }
  return [time, cursor.slice(at + 1)];
}
