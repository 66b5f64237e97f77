import type { FailResult } from '../adapter/requests.js';
import type { ErrorCategory } from '../classify/categories.js';
import { toDeadLetter } from '../job/dead-letter.js';
import type { ClaimedJob, Job } from '../job/job.js';
import { queueInternals } from '../queue/internals.js';
import { errorMessage } from '../util/truncate.js';
import { type DecideFailureInput, decideFailure, type FailureDecision } from './decide-failure.js';
import type { RunnerHost } from './runner-host.js';
import { type OutcomeWriter, writeOutcome } from './write-outcome.js';

/**
 * The one path of a failed attempt, whatever failed it: a handler that threw or timed out, or a
 * worker that crashed (its expired lease, taken over by `recoverExpiredLeases`). Core decides
 * with the job's policy (`decideFailure`: classification, custom backoff, `'dead'`), the adapter
 * stores that decision and the history entry in one fenced `fail`, and the answer says what
 * happened, which is reported once: `retryScheduled`, `paused`, or `deadLettered` with the
 * `onDeadLetter` / `onRetriesExhausted` hooks. Returns the store's answer (a refused write is the
 * caller's to report), or throws what the store kept throwing.
 */
export async function recordFailure(
  host: RunnerHost,
  attempt: OutcomeWriter,
  error: unknown,
  category?: ErrorCategory,
): Promise<FailResult> {
  const { job } = attempt;
  const queue = queueInternals(host.settings.queue);
  const policy = queue.policyFor(job.type);
  const input: DecideFailureInput = {
    job,
    leaseToken: job.leaseToken,
    error,
    policy,
    classifier: queue.classifier,
    now: host.clock.now(),
    historyLimit: queue.historyLimit,
    maxMessageLength: host.settings.maxMessageLength,
    maxStackLength: host.settings.maxStackLength,
    category,
  };
  const decision = decide(input);
  const result = await writeOutcome(
    host,
    attempt,
    () => host.adapter.fail(job.id, decision.request),
    () => failLanded(host, job, decision),
  );
  if (!result.ok) return result;
  host.counters.failed++;
  switch (result.status) {
    case 'paused':
      // A pause was asked for during the attempt: the store paused the job instead of re-queueing it.
      host.counters.paused++;
      host.events.emit('paused', job);
      break;
    case 'queued': {
      const outcome = decision.request.outcome as { runAt: number };
      host.counters.retried++;
      host.events.emit('retryScheduled', job, {
        error,
        category: decision.category,
        delayMs: decision.delayMs,
        runAt: outcome.runAt,
      });
      host.noteRunAt(outcome.runAt);
      break;
    }
    case 'failed':
      reportDeadLetter(host, result.job, error, decision);
      break;
  }
  return result;
}

/**
 * A dead letter, reported once: the `deadLettered` event, then `onDeadLetter`, then — when every
 * attempt was used on retryable errors — `onRetriesExhausted`.
 */
function reportDeadLetter(host: RunnerHost, failedJob: Job, error: unknown, decision: FailureDecision): void {
  const policy = queueInternals(host.settings.queue).policyFor(failedJob.type);
  host.counters.deadLettered++;
  const deadLetter = toDeadLetter(failedJob);
  host.events.emit('deadLettered', deadLetter, {
    error,
    category: decision.category,
    exhausted: decision.exhausted,
  });
  // Hooks are user code that may hang: they run outside the attempt, so its slot is free at once.
  host.runHook(failedJob, async () => {
    await policy.onDeadLetter?.(deadLetter);
  });
  if (decision.exhausted)
    host.runHook(failedJob, async () => {
      await policy.onRetriesExhausted?.(failedJob, error);
    });
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

/**
 * The `fail` threw, then a retry of it was refused: did the first try land after all (the
 * connection dropped after the commit)? Its history entry tells; the job tells where it went.
 */
async function failLanded(host: RunnerHost, job: ClaimedJob, decision: FailureDecision): Promise<FailResult> {
  const { attempt, timestamp } = decision.request.history;
  const history = await host.adapter.getRetryHistory(job.id);
  if (!history.some((entry) => entry.attempt === attempt && entry.timestamp === timestamp))
    return { ok: false, cancelled: false };
  const stored = await host.adapter.getJob(job.id);
  if (stored?.status === 'failed') return { ok: true, status: 'failed', job: stored };
  if (stored?.status === 'paused') return { ok: true, status: 'paused' };
  return { ok: true, status: 'queued' };
}
