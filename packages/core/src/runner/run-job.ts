import type { ReleaseRequest, ReleaseResult, WriteRefused } from '../adapter/requests.js';
import type { ClaimedJob } from '../job/job.js';
import { assertJsonValue } from '../util/json.js';
import { MAX_EPOCH_MS, toStorableJson } from '../util/storable.js';
import { recordFailure } from './record-failure.js';
import { RunState } from './run-state.js';
import type { RunnerHost } from './runner-host.js';
import { writeOutcome } from './write-outcome.js';

/**
 * Execute one claimed job to its recorded outcome: run the handler (raced against its timeout),
 * then make exactly one fenced write — complete, fail (retry or dead-letter, decided here in
 * core), or release (snooze, pause, stop). Never throws: a store that throws is tried again a few
 * times (`writeOutcome`); if it keeps failing, the `error` event says so and the job's lease, left
 * to expire, brings it back (at-least-once).
 */
export async function runJob(host: RunnerHost, job: ClaimedJob): Promise<void> {
  const run = new RunState(host, job);
  host.runStarted(run);
  host.counters.processed++;
  if (host.events.has('started')) host.events.emit('started', job);
  try {
    if (job.checkpoint) await run.loadCheckpoint();
    if (job.timeoutMs !== null && job.timeoutMs > 0) run.armTimeout(job.timeoutMs);
    let result: unknown;
    try {
      const handler = host.settings.handlers[job.type]!;
      result = handler(job, run);
      if (
        result !== null &&
        typeof result === 'object' &&
        typeof (result as PromiseLike<unknown>).then === 'function'
      ) {
        result = await (job.timeoutMs
          ? run.race(result as PromiseLike<unknown>)
          : (result as PromiseLike<unknown>));
      }
    } catch (error) {
      run.disarm();
      if (!run.abandoned) {
        // As for a completion: the slot is free while the failure is written, and stop() lets
        // that write land instead of racing a release against it (the attempt is in the history).
        host.handlerSettled(run);
        if (run.hasPendingProgress) await run.flushProgress();
        await recordRunFailure(host, run, error);
      }
      return;
    }
    run.disarm();
    if (run.abandoned) return;
    // The handler is done: its slot goes to the next job while the completion is written, so
    // claims, handlers and (batched) completions overlap. The lease is still ours and still
    // heartbeated until the write lands; the runner bounds how many writes may be pending.
    host.handlerSettled(run);
    if (run.hasPendingProgress) await run.flushProgress();
    try {
      assertJsonValue(result, 'result', 'runner');
    } catch (error) {
      // A result no store can keep (a BigInt, a cycle) would fail every write and bring the job
      // back to run again: it is the handler's bug, so the attempt fails as permanent_validation.
      await recordRunFailure(host, run, error);
      return;
    }
    // The handler succeeded and its side effects happened: its result is stored whatever text it
    // holds, a NUL or a lone surrogate (which no store can keep) becoming U+FFFD.
    const storable = result === undefined ? null : toStorableJson(result);
    const written = await writeOutcome(
      host,
      run,
      () =>
        host.adapter.complete(job.id, {
          leaseToken: job.leaseToken,
          result: storable,
          now: host.clock.now(),
        }),
      async () => {
        const stored = await host.adapter.getJob(job.id);
        return stored?.status === 'completed' && stored.attempt === job.attempt
          ? { ok: true as const, status: 'completed' as const }
          : { ok: false as const, cancelled: stored?.status === 'cancelled' };
      },
    );
    if (written.ok) {
      run.completed = true;
      host.counters.completed++;
      if (host.events.has('completed')) host.events.emit('completed', job, result);
    } else refused(host, run, written);
  } catch (error) {
    host.events.emit('error', error, job);
  } finally {
    run.finished = true;
    host.runFinished(run);
  }
}

/**
 * A fenced write was refused (or not tried: a heartbeat already said the job moved on): the job
 * was cancelled, or the lease is gone. Nothing was recorded. The store's answer says which, even
 * when no heartbeat told us before.
 */
function refused(host: RunnerHost, run: RunState, answer?: WriteRefused): void {
  if (answer?.cancelled) run.stopKind = 'cancelled';
  if (run.stopKind === 'cancelled') {
    host.counters.cancelled++;
    host.events.emit('cancelled', run.job);
    return;
  }
  host.counters.leaseLost++;
  host.events.emit('leaseLost', run.job);
}

async function release(host: RunnerHost, run: RunState, request: ReleaseRequest): Promise<ReleaseResult> {
  const result = await writeOutcome(
    host,
    run,
    () => host.adapter.release(run.job.id, request),
    async (): Promise<ReleaseResult> => {
      const stored = await host.adapter.getJob(run.job.id);
      return stored?.status === request.to &&
        stored.leaseOwner === null &&
        (request.to !== 'queued' || stored.runAt === request.runAt)
        ? { ok: true, status: request.to }
        : { ok: false, cancelled: stored?.status === 'cancelled' };
    },
  );
  if (!result.ok) refused(host, run, result);
  return result;
}

async function recordRunFailure(host: RunnerHost, run: RunState, error: unknown): Promise<void> {
  const { job } = run;
  const now = host.clock.now();
  switch (run.stopKind) {
    case 'leaseLost':
    case 'cancelled':
      // The store already moved on (re-claimed, cancelled): there is nothing ours to write.
      refused(host, run);
      return;
    case 'paused': {
      // The store keeps the reason given with the pause request.
      const paused = await release(host, run, {
        leaseToken: job.leaseToken,
        now,
        to: 'paused',
        refundAttempt: true,
      });
      if (paused.ok) {
        host.counters.paused++;
        host.events.emit('paused', job);
      }
      return;
    }
    case 'stopped':
      await release(host, run, {
        leaseToken: job.leaseToken,
        now,
        to: 'queued',
        runAt: now,
        refundAttempt: false,
      });
      return;
  }
  if (isSnooze(error)) {
    // A thrown SnoozeError is not validated like ctx.snooze(): keep its time storable.
    const runAt = Math.min(now + Math.ceil(error.delayMs), MAX_EPOCH_MS);
    const snoozed = await release(host, run, {
      leaseToken: job.leaseToken,
      now,
      to: 'queued',
      runAt,
      refundAttempt: true,
    });
    if (snoozed.ok) {
      host.counters.snoozed++;
      host.events.emit('snoozed', job, { delayMs: error.delayMs, runAt });
      host.noteRunAt(runAt);
    }
    return;
  }
  const failed = await recordFailure(
    host,
    run,
    error,
    run.stopKind === 'timeout' ? 'transient_timeout' : undefined,
  );
  if (!failed.ok) refused(host, run, failed);
}

// A thrown value is user data: any property read may throw (a getter, a revoked Proxy).
function isSnooze(error: unknown): error is { delayMs: number } {
  try {
    return (
      typeof error === 'object' &&
      error !== null &&
      (error as { name?: unknown }).name === 'SnoozeError' &&
      typeof (error as { delayMs?: unknown }).delayMs === 'number' &&
      Number.isFinite((error as { delayMs: number }).delayMs) &&
      (error as { delayMs: number }).delayMs >= 0
    );
  } catch {
    return false;
  }
}
