// createHttpClient against the real handler of @redrive/core/http, in process (fetch → handler).
import { createHttpHandler } from '@redrive/core/http';
import { describe, expect, it } from 'vitest';
import { createHttpClient } from '../client/create-http-client.js';
import { isJobsClientError, JobsClientError } from '../client/jobs-client-error.js';
import { seededQueue } from './fixtures.js';

async function setup(options: { readOnly?: boolean } = {}) {
  const seeded = await seededQueue();
  const handler = createHttpHandler(seeded.queue, { basePath: '/tools/queue', readOnly: options.readOnly });
  const requests: Request[] = [];
  const client = createHttpClient({
    baseUrl: 'https://app.example/tools/queue/',
    headers: () => ({ authorization: 'Bearer t0k3n' }),
    credentials: 'include',
    fetch: async (input, init) => {
      const request = new Request(input, init);
      requests.push(request.clone());
      return handler(request);
    },
  });
  return { ...seeded, client, requests };
}

describe('createHttpClient', () => {
  it('lists with filters and keyset pages under a runtime base path, with the headers given', async () => {
    const { client, requests } = await setup();
    const first = await client.listJobs({ status: ['queued', 'paused'], limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await client.listJobs({
      status: ['queued', 'paused'],
      limit: 2,
      cursor: first.nextCursor,
    });
    expect(second.items.map((j) => j.status).sort()).toEqual(['queued']);
    expect(second.nextCursor).toBeNull();
    const url = new URL(requests[0]!.url);
    expect(url.pathname).toBe('/tools/queue/jobs');
    expect(url.searchParams.get('status')).toBe('queued,paused');
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer t0k3n');
    expect(requests[0]!.credentials).toBe('include');
    expect((await client.listJobs({ q: 'quarterly' })).items.map((j) => j.title)).toEqual([
      'Quarterly report',
    ]);
  });

  it('reads a job, its history, stats, dead letters and health', async () => {
    const { client, ids } = await setup();
    expect((await client.getJob(ids.failed)).status).toBe('failed');
    const history = await client.getHistory(ids.failed);
    expect(history).toMatchObject({ jobId: ids.failed, totalAttempts: 1 });
    expect(history.retries[0]).toMatchObject({
      attempt: 1,
      errorCategory: 'permanent_validation',
      deadLettered: true,
    });
    expect((await client.getStats()).counts).toMatchObject({ failed: 1, running: 1, paused: 1 });
    const dlq = await client.listDeadLetters({ errorCategory: 'permanent_validation' });
    expect(dlq.items.map((d) => d.id)).toEqual([ids.failed]);
    expect(dlq.items[0]).toMatchObject({ requiresUserAction: true, suggestedAction: expect.any(String) });
    expect((await client.health()).ok).toBe(true);
    const buckets = await client.throughput!({ since: Date.now() - 600_000 });
    expect(buckets.reduce((n, b) => n + b.completed, 0)).toBe(1);
    expect(buckets.reduce((n, b) => n + b.failed, 0)).toBe(1);
  });

  it('acts, bulk-acts on a filter or ids, redrives and purges, sending JSON bodies', async () => {
    const { client, ids, queue, requests } = await setup();
    expect((await client.act(ids.queued, 'pause', { reason: 'hold' })).pauseReason).toBe('hold');
    expect(requests.at(-1)!.headers.get('content-type')).toBe('application/json');
    expect((await client.act(ids.queued, 'resume')).status).toBe('queued');
    expect((await client.act(ids.completed, 'restart')).status).toBe('queued');
    const bulk = await client.bulk('cancel', { ids: [ids.queued, ids.completed, ids.cancelled] }, 10);
    expect(bulk.succeeded.sort()).toEqual([ids.queued, ids.completed].sort());
    expect((await queue.getJob(ids.cancelled)).status).toBe('cancelled');
    expect(
      await client.redrive({ query: { errorCategory: 'permanent_validation' }, limit: 5 }),
    ).toMatchObject({
      succeeded: [ids.failed],
    });
    await client.deleteJob(ids.cancelled);
    await expect(queue.getJob(ids.cancelled)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await client.purgeDeadLetters({ olderThanMs: 1000 })).toEqual({ deleted: 0 });
  });

  it('rejects with typed errors carrying code, message, issues and status', async () => {
    const { client, ids } = await setup();
    const notFound = await client.getJob('nope').catch((e) => e);
    expect(notFound).toBeInstanceOf(JobsClientError);
    expect(notFound).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    const invalid = await client.act(ids.completed, 'resume').catch((e) => e);
    expect(invalid).toMatchObject({
      code: 'INVALID_STATE',
      status: 409,
      message: expect.stringContaining(ids.completed),
    });
    const bad = await client.listJobs({ limit: 5000 }).catch((e) => e);
    expect(bad).toMatchObject({ code: 'VALIDATION_ERROR', status: 400 });
    expect(bad.issues[0]).toMatchObject({ path: expect.stringContaining('limit') });
    // A server without the throughput route (an older one): NOT_FOUND, which hides the chart.
    const older = createHttpClient({
      baseUrl: '/api',
      fetch: async () => new Response('Not Found', { status: 404 }),
    });
    expect(await older.throughput!({ since: 0 }).catch((e) => e)).toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
    });
    // The throughput route refuses a window longer than a day, naming the field.
    expect(await client.throughput!({ since: 0 }).catch((e) => [e.code, e.issues?.[0]?.path])).toEqual([
      'VALIDATION_ERROR',
      'since',
    ]);
    expect(isJobsClientError(notFound)).toBe(true);
  });

  it('a read-only API refuses changes with FORBIDDEN; no answer at all is NETWORK_ERROR', async () => {
    const { client, ids } = await setup({ readOnly: true });
    expect(await client.act(ids.failed, 'retry').catch((e) => e)).toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
    });
    const offline = createHttpClient({
      baseUrl: '/api',
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    expect(await offline.getStats().catch((e) => e)).toMatchObject({
      code: 'NETWORK_ERROR',
      message: '[redrive] [client] GET /stats: no answer (fetch failed)',
    });
    expect(() => createHttpClient({} as never)).toThrow(/baseUrl must be a string/);
  });
});
