/*
 * A Cloudflare Queues consumer with Redrive's retry decisions: per message, run the handler and
 * ack on success; on an error, let core classify it and apply the type's policy (decideFailure):
 * a retry becomes `message.retry({ delaySeconds })` with the policy's backoff, a permanent error
 * or the last attempt becomes a dead letter (in D1, listable and redrivable like any Redrive
 * job, or sent to a dead-letter queue binding), then an ack. Per-message ack/retry only.
 */
import { decideFailure, type Job, jobFromRecord, toDeadLetter } from '@redrive/core';
import {
  attemptWarnings,
  type QueueConsumerOptions,
  type ResolvedConsumerOptions,
  resolveConsumerOptions,
} from './consumer-options.js';
import { deadLetterMessage, noteFailedAttempt, noteSuccess } from './dead-letter-store.js';
import type { QueueBatch, QueueMessage, WaitUntilContext } from './types.js';

/** Longest delay Cloudflare Queues accepts for `retry({ delaySeconds })`: 12 hours. */
export const MAX_QUEUE_DELAY_SECONDS = 43_200;

/** What `createQueueConsumer` returns: the `queue` handler, and the start-up warnings it gave. */
export interface QueueConsumer<Env> {
  queue(batch: QueueBatch, env: Env, ctx?: WaitUntilContext): Promise<void>;
  readonly warnings: readonly string[];
}

/** A message body as Redrive reads it: `{ type, payload }`; anything else is the queue's own type. */
function route(batch: QueueBatch, message: QueueMessage): { type: string; payload: unknown } {
  const body = message.body as { type?: unknown; payload?: unknown } | null;
  if (typeof body === 'object' && body !== null && typeof body.type === 'string') {
    return { type: body.type, payload: body.payload ?? null };
  }
  return { type: batch.queue, payload: message.body };
}

/** The delay Queues is asked for: whole seconds, rounded up, within its 12-hour limit. */
export function queueDelaySeconds(delayMs: number): number {
  return Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, Math.ceil(delayMs / 1000)));
}

/**
 * Creates a `queue(batch, env, ctx)` handler for a Worker that consumes a Cloudflare Queue.
 *
 * A message's type is its body's `type` when the body is `{ type, payload }` (what
 * `env.QUEUE.send({ type: 'email.send', payload })` produces), else the queue's name, with the
 * whole body as payload. Errors are classified and retried exactly as the runner does for a
 * job; `message.attempts` (1 on the first delivery) is the attempt number. Delays are rounded up
 * to whole seconds and capped at Queues' 12 hours.
 *
 * Set the queue's `max_retries` to at least the policies' `maxAttempts - 1` and pass it as
 * `maxRetries`: a contradiction is warned about at start-up (Cloudflare deletes a message past
 * `max_retries`, or moves it to its own dead-letter queue, before Redrive could dead-letter it).
 *
 * @example
 * ```ts
 * const consumer = createQueueConsumer<Env>({
 *   handlers: { 'email.send': (payload, { env }) => sendEmail(env, payload) },
 *   policies: { 'email.send': { maxAttempts: 5 } },
 *   deadLetter: { d1: (env) => env.DB },
 *   maxRetries: 10,
 * });
 * export default { queue: consumer.queue };
 * ```
 */
export function createQueueConsumer<Env>(options: QueueConsumerOptions<Env>): QueueConsumer<Env> {
  const o = resolveConsumerOptions(options);
  const warnings = attemptWarnings(o);
  const warn = o.onWarning ?? ((message: string) => console.warn(message));
  for (const message of warnings) warn(message);
  return {
    warnings,
    async queue(batch, env, ctx) {
      await Promise.all(batch.messages.map((message) => handleMessage(o, batch, message, env, ctx)));
    },
  };
}

async function handleMessage<Env>(
  o: ResolvedConsumerOptions<Env>,
  batch: QueueBatch,
  message: QueueMessage,
  env: Env,
  ctx: WaitUntilContext | undefined,
): Promise<void> {
  const { type, payload } = route(batch, message);
  const id = `${batch.queue}:${message.id}`;
  const attempt = Math.max(1, message.attempts);
  const handler = o.handlers[type];
  let failure: unknown;
  try {
    if (!handler)
      throw Object.assign(new Error(`no handler for job type "${type}"`), {
        category: 'permanent_validation',
      });
    await handler(payload, { id, type, attempt, message, env });
  } catch (error) {
    failure = error ?? new Error('the handler threw a nullish value');
  }
  if (failure === undefined) {
    message.ack();
    if (attempt > 1) await noteSuccess(o, env, id, ctx);
    return;
  }
  const policy = o.policyFor(type);
  const now = o.now();
  const job = queuedJob(id, type, batch.queue, payload, message, attempt, policy.retry.maxAttempts);
  const decision = decideFailure({
    job,
    leaseToken: '',
    error: failure,
    policy,
    classifier: o.classifier,
    now,
    historyLimit: o.historyLimit,
    maxMessageLength: 2_000,
    maxStackLength: 8_000,
  });
  const request = decision.request;
  if (request.outcome.kind === 'retry') {
    await noteFailedAttempt(o, env, id, request.history, ctx);
    message.retry({ delaySeconds: queueDelaySeconds(decision.delayMs) });
    return;
  }
  const dead: Job = {
    ...job,
    status: 'failed',
    error: request.error.message,
    errorStack: request.error.stack,
    errorCategory: request.error.category,
    lastErrorAt: now,
    failedAt: now,
    updatedAt: now,
    requiresUserAction: request.outcome.requiresUserAction,
    suggestedAction: request.outcome.suggestedAction,
  };
  try {
    await deadLetterMessage(o, env, dead, request.history, batch, message);
  } catch {
    // The dead letter could not be stored: deliver the message again rather than lose it.
    message.retry({ delaySeconds: queueDelaySeconds(decision.delayMs || 1000) });
    return;
  }
  message.ack();
  await runHooks(policy, dead, failure, decision.exhausted);
}

/** The job a message stands for, as `decideFailure` and the dead letter see it. */
function queuedJob(
  id: string,
  type: string,
  queue: string,
  payload: unknown,
  message: QueueMessage,
  attempt: number,
  maxAttempts: number,
): Job {
  const created = message.timestamp instanceof Date ? message.timestamp.getTime() : Date.now();
  const job = jobFromRecord({
    id,
    type,
    queue,
    tenantId: null,
    payload,
    priority: 0,
    runAt: created,
    maxAttempts,
    idempotencyKey: null,
    timeoutMs: null,
    title: null,
    metadata: { source: 'cloudflare-queues', queue, messageId: message.id },
    createdAt: created,
  });
  return { ...job, attempt, startedAt: created };
}

/** The policy's hooks, after the dead letter is stored; a hook that throws loses nothing. */
async function runHooks(
  policy: ReturnType<ResolvedConsumerOptions<unknown>['policyFor']>,
  dead: Job,
  error: unknown,
  exhausted: boolean,
): Promise<void> {
  try {
    if (exhausted) await policy.onRetriesExhausted?.(dead, error);
    await policy.onDeadLetter?.(toDeadLetter(dead));
  } catch {
    // Hooks are notifications: the message is already dead-lettered and acknowledged.
  }
}
