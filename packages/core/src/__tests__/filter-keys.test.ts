/*
 * One filter vocabulary: every API and HTTP route that selects jobs takes exactly the keys of
 * JOB_FILTER_KEYS, refuses any other naming it, and the HTTP guide's table lists exactly them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { memoryAdapter } from '@redrive/adapter-memory';
import { beforeEach, describe, expect, it } from 'vitest';
import type { JobFilter } from '../adapter/requests.js';
import { FakeClock } from '../clock/fake-clock.js';
import { NonRetryableError } from '../errors/job-errors.js';
import { createHttpHandler } from '../http/create-http-handler.js';
import { createQueue } from '../queue/create-queue.js';
import { JOB_FILTER_KEYS } from '../queue/filter-keys.js';
import type { Queue } from '../queue/types.js';
import { JobRunner } from '../runner/job-runner.js';

const T0 = 1_700_000_000_000;
let clock: FakeClock;
let queue: Queue;
let handler: (request: Request) => Promise<Response>;

beforeEach(() => {
  clock = new FakeClock(T0);
  queue = createQueue({ adapter: memoryAdapter(), clock });
  handler = createHttpHandler(queue);
});

/** A value of each key, in code / JSON and in a query string. */
const SAMPLE: Record<(typeof JOB_FILTER_KEYS)[number], [unknown, string]> = {
  status: ['failed', 'failed'],
  type: [['charge', 'refund'], 'charge,refund'],
  queue: ['default', 'default'],
  tenantId: ['acme', 'acme'],
  errorCategory: ['permanent_validation', 'permanent_validation'],
  q: ['declined', 'declined'],
  createdFrom: [T0 - 1, String(T0 - 1)],
  createdTo: [T0 + 1, new Date(T0 + 1).toISOString()],
  failedFrom: [T0 - 1, String(T0 - 1)],
  failedTo: [T0 + 1, String(T0 + 1)],
  ids: [['x'], 'x'],
};

/** Every place that takes a filter, in code: each resolves with a filter it accepts. */
const API: Array<[string, (filter: JobFilter) => Promise<unknown>]> = [
  ['listJobs', (f) => queue.listJobs(f)],
  ['stats', (f) => queue.stats(f)],
  ['bulk', (f) => queue.bulk('cancel', f, 10)],
  ['deadLetters.list', (f) => queue.deadLetters.list(f)],
  ['deadLetters.count', (f) => queue.deadLetters.count(f)],
  ['deadLetters.redrive', (f) => queue.deadLetters.redrive({ filter: f })],
  ['deadLetters.delete', (f) => queue.deadLetters.delete({ filter: f })],
  ['deadLetters.purge', (f) => queue.deadLetters.purge({ filter: f })],
];

/** Every route that takes a filter, as a request carrying it. */
const ROUTES: Array<[string, (filter: Record<string, unknown>, query: string) => Request]> = [
  ['GET /jobs', (_f, q) => new Request(`http://x/jobs?${q}`)],
  ['GET /dead-letters', (_f, q) => new Request(`http://x/dead-letters?${q}`)],
  ['GET /stats', (_f, q) => new Request(`http://x/stats?${q}`)],
  ['POST /jobs/bulk', (filter) => post('/jobs/bulk', { action: 'retry', filter })],
  ['POST /dead-letters/redrive', (filter) => post('/dead-letters/redrive', { filter })],
  ['POST /dead-letters/purge', (filter) => post('/dead-letters/purge', { filter })],
];

function post(path: string, body: unknown): Request {
  return new Request(`http://x${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('every filter key is accepted everywhere', () => {
  for (const key of JOB_FILTER_KEYS) {
    const [value, text] = SAMPLE[key];
    it.each(API)(`%s takes ${key}`, async (_name, call) => {
      await expect(call({ [key]: value } as JobFilter)).resolves.toBeDefined();
    });
    it.each(ROUTES)(`%s takes ${key}`, async (_name, request) => {
      const res = await handler(request({ [key]: value }, `${key}=${encodeURIComponent(text)}`));
      expect(res.status, await res.clone().text()).toBe(200);
    });
  }
});

describe('any other key is refused, naming it', () => {
  it.each(API)('%s refuses category, naming errorCategory', async (_name, call) => {
    await expect(call({ category: 'permanent_auth' } as never)).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringMatching(/category: is not a filter key \(use errorCategory\)/),
    });
  });
  it.each(ROUTES)('%s refuses category and from, naming the keys to use', async (_name, request) => {
    const res = await handler(
      request({ category: 'permanent_auth', from: 1 }, 'category=permanent_auth&from=1'),
    );
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as {
      error: { code: string; issues: Array<{ path: string; message: string }> };
    };
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.issues.map((i) => [i.path.split('.').at(-1), i.message])).toEqual([
      ['category', 'is not a filter key (use errorCategory)'],
      ['from', 'is not a filter key (use createdFrom (jobs) or failedFrom (dead letters))'],
    ]);
  });
  it('refuses an unknown key with the list of known ones', async () => {
    await expect(queue.listJobs({ stauts: 'failed' } as never)).rejects.toThrow(
      `[redrive] [listJobs.filter] stauts: is not a filter key (known: ${JOB_FILTER_KEYS.join(', ')})`,
    );
  });
});

describe('the same filter selects the same jobs in code and over HTTP', () => {
  it('errorCategory and failedFrom on dead letters: list, redrive, purge', async () => {
    await queue.enqueue('charge', 1);
    await queue.enqueue('charge', 2);
    await new JobRunner({
      queue,
      handlers: {
        charge: async (job) => {
          if (job.payload === 1) throw new NonRetryableError('declined');
          throw Object.assign(new Error('nope'), { status: 401 });
        },
      },
    }).drain();
    const filter = { errorCategory: 'permanent_auth' as const, failedFrom: T0 };
    const inCode = (await queue.deadLetters.list(filter)).deadLetters.map((d) => d.id);
    expect(inCode).toHaveLength(1);
    const res = await handler(
      new Request(`http://x/dead-letters?errorCategory=permanent_auth&failedFrom=${T0}`),
    );
    const overHttp = ((await res.json()) as { deadLetters: Array<{ id: string }> }).deadLetters.map(
      (d) => d.id,
    );
    expect(overHttp).toEqual(inCode);

    // purge with a filter deletes only the matching dead letters older than the cut-off.
    await clock.advance(10_000);
    const purged = await handler(post('/dead-letters/purge', { olderThanMs: 5_000, filter }));
    expect(await purged.json()).toEqual({ deleted: 1 });
    expect(await queue.deadLetters.count()).toBe(1);
    expect(await queue.deadLetters.purge({ olderThanMs: 20_000 })).toEqual({ deleted: 0 });
  });
});

describe('the HTTP guide', () => {
  it('documents exactly the filter keys, in one table', () => {
    const guide = readFileSync(
      fileURLToPath(new URL('../../../../docs/guides/http-api.md', import.meta.url)),
      'utf8',
    );
    const section = guide.split('\n## Filters\n')[1]?.split('\n## ')[0] ?? '';
    const documented = [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual([...JOB_FILTER_KEYS]);
  });
});
