/*
 * listJobs / listDeadLetters: keyset pagination, newest first.
 *
 * Parameters: the filter's values, then the cursor's (time, id) when a cursor is given, then limit + 1.
 *
 * Jobs page on (created_at, id), one ordered page per state merged (see per-state.ts); dead
 * letters on (failed_at, id) through the partial jobs_dlq_idx. The row comparison
 * `(t, id) < ($a, $b)` matches the index order, so a page reads about `limit` rows per state
 * however deep it is (running jobs excepted: all of them are read and sorted, see per-state.ts).
 * One extra row tells whether a next page exists.
 */
import { type JobPage, type ListRequest, ValidationError } from '@redrive/core';
import { jobColumns, rowToJob } from '../row.js';
import type { SqlContext } from './context.js';
import { filterConditions } from './filter.js';
import { perStateSql, statesOf } from './per-state.js';

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
  const where = conds.join(' AND ');
  const sql = deadLetters
    ? `SELECT ${jobColumns()} FROM ${ctx.s}.jobs WHERE ${where} ORDER BY failed_at DESC, id DESC LIMIT $${params.length}`
    : perStateSql({
        schema: ctx.s,
        states: statesOf(filter.status),
        columns: jobColumns(),
        where,
        order: 'newest',
        limit: `$${params.length}`,
      });
  const { rows } = await ctx.db.query(sql, params);
  const jobs = rows.slice(0, limit).map(rowToJob);
  const last = jobs[jobs.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor(deadLetters ? (last.failedAt ?? 0) : last.createdAt, last.id)
      : null;
  return { jobs, nextCursor };
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
