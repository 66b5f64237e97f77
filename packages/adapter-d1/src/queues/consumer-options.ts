import {
  type JobTypePolicy,
  type QueueClassifierOptions,
  type ResolvedPolicy,
  resolvePolicy,
  ValidationError,
} from '@redrive/core';
import type { SqlExecutor } from '../dialect/executor.js';
import type { QueueMessage, QueueSender } from './types.js';

/** What a handler gets besides the payload. */
export interface QueueJobContext<Env> {
  /** The dead letter's job id if this message is dead-lettered: `<queue>:<message id>`. */
  id: string;
  type: string;
  /** This delivery's number, from 1 (`message.attempts`). */
  attempt: number;
  message: QueueMessage;
  env: Env;
}

/** Handles one message's payload; throw to fail the attempt (classified like a job's error). */
export type QueueJobHandler<Env> = (payload: any, context: QueueJobContext<Env>) => unknown;

/** Where messages that failed for good go. */
export type QueueDeadLetterTarget<Env> =
  /** A Redrive dead letter in D1 (full context and history): listed and redriven like any job. */
  | { d1: (env: Env) => SqlExecutor }
  /** A producer binding of a queue you consume yourself: the message, error and attempts are sent to it. */
  | { queue: (env: Env) => QueueSender };

/** Options of `createQueueConsumer`. */
export interface QueueConsumerOptions<Env> {
  /** One handler per job type; a message's type is its body's `type` (see createQueueConsumer). */
  handlers: Record<string, QueueJobHandler<Env>>;
  /** Retry policies per type, as `createQueue`'s (maxAttempts, backoff, rules, hooks). */
  policies?: Record<string, JobTypePolicy> | undefined;
  /** Policy for types without an entry in `policies`. Default: 5 attempts, 1 s doubling to 60 s. */
  defaultPolicy?: JobTypePolicy | undefined;
  classifier?: QueueClassifierOptions | undefined;
  deadLetter: QueueDeadLetterTarget<Env>;
  /**
   * The queue's `max_retries` from wrangler.toml (Cloudflare's default is 3, i.e. 4 deliveries).
   * When given, a policy allowing more attempts than the queue delivers is reported through
   * `onWarning` at start-up: Cloudflare would delete (or move to its own DLQ) the message first.
   */
  maxRetries?: number | undefined;
  /** Start-up warnings. Default: `console.warn`. */
  onWarning?: ((message: string) => void) | undefined;
  /** History entries kept per dead letter. Default 25. */
  historyLimit?: number | undefined;
  /** The clock. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/** The options, validated, with each policy resolved. */
export interface ResolvedConsumerOptions<Env> extends QueueConsumerOptions<Env> {
  policyFor(type: string): ResolvedPolicy;
  historyLimit: number;
  now: () => number;
}

function invalid(path: string, message: string): ValidationError {
  return new ValidationError(`[redrive] [queues] createQueueConsumer: ${path} ${message}`, {
    issues: [{ path, message }],
  });
}

/** Validates the options and resolves the policies once, at start-up. */
export function resolveConsumerOptions<Env>(o: QueueConsumerOptions<Env>): ResolvedConsumerOptions<Env> {
  if (typeof o !== 'object' || o === null) throw invalid('options', 'must be an object');
  if (typeof o.handlers !== 'object' || o.handlers === null)
    throw invalid('handlers', 'must be an object of functions');
  for (const [type, handler] of Object.entries(o.handlers)) {
    if (typeof handler !== 'function') throw invalid(`handlers.${type}`, 'must be a function');
  }
  const target = o.deadLetter as Record<string, unknown> | undefined;
  if (typeof target?.d1 !== 'function' && typeof target?.queue !== 'function') {
    throw invalid('deadLetter', 'must be { d1: (env) => env.DB } or { queue: (env) => env.DLQ }');
  }
  if (
    o.maxRetries !== undefined &&
    (!Number.isInteger(o.maxRetries) || o.maxRetries < 0 || o.maxRetries > 100)
  ) {
    throw invalid('maxRetries', 'must be an integer from 0 to 100 (Cloudflare Queues max_retries)');
  }
  const historyLimit = o.historyLimit ?? 25;
  if (!Number.isInteger(historyLimit) || historyLimit < 1)
    throw invalid('historyLimit', 'must be an integer >= 1');
  const defaults = { unknownIsRetryable: o.classifier?.unknownIsRetryable };
  const resolved = new Map<string, ResolvedPolicy>();
  for (const [type, policy] of Object.entries(o.policies ?? {})) {
    resolved.set(type, resolvePolicy(policy, `createQueueConsumer.policies.${type}`, undefined, defaults));
  }
  const fallback = resolvePolicy(
    o.defaultPolicy ?? {},
    'createQueueConsumer.defaultPolicy',
    undefined,
    defaults,
  );
  return {
    ...o,
    historyLimit,
    now: o.now ?? Date.now,
    policyFor: (type) => resolved.get(type) ?? fallback,
  };
}

/**
 * The start-up check: a policy that allows more attempts than the queue delivers a message
 * (max_retries + 1) never reaches its own dead-lettering; Cloudflare drops the message first.
 */
export function attemptWarnings<Env>(o: ResolvedConsumerOptions<Env>): string[] {
  if (o.maxRetries === undefined) return [];
  const deliveries = o.maxRetries + 1;
  const types = new Set([...Object.keys(o.handlers), ...Object.keys(o.policies ?? {})]);
  const warnings: string[] = [];
  for (const type of types) {
    const attempts = o.policyFor(type).retry.maxAttempts;
    if (attempts > deliveries) {
      warnings.push(
        `[redrive] [queues] policy for "${type}" allows ${attempts} attempts but the queue delivers a message at most ${deliveries} times (max_retries = ${o.maxRetries}): Cloudflare deletes it, or moves it to the queue's own dead_letter_queue, before Redrive can dead-letter it. Set max_retries to at least ${attempts - 1}, or maxAttempts to at most ${deliveries}.`,
      );
    }
  }
  return warnings;
}
