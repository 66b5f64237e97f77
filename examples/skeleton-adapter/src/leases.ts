import type {
  CheckpointRequest,
  ClaimedJob,
  ClaimRequest,
  CompleteRequest,
  CompleteResult,
  FailRequest,
  FailResult,
  FencedWriteResult,
  HeartbeatRequest,
  HeartbeatResult,
  Job,
  ProgressRequest,
  RecoverRequest,
  ReleaseRequest,
  ReleaseResult,
  WriteRefused,
} from '@redrive/core';
import { allRows, type Row, readRow, requireCount, type Table, writeRow } from './table.js';

/*
 * Claiming jobs and every write fenced by the lease token a claim issues. Each function reads,
 * changes and writes back without an `await` in between, so it is atomic: no other call can run
 * in the middle. A real store gets the same from one statement or one transaction per method.
 */

/** Lease the row to `workerId` until `now + leaseMs` under a fresh token, unique for ever. */
function lease(table: Table, row: Row, workerId: string, now: number, leaseMs: number): ClaimedJob {
  const leaseToken = globalThis.crypto.randomUUID();
  row.job.status = 'running';
  row.job.leaseOwner = workerId;
  row.job.leaseExpiresAt = now + leaseMs;
  row.job.updatedAt = now;
  row.leaseToken = leaseToken;
  writeRow(table, row);
  return { ...row.job, status: 'running', leaseOwner: workerId, leaseExpiresAt: now + leaseMs, leaseToken };
}

/** Fencing in one comparison: the row only while it is `running` under this very token. */
function leased(table: Table, id: string, token: string): Row | undefined {
  const row = readRow(table, id);
  return row?.job.status === 'running' && row.leaseToken === token ? row : undefined;
}

/** A refused write changes nothing and says why: `cancelled` when a cancel took the job from this token. */
function refusal(table: Table, id: string, token: string): WriteRefused {
  const row = readRow(table, id);
  return { ok: false, cancelled: row?.job.status === 'cancelled' && row.leaseToken === token };
}

/** The worker no longer holds the job: clear owner, expiry and token. */
function endLease(row: Row): void {
  row.job.leaseOwner = null;
  row.job.leaseExpiresAt = null;
  row.leaseToken = null;
}

/** Up to `limit` due queued jobs (of the given types and queues), priority desc then oldest first. */
export function claim(table: Table, request: ClaimRequest): ClaimedJob[] {
  const { types, queues, now } = request;
  const due = allRows(table)
    .filter(
      (row) =>
        row.job.status === 'queued' &&
        row.job.runAt <= now &&
        (types === undefined || types.includes(row.job.type)) &&
        (queues === undefined || queues.includes(row.job.queue)),
    )
    .sort((a, b) => b.job.priority - a.job.priority || a.job.createdAt - b.job.createdAt);
  return due.slice(0, request.limit).map((row) => {
    row.job.attempt += 1; // a claim counts an attempt
    row.job.startedAt = now;
    return lease(table, row, request.workerId, now, request.leaseMs);
  });
}

/** Extend the leases still held; report the ones lost, cancelled, or asked to pause. */
export function heartbeat(table: Table, request: HeartbeatRequest): HeartbeatResult {
  const result: HeartbeatResult = { lost: [], cancelled: [], pauseRequested: [] };
  for (const { id, leaseToken } of request.leases) {
    const row = readRow(table, id);
    if (row === undefined || row.leaseToken !== leaseToken) {
      result.lost.push(id); // deleted, or re-claimed under another token
    } else if (row.job.status === 'running') {
      row.job.leaseExpiresAt = request.now + request.leaseMs;
      row.job.updatedAt = request.now;
      writeRow(table, row);
      if (row.job.pauseRequested) result.pauseRequested.push(id);
    } else if (row.job.status === 'cancelled') {
      result.cancelled.push(id); // a cancel keeps the token, so the worker learns why
    } else {
      result.lost.push(id);
    }
  }
  return result;
}

/** Fenced: running → completed, a pending pause request cleared. */
export function complete(table: Table, id: string, request: CompleteRequest): CompleteResult {
  const row = leased(table, id, request.leaseToken);
  if (row === undefined) return refusal(table, id, request.leaseToken);
  row.job.status = 'completed';
  row.job.completedAt = request.now;
  row.job.updatedAt = request.now;
  row.job.result = request.result ?? null;
  row.job.pauseRequested = false;
  endLease(row);
  writeRow(table, row);
  return { ok: true, status: 'completed' };
}

/**
 * Fenced: store the error, append the history entry (keeping the newest `historyLimit`), then
 * core's outcome: retry → queued at `runAt` (paused instead when a pause was asked for), dead →
 * failed. All in one write, so no crash leaves the history without the status.
 */
export function fail(table: Table, id: string, request: FailRequest): FailResult {
  requireCount('fail', 'historyLimit', request.historyLimit, 1);
  const row = leased(table, id, request.leaseToken);
  if (row === undefined) return refusal(table, id, request.leaseToken);
  const { job } = row;
  const { now, outcome } = request;
  job.error = request.error.message;
  job.errorStack = request.error.stack;
  job.errorCategory = request.error.category;
  job.lastErrorAt = now;
  job.updatedAt = now;
  row.history = [...row.history, request.history].slice(-request.historyLimit);
  endLease(row);
  if (outcome.kind === 'dead') {
    job.status = 'failed';
    job.failedAt = now;
    job.requiresUserAction = outcome.requiresUserAction;
    job.suggestedAction = outcome.suggestedAction;
    job.pauseRequested = false;
    writeRow(table, row);
    return { ok: true, status: 'failed', job };
  }
  job.runAt = outcome.runAt;
  if (job.pauseRequested) {
    job.status = 'paused'; // checkpoint and pause reason stay
    job.pausedAt = now;
    job.pauseRequested = false;
  } else {
    job.status = 'queued';
  }
  writeRow(table, row);
  return { ok: true, status: job.status };
}

/** Fenced: give the job back without a failure, to queued (at `runAt`) or paused. */
export function release(table: Table, id: string, request: ReleaseRequest): ReleaseResult {
  const row = leased(table, id, request.leaseToken);
  if (row === undefined) return refusal(table, id, request.leaseToken);
  const { job } = row;
  if (request.refundAttempt && job.attempt > 0) job.attempt -= 1;
  job.updatedAt = request.now;
  endLease(row);
  if (request.to === 'paused') {
    job.status = 'paused'; // the reason given with the pause request stays
    job.pausedAt = request.now;
    job.pauseRequested = false;
  } else {
    job.status = 'queued';
    job.runAt = request.runAt ?? request.now;
  }
  writeRow(table, row);
  return { ok: true, status: job.status };
}

/** Fenced: store a value on the job; tell the handler about a cancel or a pause request. */
function fencedWrite(
  table: Table,
  id: string,
  token: string,
  now: number,
  write: (job: Job) => void,
): FencedWriteResult {
  const row = leased(table, id, token);
  if (row === undefined) return refusal(table, id, token);
  write(row.job);
  row.job.updatedAt = now;
  writeRow(table, row);
  return { ok: true, cancelled: false, pauseRequested: row.job.pauseRequested };
}

/** Fenced: store progress. */
export function progress(table: Table, id: string, request: ProgressRequest): FencedWriteResult {
  return fencedWrite(table, id, request.leaseToken, request.now, (job) => {
    job.progress = request.progress;
  });
}

/** Fenced: store the checkpoint, replacing the previous one. */
export function checkpoint(table: Table, id: string, request: CheckpointRequest): FencedWriteResult {
  return fencedWrite(table, id, request.leaseToken, request.now, (job) => {
    job.checkpoint = request.checkpoint;
  });
}

/**
 * Take over up to `limit` expired leases, oldest expiry first, under fresh tokens. Decide
 * nothing: the attempt and status stay; core records each through `fail`.
 */
export function recoverExpiredLeases(table: Table, request: RecoverRequest): ClaimedJob[] {
  requireCount('recoverExpiredLeases', 'limit', request.limit, 1);
  const expired = allRows(table)
    .filter((row) => row.job.status === 'running' && (row.job.leaseExpiresAt ?? 0) <= request.now)
    .sort((a, b) => (a.job.leaseExpiresAt ?? 0) - (b.job.leaseExpiresAt ?? 0));
  return expired
    .slice(0, request.limit)
    .map((row) => lease(table, row, request.workerId, request.now, request.leaseMs));
}
