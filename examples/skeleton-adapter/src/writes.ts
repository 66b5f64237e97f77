import {
  type DeleteJobsOptions,
  type EnqueueResult,
  type Job,
  jobFromRecord,
  type NewJobRecord,
  type PurgeRequest,
  type TransitionRequest,
  type TransitionResult,
} from '@redrive/core';
import { allRows, isLive, type Row, readRow, requireCount, type Table, writeRow } from './table.js';

/*
 * The writes that are not fenced by a lease: inserting jobs, guarded status changes, deletes.
 */

/** The live job of this tenant holding `key`, among the stored rows and those about to be inserted. */
function keyHolder(rows: Row[], tenantId: string | null, key: string): Job | undefined {
  return rows.find(
    (row) => row.job.idempotencyKey === key && row.job.tenantId === tenantId && isLive(row.job.status),
  )?.job;
}

/**
 * Insert the records as `queued`, in input order. A live job of the same tenant already holding
 * a record's idempotency key (stored, or earlier in this call) is returned instead, and nothing
 * is inserted for that record. Every row is built before the first is stored, so a record that
 * cannot be encoded leaves the store as it was.
 */
export function enqueue(table: Table, records: NewJobRecord[]): EnqueueResult[] {
  const stored = allRows(table);
  const inserted: Row[] = [];
  const results: EnqueueResult[] = [];
  for (const record of records) {
    const holder =
      record.idempotencyKey === null
        ? undefined
        : keyHolder([...stored, ...inserted], record.tenantId, record.idempotencyKey);
    if (holder !== undefined) {
      results.push({ job: holder, created: false });
      continue;
    }
    // Through JSON once, so the answer is what a later read returns (a Date as its ISO string).
    const row: Row = JSON.parse(
      JSON.stringify({ job: jobFromRecord(record), leaseToken: null, history: [] }),
    );
    inserted.push(row);
    results.push({ job: row.job, created: true });
  }
  for (const row of inserted) writeRow(table, row);
  return results;
}

/**
 * Guarded status change: nothing changes unless the status is in `from`. Leaving `running`
 * clears the lease owner and expiry but keeps the token, so the worker's next heartbeat
 * reports `cancelled` rather than `lost`.
 */
export function transition(table: Table, id: string, request: TransitionRequest): TransitionResult {
  const row = readRow(table, id);
  if (row === undefined) return { ok: false, reason: 'not_found' };
  const { job } = row;
  if (!request.from.includes(job.status)) return { ok: false, reason: 'invalid_state', status: job.status };
  if (job.status === 'running' && request.to !== 'running') {
    job.leaseOwner = null;
    job.leaseExpiresAt = null;
  }
  Object.assign(job, request.patch);
  for (const counter of request.increment ?? []) job[counter] += 1;
  job.status = request.to;
  job.updatedAt = request.now;
  writeRow(table, row);
  return { ok: true, job };
}

/** Delete these jobs (history included), only those still in `options.status` when given. */
export function deleteJobs(table: Table, ids: string[], options: DeleteJobsOptions = {}): number {
  let deleted = 0;
  for (const id of ids) {
    const row = readRow(table, id);
    if (row === undefined) continue;
    if (options.status !== undefined && !options.status.includes(row.job.status)) continue;
    table.delete(id);
    deleted++;
  }
  return deleted;
}

/** Delete up to `limit` jobs in `status` last changed before `olderThan` (one tenant's, when given). */
export function purge(table: Table, request: PurgeRequest): number {
  requireCount('purge', 'limit', request.limit, 1);
  const { status, olderThan, tenantId } = request;
  const matching = allRows(table).filter(
    (row) =>
      status.includes(row.job.status) &&
      row.job.updatedAt < olderThan &&
      (tenantId === undefined || row.job.tenantId === tenantId),
  );
  for (const row of matching.slice(0, request.limit)) table.delete(row.job.id);
  return Math.min(matching.length, request.limit);
}
