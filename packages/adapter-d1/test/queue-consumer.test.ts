/*
 * The Queues consumer against Miniflare's real D1: one batch where a message fails transiently,
 * one permanently and one succeeds; then the transient one again on its last attempt. Messages
 * are Cloudflare's `Message` interface recording what the consumer called (ack / retry with its
 * delay), so each outcome is checked exactly.
 */
import { createQueue } from '@redrive/core';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createQueueConsumer, d1Adapter, type QueueMessage } from '../src/index.js';
import { startD1, type TestD1 } from './miniflare.js';

let d1: TestD1;
beforeAll(async () => {
  d1 = await startD1();
  await d1Adapter(d1.db).migrate();
});
afterAll(() => d1?.dispose());
beforeEach(() => d1.empty());

const T = 1_700_000_000_000;

interface Delivered extends QueueMessage {
  outcome: string[];
}

function message(id: string, body: unknown, attempts: number): Delivered {
  const outcome: string[] = [];
  return {
    id,
    timestamp: new Date(T - 60_000),
    body,
    attempts,
    outcome,
    ack: () => outcome.push('ack'),
    retry: (options) => outcome.push(`retry:${options?.delaySeconds}`),
  };
}

class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

function consumer(onWarning?: (m: string) => void) {
  return createQueueConsumer<{ DB: typeof d1.db }>({
    handlers: {
      charge: (payload: { mode: string }) => {
        if (payload.mode === 'flaky') throw new HttpError('upstream 503', 503);
        if (payload.mode === 'bad') throw new HttpError('card declined: invalid number', 422);
        return 'charged';
      },
    },
    policies: { charge: { maxAttempts: 3, initialDelayMs: 10_000, backoffMultiplier: 3, jitter: 'none' } },
    deadLetter: { d1: (env) => env.DB },
    maxRetries: 2,
    now: () => T,
    onWarning,
  });
}

it('one batch: transient → retry with the policy delay, permanent → D1 dead letter + ack, success → ack; last attempt → dead letter with every attempt in its history', async () => {
  const env = { DB: d1.db };
  const flaky = message('m-flaky', { type: 'charge', payload: { mode: 'flaky' } }, 1);
  const bad = message('m-bad', { type: 'charge', payload: { mode: 'bad' } }, 1);
  const ok = message('m-ok', { type: 'charge', payload: { mode: 'ok' } }, 1);
  await consumer().queue({ queue: 'payments', messages: [flaky, bad, ok] }, env);

  expect(flaky.outcome).toEqual(['retry:10']); // 10 s, attempt 1
  expect(ok.outcome).toEqual(['ack']);
  expect(bad.outcome).toEqual(['ack']);

  const queue = createQueue({ adapter: d1Adapter(d1.db, { migrate: false }) });
  const dead = await queue.deadLetters.get('payments:m-bad');
  expect(dead).toMatchObject({
    type: 'charge',
    payload: { mode: 'bad' },
    errorCategory: 'permanent_validation',
    requiresUserAction: true,
  });
  expect(dead?.history?.map((h) => [h.attempt, h.errorCategory, h.deadLettered])).toEqual([
    [1, 'permanent_validation', true],
  ]);

  // Second delivery of the flaky one: 30 s (10 × 3). Third and last (maxAttempts 3): dead letter.
  const second = message('m-flaky', flaky.body, 2);
  await consumer().queue({ queue: 'payments', messages: [second] }, env);
  expect(second.outcome).toEqual(['retry:30']);
  const last = message('m-flaky', flaky.body, 3);
  await consumer().queue({ queue: 'payments', messages: [last] }, env);
  expect(last.outcome).toEqual(['ack']);

  const exhausted = await queue.deadLetters.get('payments:m-flaky');
  expect(exhausted).toMatchObject({
    errorCategory: 'transient_server',
    attempts: 3,
    maxAttempts: 3,
    requiresUserAction: false,
  });
  expect(exhausted?.history?.map((h) => [h.attempt, h.delayMs, h.deadLettered])).toEqual([
    [1, 10_000, false],
    [2, 30_000, false],
    [3, 0, true],
  ]);
  expect((await queue.deadLetters.list({ limit: 10 })).deadLetters.map((d) => d.id).sort()).toEqual([
    'payments:m-bad',
    'payments:m-flaky',
  ]);
});

it('a message that succeeds after failures leaves no history behind; unknown types dead-letter', async () => {
  const env = { DB: d1.db };
  await consumer().queue(
    { queue: 'payments', messages: [message('m1', { type: 'charge', payload: { mode: 'flaky' } }, 1)] },
    env,
  );
  const later = message('m1', { type: 'charge', payload: { mode: 'ok' } }, 2);
  await consumer().queue({ queue: 'payments', messages: [later] }, env);
  expect(later.outcome).toEqual(['ack']);
  expect((await d1.db.prepare('SELECT count(*) AS n FROM redrive_job_history').first())?.n).toBe(0);

  const stray = message('m2', { type: 'nobody', payload: {} }, 1);
  await consumer().queue({ queue: 'payments', messages: [stray] }, env);
  expect(stray.outcome).toEqual(['ack']);
  const queue = createQueue({ adapter: d1Adapter(d1.db, { migrate: false }) });
  expect(await queue.deadLetters.get('payments:m2')).toMatchObject({
    errorCategory: 'permanent_validation',
    error: 'no handler for job type "nobody"',
  });
});

it('a delay beyond Queues 12-hour limit is capped, and sending to a DLQ binding works', async () => {
  const sent: unknown[] = [];
  const c = createQueueConsumer<object>({
    handlers: { slow: () => Promise.reject(new HttpError('busy', 503)) },
    policies: {
      slow: { maxAttempts: 2, initialDelayMs: 86_400_000, maxDelayMs: 172_800_000, jitter: 'none' },
    },
    deadLetter: { queue: () => ({ send: async (body) => void sent.push(body) }) },
    now: () => T,
  });
  const first = message('s1', { type: 'slow', payload: 1 }, 1);
  await c.queue({ queue: 'jobs', messages: [first] }, {});
  expect(first.outcome).toEqual(['retry:43200']);
  const second = message('s1', { type: 'slow', payload: 1 }, 2);
  await c.queue({ queue: 'jobs', messages: [second] }, {});
  expect(second.outcome).toEqual(['ack']);
  expect(sent).toEqual([
    expect.objectContaining({
      id: 'jobs:s1',
      type: 'slow',
      attempts: 2,
      error: expect.objectContaining({ category: 'transient_server' }),
    }),
  ]);
});

it('warns at start-up when a policy allows more attempts than max_retries delivers', () => {
  const warnings: string[] = [];
  createQueueConsumer({
    handlers: { a: () => {}, b: () => {} },
    policies: { a: { maxAttempts: 5 }, b: { maxAttempts: 3 } },
    deadLetter: { d1: () => d1.db },
    maxRetries: 2,
    onWarning: (m) => warnings.push(m),
  });
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(
    /policy for "a" allows 5 attempts but the queue delivers a message at most 3 times/,
  );
  expect(consumer((m) => warnings.push(m)).warnings).toEqual([]);
  expect(() => createQueueConsumer({ handlers: {}, deadLetter: {} as never })).toThrow(/deadLetter must be/);
});
