/*
 * Core validates with zod/mini, which carries no message texts of its own: every problem a
 * schema does not word itself is worded by validateWith's error map. These checks pin the words
 * and the field each message names, with a zod locale loaded (an app that also uses full zod)
 * and without one (a Worker that bundles only core).
 */
import { memoryAdapter } from '@redrive/adapter-memory';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createHttpHandler } from '../http/create-http-handler.js';
import { createQueue } from '../queue/create-queue.js';
import { JobRunner } from '../runner/job-runner.js';

const queue = createQueue({ adapter: memoryAdapter() });
const handlers = { a: async () => {} };

const CASES: Array<[string, () => unknown, string]> = [
  [
    'a number below its minimum',
    () => createQueue({ adapter: memoryAdapter(), historyLimit: 0 }),
    '[redrive] [createQueue] historyLimit: must be >= 1',
  ],
  [
    'a fraction where an integer is wanted',
    () => createQueue({ adapter: memoryAdapter(), historyLimit: 1.5 }),
    '[redrive] [createQueue] historyLimit: must be an integer (got number)',
  ],
  [
    'a string too long',
    () => queue.enqueue('t', {}, { title: 'x'.repeat(1001) }),
    '[redrive] [enqueue.options] title: must be at most 1000 characters long',
  ],
  [
    'an empty string',
    () => queue.enqueue('t', {}, { queue: '' }),
    '[redrive] [enqueue.options] queue: must be a non-empty string',
  ],
  [
    'a value of no accepted form',
    () => queue.enqueue('t', {}, { runAt: 'tomorrow' as never }),
    '[redrive] [enqueue.options] runAt: must be a number or a date (got string)',
  ],
  [
    'a value outside an enum',
    () => queue.listJobs({ status: 'nope' as never }),
    '[redrive] [listJobs.filter] status: must be one of "queued", "running", "paused", "completed", "failed", "cancelled" or an array (got string)',
  ],
  [
    'a bad item of a list',
    () => queue.listJobs({ status: ['queued', 'nope'] as never }),
    '[redrive] [listJobs.filter] status.1: must be one of "queued", "running", "paused", "completed", "failed", "cancelled"',
  ],
  [
    'a list too long',
    () => queue.listJobs({ ids: Array.from({ length: 1001 }, (_, i) => `id-${i}`) }),
    '[redrive] [listJobs.filter] ids: must have at most 1000 items',
  ],
  [
    'an empty list',
    () => new JobRunner({ queue, handlers, types: [] }),
    '[redrive] [JobRunner] types: must have at least 1 item',
  ],
  [
    'a wrong type',
    () => new JobRunner({ queue, handlers, workerId: 7 as never }),
    '[redrive] [JobRunner] workerId: must be a string (got number)',
  ],
  [
    'NaN',
    () => new JobRunner({ queue, handlers, concurrency: Number.NaN }),
    '[redrive] [JobRunner] concurrency: must be a finite number (got NaN)',
  ],
  [
    'a string not matching its pattern',
    () => createHttpHandler(queue, { basePath: 'nope' }),
    '[redrive] [http.options] basePath: must look like /api/jobs',
  ],
  [
    'an unknown key',
    () => createQueue({ adapter: memoryAdapter(), bogus: 1 } as never),
    '[redrive] [createQueue] bogus: is not a known option',
  ],
];

async function messageOf(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    expect((error as { code?: string }).code).toBe('VALIDATION_ERROR');
    return (error as Error).message;
  }
  throw new Error('expected a ValidationError');
}

describe.each([
  ['with a zod locale loaded', () => z.config(z.locales.en())],
  ['without a zod locale', () => z.config({ localeError: undefined })],
])('validation messages %s', (_label, setUp) => {
  setUp();
  afterAll(() => z.config(z.locales.en()));
  it.each(CASES)('%s names the field and says what is wrong', async (_what, run, expected) => {
    setUp();
    expect(await messageOf(run)).toBe(expected);
  });
});
