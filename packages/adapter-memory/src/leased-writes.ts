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
  ProgressRequest,
  RecoveredJob,
  RecoverRequest,
  ReleaseRequest,
  ReleaseResult,
  WriteRefused,
} from '@redrive/core';
import { appendHistory, JobTable } from './job-table.js';
import { encodeCheckpoint, encodeJson } from './json-value.js';
import { claimedSnapshot, type StoredJob, snapshot } from './stored-job.js';
import { requireArray, requireCount, requireFinite, requireString } from './validate.js';

/**
 * The contract's lease methods on the memory store: claim a job, keep its lease, and the writes
 * fenced by the lease token (outcome, progress, checkpoint), plus taking over expired leases.
 * Every outcome write stores what core decided and answers with the status it left the job in.
 */
export abstract class LeasedWrites extends JobTable {
  async claim(request: ClaimRequest): Promise<ClaimedJob[]> {
    this.open('claim');
    requireString('claim', 'workerId', request.workerId);
    requireCount('claim', 'limit', request.limit, 0);
    requireFinite('claim', 'leaseMs', request.leaseMs);
    requireFinite('claim', 'now', request.now);
    const { now } = request;
    const taken = this.ready.take(request.limit, now, request.types, request.queues);
    const claimed: ClaimedJob[] = new Array(taken.length);
    for (let i = 0; i < taken.length; i++) {
      const stored = taken[i]!;
      stored.job.attempt += 1;
      stored.job.startedAt = now;
      stored.startReported = false;
      claimed[i] = this.lease(stored, request.workerId, now, request.leaseMs);
    }
    return claimed;
  }

  async heartbeat(request: HeartbeatRequest): Promise<HeartbeatResult> {
    this.open('heartbeat');
    requireString('heartbeat', 'workerId', request.workerId);
    requireFinite('heartbeat', 'leaseMs', request.leaseMs);
    requireFinite('heartbeat', 'now', request.now);
    requireArray('heartbeat', 'leases', request.leases);
    const result: HeartbeatResult = { lost: [], cancelled: [], pauseRequested: [] };
    let active = 0;
    for (const lease of request.leases) {
      const stored = this.jobs.get(lease.id);
      if (stored === undefined || stored.token !== lease.leaseToken) {
        result.lost.push(lease.id);
      } else if (stored.job.status === 'running') {
        stored.job.leaseExpiresAt = request.now + request.leaseMs;
        stored.job.updatedAt = request.now;
        if (lease.started !== false) stored.startReported = true;
        active++;
        if (stored.job.pauseRequested) result.pauseRequested.push(lease.id);
      } else if (stored.job.status === 'cancelled') {
        result.cancelled.push(lease.id);
      } else {
        result.lost.push(lease.id);
      }
    }
    this.seeWorker(request.workerId, request.now, active);
    return result;
  }

  async complete(id: string, request: CompleteRequest): Promise<CompleteResult> {
    this.open('complete');
    const stored = this.leased(id, request.leaseToken);
    if (stored === undefined) return this.refusal(id, request.leaseToken);
    const result = encodeJson(request.result, 'complete', 'result'); // may refuse: before any change
    const job = stored.job;
    job.status = 'completed';
    job.completedAt = request.now;
    job.updatedAt = request.now;
    job.result = result;
    job.pauseRequested = false; // nothing left to pause
    this.endLease(stored);
    this.syncKey(stored);
    return { ok: true, status: 'completed' };
  }

  async fail(id: string, request: FailRequest): Promise<FailResult> {
    this.open('fail');
    requireCount('fail', 'historyLimit', request.historyLimit, 1);
    if (request.outcome?.kind === 'retry') requireFinite('fail', 'outcome.runAt', request.outcome.runAt);
    const stored = this.leased(id, request.leaseToken);
    if (stored === undefined) return this.refusal(id, request.leaseToken);
    const job = stored.job;
    job.error = request.error.message;
    job.errorStack = request.error.stack;
    job.errorCategory = request.error.category;
    job.lastErrorAt = request.now;
    job.updatedAt = request.now;
    appendHistory(stored, request.history, request.historyLimit);
    const outcome = request.outcome;
    this.endLease(stored);
    if (outcome.kind === 'dead') {
      job.pauseRequested = false;
      job.status = 'failed';
      job.failedAt = request.now;
      job.requiresUserAction = outcome.requiresUserAction;
      job.suggestedAction = outcome.suggestedAction;
      this.syncKey(stored);
      return { ok: true, status: 'failed', job: snapshot(stored) };
    }
    job.runAt = outcome.runAt;
    if (job.pauseRequested) {
      // A pause was asked for during this attempt: pause instead of re-queueing; runAt keeps the
      // backoff, so a resume before it is over still waits for it.
      job.status = 'paused';
      job.pausedAt = request.now;
      job.pauseRequested = false;
      return { ok: true, status: 'paused' };
    }
    this.requeue(stored, request.now);
    return { ok: true, status: 'queued' };
  }

  async release(id: string, request: ReleaseRequest): Promise<ReleaseResult> {
    this.open('release');
    if (request.to === 'queued' && request.runAt !== undefined)
      requireFinite('release', 'runAt', request.runAt);
    const stored = this.leased(id, request.leaseToken);
    if (stored === undefined) return this.refusal(id, request.leaseToken);
    const job = stored.job;
    this.endLease(stored);
    job.updatedAt = request.now;
    if (request.refundAttempt && job.attempt > 0) job.attempt -= 1;
    if (request.crashRefund === true) stored.crashRefunds += 1;
    if (request.to === 'paused') {
      // The reason given with the pause request stays.
      job.status = 'paused';
      job.pausedAt = request.now;
      job.pauseRequested = false;
      return { ok: true, status: 'paused' };
    }
    job.runAt = request.runAt ?? request.now;
    this.requeue(stored, request.now);
    return { ok: true, status: 'queued' };
  }

  async progress(id: string, request: ProgressRequest): Promise<FencedWriteResult> {
    this.open('progress');
    return this.fencedWrite(id, request.leaseToken, request.now, (job) => {
      job.progress = Object.freeze({ ...request.progress });
    });
  }

  async checkpoint(id: string, request: CheckpointRequest): Promise<FencedWriteResult> {
    this.open('checkpoint');
    return this.fencedWrite(id, request.leaseToken, request.now, (job) => {
      job.checkpoint = encodeCheckpoint(request.checkpoint, 'checkpoint');
    });
  }

  async recoverExpiredLeases(request: RecoverRequest): Promise<RecoveredJob[]> {
    this.open('recoverExpiredLeases');
    requireString('recoverExpiredLeases', 'workerId', request.workerId);
    requireFinite('recoverExpiredLeases', 'now', request.now);
    requireFinite('recoverExpiredLeases', 'leaseMs', request.leaseMs);
    requireCount('recoverExpiredLeases', 'limit', request.limit, 1);
    const { now } = request;
    const expired: StoredJob[] = [];
    for (const stored of this.running) {
      const expiresAt = stored.job.leaseExpiresAt;
      if (expiresAt !== null && expiresAt <= now) expired.push(stored);
    }
    expired.sort((a, b) => a.job.leaseExpiresAt! - b.job.leaseExpiresAt! || a.seq - b.seq);
    // Leased afresh to the recovering worker: the crashed worker's token no longer matches. The
    // stored facts go with each job, unchanged: core decides what they mean.
    return expired.slice(0, request.limit).map((stored) => {
      const job: RecoveredJob = this.lease(stored, request.workerId, now, request.leaseMs);
      job.startReported = stored.startReported;
      job.crashRefunds = stored.crashRefunds;
      return job;
    });
  }

  /** Lease a job to `workerId` under a fresh token (a claim, or an expired lease taken over). */
  private lease(stored: StoredJob, workerId: string, now: number, leaseMs: number): ClaimedJob {
    const job = stored.job;
    const token = this.newToken();
    job.status = 'running';
    job.updatedAt = now;
    job.leaseOwner = workerId;
    job.leaseExpiresAt = now + leaseMs;
    stored.token = token;
    this.running.add(stored);
    return claimedSnapshot(stored, token);
  }

  /** Why a fenced write was refused: cancelled under this token, or the lease is gone. */
  private refusal(id: string, token: string): WriteRefused {
    const stored = this.jobs.get(id);
    return {
      ok: false,
      cancelled: stored !== undefined && stored.token === token && stored.job.status === 'cancelled',
    };
  }
}
