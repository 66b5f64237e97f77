import { getSuggestedAction } from '../classify/index.js';
import type { ClaimedJob, DeadLetter, Job } from '../job/job.js';
import { toDeadLetter } from '../queue/dead-letters.js';
import { assertJsonValue } from '../util/json.js';
import { toStorableJson } from '../util/storable.js';
import { errorMessage } from '../util/truncate.js';
import { type DecideFailureInput, decideFailure, type FailureDecision } from './decide-failure.js';
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
        await recordFailure(host, run, error);
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
      await recordFailure(host, run, error);
      return;
    }
    // The handler succeeded and its side effects happened: its result is stored whatever text it
    // holds, a NUL or a lone surrogate (which no store can keep) becoming U+FFFD.
    const stored = result === undefined ? null : toStorableJson(result);
    const ok = await writeOutcome(
      host,
      run,
      () =>
        host.adapter.complete(job.id, {
          leaseToken: job.leaseToken,
          result: stored,
          now: host.clock.now(),
        }),
      async () => {
        const stored = await host.adapter.getJob(job.id);
        return stored?.status === 'completed' && stored.attempt === job.attempt;
      },
    );
    if (ok) {
      host.counters.completed++;
      if (host.events.has('completed')) host.events.emit('completed', job, result);
    } else await refused(host, run);
  } catch (error) {
    host.events.emit('error', error, job);
  } finally {
    run.finished = true;
    host.runFinished(run);
  }
}

/** A fenced write was refused: the job was cancelled, or the lease is gone. Nothing was recorded. */
async function refused(host: RunnerHost, run: RunState): Promise<void> {
  if (run.stopKind === undefined) {
    // Refused before any heartbeat told us why: ask the store, so a cancel is reported as one.
    const current = await host.adapter.getJob(run.job.id).catch(() => null);
    if (current?.status === 'cancelled') run.stopKind = 'cancelled';
  }
  if (run.stopKind === 'cancelled') {
    host.counters.cancelled++;
    host.events.emit('cancelled', run.job);
    return;
  }
  host.counters.leaseLost++;
  host.events.emit('leaseLost', run.job);
}

async function release(
  host: RunnerHost,
  run: RunState,
  request: Parameters<RunnerHost['adapter']['release']>[1],
) {
  const ok = await writeOutcome(
    host,
    run,
    () => host.adapter.release(run.job.id, request),
    async () => {
      const stored = await host.adapter.getJob(run.job.id);
      return (
        stored?.status === request.to &&
        stored.leaseOwner === null &&
        (request.to !== 'queued' || stored.runAt === request.runAt)
      );
    },
  );
  if (!ok) await refused(host, run);
  return ok;
}

async function recordFailure(host: RunnerHost, run: RunState, error: unknown): Promise<void> {
  const { job } = run;
  const now = host.clock.now();
  switch (run.stopKind) {
    case 'leaseLost':
    case 'cancelled':
      // The store already moved on (re-claimed, cancelled): there is nothing ours to write.
      await refused(host, run);
      return;
    case 'paused': {
      // The reason was given after this claim: read it from the store so the paused job keeps it.
      const pauseReason = (await host.adapter.getJob(job.id))?.pauseReason ?? null;
      if (
        await release(host, run, {
          leaseToken: job.leaseToken,
          now,
          to: 'paused',
          refundAttempt: true,
          pauseReason,
        })
      ) {
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
    const runAt = now + Math.ceil(error.delayMs);
    if (
      await release(host, run, { leaseToken: job.leaseToken, now, to: 'queued', runAt, refundAttempt: true })
    ) {
      host.counters.snoozed++;
      host.events.emit('snoozed', job, { delayMs: error.delayMs, runAt });
      host.noteRunAt(runAt);
    }
    return;
  }
  const queue = host.settings.queue;
  const policy = queue.policyFor(job.type);
  const decision = decide({
    job,
    leaseToken: job.leaseToken,
    error,
    policy,
    classifier: queue.classifier,
    now,
    historyLimit: queue.historyLimit,
    maxMessageLength: host.settings.maxMessageLength,
    maxStackLength: host.settings.maxStackLength,
    category: run.stopKind === 'timeout' ? 'transient_timeout' : undefined,
  });
  const recorded = await writeOutcome(
    host,
    run,
    () => host.adapter.fail(job.id, decision.request),
    async () => {
      const { attempt, timestamp } = decision.request.history;
      const history = await host.adapter.getRetryHistory(job.id);
      return history.some((entry) => entry.attempt === attempt && entry.timestamp === timestamp);
    },
  );
  if (!recorded) {
    await refused(host, run);
    return;
  }
  host.counters.failed++;
  const { outcome } = decision.request;
  if (outcome.kind === 'retry') {
    // The store pauses instead of re-queueing when a pause was asked for during the attempt (the
    // request may have come after our last heartbeat): only a pausable job needs the look.
    if (run.pausable && (await host.adapter.getJob(job.id).catch(() => null))?.status === 'paused') {
      host.counters.paused++;
      host.events.emit('paused', job);
      return;
    }
    host.counters.retried++;
    host.events.emit('retryScheduled', job, {
      error,
      category: decision.category,
      delayMs: decision.delayMs,
      runAt: outcome.runAt,
    });
    host.noteRunAt(outcome.runAt);
    return;
  }
  host.counters.deadLettered++;
  const failedJob: Job = {
    ...job,
    status: 'failed',
    error: decision.request.error.message,
    errorStack: decision.request.error.stack,
    errorCategory: decision.category,
    lastErrorAt: now,
    failedAt: now,
    updatedAt: now,
    leaseOwner: null,
    leaseExpiresAt: null,
    requiresUserAction: outcome.requiresUserAction,
    suggestedAction: outcome.suggestedAction ?? getSuggestedAction(decision.category),
  };
  const deadLetter: DeadLetter = toDeadLetter(failedJob);
  host.events.emit('deadLettered', deadLetter, {
    error,
    category: decision.category,
    exhausted: decision.exhausted,
  });
  // Hooks are user code that may hang: they run outside this run, so its slot is free at once.
  host.runHook(failedJob, async () => {
    await policy.onDeadLetter?.(deadLetter);
  });
  if (decision.exhausted)
    host.runHook(failedJob, async () => {
      await policy.onRetriesExhausted?.(failedJob, error);
    });
}

/** hooks are user code; one that throws or rejects is reported as `error`, never breaks the runner. */
export async function callHook(
  host: RunnerHost,
  job: Job,
  hook: () => void | Promise<void> | undefined,
): Promise<void> {
  try {
    await hook();
  } catch (error) {
    host.events.emit('error', error, job);
  }
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

/**
 * Core's decision for the failed attempt. Classifying reads the thrown value, which may throw
 * (a throwing getter, a revoked Proxy): the attempt is then recorded as an `unknown` failure that
 * says so, rather than not at all (which left the job `running` until its lease expired).
 */
function decide(input: DecideFailureInput): FailureDecision {
  try {
    return decideFailure(input);
  } catch (cause) {
    const error = new Error(`the thrown value could not be read (${errorMessage(cause)})`);
    return decideFailure({ ...input, error, category: input.category ?? 'unknown' });
  }
}
