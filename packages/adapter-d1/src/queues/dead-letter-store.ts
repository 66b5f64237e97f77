/*
 * Where the consumer keeps what it knows about failing messages. With a D1 target: each failed
 * delivery that will be retried appends a history row (so the dead letter carries every
 * attempt's error), a message that later succeeds drops them, and a dead letter is one batch
 * (job row + final history row). With a queue binding: the dead letter is one `send`.
 */
import type { Job, RetryHistoryEntry } from '@redrive/core';
import type { SqlContext } from '../dialect/sql/context.js';
import { forgetAttempts, recordAttempt, storeDeadLetter } from '../dialect/sql/dead-letter.js';
import type { ResolvedConsumerOptions } from './consumer-options.js';
import type { QueueBatch, QueueMessage, WaitUntilContext } from './types.js';

function d1<Env>(o: ResolvedConsumerOptions<Env>, env: Env): SqlContext | null {
  return 'd1' in o.deadLetter ? { db: o.deadLetter.d1(env), adapter: 'd1' } : null;
}

/** Records a failed delivery that will be retried (D1 target only). A failure here is not fatal. */
export async function noteFailedAttempt<Env>(
  o: ResolvedConsumerOptions<Env>,
  env: Env,
  id: string,
  entry: RetryHistoryEntry,
  ctx: WaitUntilContext | undefined,
): Promise<void> {
  const c = d1(o, env);
  if (!c) return;
  const write = recordAttempt(c, id, entry).catch(() => {});
  if (ctx) ctx.waitUntil(write);
  else await write;
}

/** A message that failed before now succeeded: its attempt history goes (D1 target only). */
export async function noteSuccess<Env>(
  o: ResolvedConsumerOptions<Env>,
  env: Env,
  id: string,
  ctx: WaitUntilContext | undefined,
): Promise<void> {
  const c = d1(o, env);
  if (!c) return;
  const write = forgetAttempts(c, id).catch(() => {});
  if (ctx) ctx.waitUntil(write);
  else await write;
}

/** Stores the dead letter; throws when it could not be stored (the message is then retried). */
export async function deadLetterMessage<Env>(
  o: ResolvedConsumerOptions<Env>,
  env: Env,
  dead: Job,
  final: RetryHistoryEntry,
  batch: QueueBatch,
  message: QueueMessage,
): Promise<void> {
  const c = d1(o, env);
  if (c) {
    await storeDeadLetter(c, dead, final, o.historyLimit);
    return;
  }
  if ('queue' in o.deadLetter) {
    await o.deadLetter.queue(env).send({
      id: dead.id,
      type: dead.type,
      payload: dead.payload,
      queue: batch.queue,
      messageId: message.id,
      attempts: dead.attempt,
      error: { message: dead.error, category: dead.errorCategory, stack: dead.errorStack },
      requiresUserAction: dead.requiresUserAction,
      suggestedAction: dead.suggestedAction,
      failedAt: dead.failedAt,
    });
  }
}
