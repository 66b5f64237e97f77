import { memoryAdapter } from '@redrive/adapter-memory';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import { NonRetryableError } from '../errors/job-errors.js';
import { createHttpHandler } from '../http/create-http-handler.js';
import { HttpError } from '../http/http-errors.js';
import type { HttpAuditEvent, HttpHandlerOptions } from '../http/http-options.js';
import { createQueue } from '../queue/create-queue.js';
import type { Queue } from '../queue/types.js';
import { JobRunner } from '../runner/job-runner.js';

const BASE = 'http://localhost/api';

let clock: FakeClock;
let queue: Queue;

beforeEach(() => {
  clock = new FakeClock(1_700_000_000_000);
  queue = createQueue({ adapter: memoryAdapter(), clock });
});

/** A handler whose callers say who they are with an `x-tenant` header (absent → 401). */
function tenantHandler(extra: HttpHandlerOptions = {}) {
  return createHttpHandler(queue, {
    basePath: '/api',
    authorize: (req) => {
      const tenant = req.headers.get('x-tenant');
      if (tenant === 'blocked') throw new HttpError('FORBIDDEN', 'blocked tenant');
      return tenant ? { tenantId: tenant, readOnly: req.headers.get('x-read-only') === '1' } : null;
    },
    ...extra,
  });
}

async function call(
  handler: (r: Request) => Promise<Response>,
  method: string,
  path: string,
  options: { body?: unknown; tenant?: string; headers?: Record<string, string>; rawBody?: BodyInit } = {},
) {
  // A client says its POST is JSON (body or not): the API refuses anything else (415).
  const headers: Record<string, string> = method === 'POST' ? { 'content-type': 'application/json' } : {};
  Object.assign(headers, options.headers);
  if (options.tenant) headers['x-tenant'] = options.tenant;
  let body: BodyInit | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const res = await handler(new Request(`${BASE}${path}`, { method, headers, body: body ?? null }));
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Runs every due job once through a runner whose handlers fail as told. */
async function runOnce(handlers: Record<string, () => unknown>) {
  const runner = new JobRunner({
    queue,
    handlers: Object.fromEntries(Object.entries(handlers).map(([t, fn]) => [t, async () => fn()])),
  });
  await runner.drain({ maxJobs: 100 });
}

describe('HTTP API: jobs', () => {
  it('creates a job in the caller tenant whatever the body says, and reads it back', async () => {
    const h = tenantHandler();
    const created = await call(h, 'POST', '/jobs', {
      tenant: 'acme',
      body: { type: 'email', payload: { to: 'a@b.c' }, options: { tenantId: 'evil', title: 'Welcome mail' } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'email',
      tenantId: 'acme',
      status: 'queued',
      title: 'Welcome mail',
    });
    const read = await call(h, 'GET', `/jobs/${created.body.id}`, { tenant: 'acme' });
    expect(read.status).toBe(200);
    expect(read.body.payload).toEqual({ to: 'a@b.c' });
  });

  it("answers 404 for another tenant's job, and hides it from lists, stats and actions", async () => {
    const h = tenantHandler();
    const theirs = (await call(h, 'POST', '/jobs', { tenant: 'other', body: { type: 'email', payload: 1 } }))
      .body;
    await call(h, 'POST', '/jobs', { tenant: 'acme', body: { type: 'email', payload: 2 } });

    expect((await call(h, 'GET', `/jobs/${theirs.id}`, { tenant: 'acme' })).status).toBe(404);
    expect((await call(h, 'GET', `/jobs/${theirs.id}/retries`, { tenant: 'acme' })).status).toBe(404);
    expect((await call(h, 'POST', `/jobs/${theirs.id}/cancel`, { tenant: 'acme' })).status).toBe(404);
    expect((await call(h, 'DELETE', `/jobs/${theirs.id}`, { tenant: 'acme' })).status).toBe(404);
    const list = await call(h, 'GET', '/jobs', { tenant: 'acme' });
    expect(list.body.jobs.map((j: { payload: number }) => j.payload)).toEqual([2]);
    const sneaky = await call(h, 'GET', '/jobs?tenantId=other', { tenant: 'acme' });
    expect(sneaky.body.jobs.every((j: { tenantId: string }) => j.tenantId === 'acme')).toBe(true);
    const stats = await call(h, 'GET', '/stats', { tenant: 'acme' });
    expect(stats.body.counts.queued).toBe(1);
    const bulk = await call(h, 'POST', '/jobs/bulk', {
      tenant: 'acme',
      body: { action: 'cancel', filter: { tenantId: 'other' }, limit: 10 },
    });
    expect(bulk.status).toBe(200);
    expect((await queue.getJob(theirs.id)).status).toBe('queued');
  });

  it('lists with filters and keyset pagination', async () => {
    const h = tenantHandler();
    for (let i = 0; i < 5; i++) {
      await clock.advance(1);
      await call(h, 'POST', '/jobs', { tenant: 't', body: { type: i % 2 ? 'odd' : 'even', payload: i } });
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await call(h, 'GET', `/jobs?limit=2${q}`, { tenant: 't' });
      expect(page.status).toBe(200);
      seen.push(...page.body.jobs.map((j: { payload: number }) => j.payload));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([4, 3, 2, 1, 0]);
    const odd = await call(h, 'GET', '/jobs?type=odd&status=queued,running', { tenant: 't' });
    expect(odd.body.jobs.map((j: { payload: number }) => j.payload)).toEqual([3, 1]);
  });

  it('runs guarded actions and answers 409 INVALID_STATE when the status does not fit', async () => {
    const h = tenantHandler();
    const job = (await call(h, 'POST', '/jobs', { tenant: 't', body: { type: 'x', payload: null } })).body;
    const resume = await call(h, 'POST', `/jobs/${job.id}/resume`, { tenant: 't' });
    expect(resume.status).toBe(409);
    expect(resume.body.error.code).toBe('INVALID_STATE');
    const pause = await call(h, 'POST', `/jobs/${job.id}/pause`, {
      tenant: 't',
      body: { reason: 'maintenance' },
    });
    expect(pause.status).toBe(200);
    expect(pause.body).toMatchObject({ status: 'paused', pauseReason: 'maintenance' });
    expect((await call(h, 'POST', `/jobs/${job.id}/resume`, { tenant: 't' })).body.status).toBe('queued');
    expect((await call(h, 'POST', `/jobs/${job.id}/cancel`, { tenant: 't' })).body.status).toBe('cancelled');
    expect((await call(h, 'POST', `/jobs/${job.id}/retry`, { tenant: 't' })).body.status).toBe('queued');
    expect((await call(h, 'DELETE', `/jobs/${job.id}`, { tenant: 't' })).status).toBe(200);
    expect((await call(h, 'GET', `/jobs/${job.id}`, { tenant: 't' })).status).toBe(404);
  });

  it('serves the retry history of a job', async () => {
    const h = tenantHandler();
    const job = (await call(h, 'POST', '/jobs', { tenant: 't', body: { type: 'flaky', payload: null } }))
      .body;
    await runOnce({
      flaky: () => {
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      },
    });
    const res = await call(h, 'GET', `/jobs/${job.id}/retries`, { tenant: 't' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ jobId: job.id, totalAttempts: 1 });
    expect(res.body.retries).toHaveLength(1);
    expect(res.body.retries[0]).toMatchObject({
      attempt: 1,
      errorCategory: 'transient_network',
      delayMs: expect.any(Number),
    });
  });
});

describe('HTTP API: input and auth', () => {
  it('401 without a caller, 403 when authorize refuses or the caller is read-only', async () => {
    const h = tenantHandler();
    const none = await call(h, 'GET', '/jobs');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHORIZED');
    expect((await call(h, 'GET', '/jobs', { tenant: 'blocked' })).status).toBe(403);
    const ro = await call(h, 'POST', '/jobs', {
      tenant: 't',
      headers: { 'x-read-only': '1' },
      body: { type: 'x', payload: 1 },
    });
    expect(ro.status).toBe(403);
    expect(ro.body.error.code).toBe('FORBIDDEN');
    expect((await queue.listJobs()).jobs).toHaveLength(0);
    expect((await call(h, 'GET', '/jobs', { tenant: 't', headers: { 'x-read-only': '1' } })).status).toBe(
      200,
    );
  });

  it('a read-only handler refuses every change', async () => {
    const h = createHttpHandler(queue, { readOnly: true });
    const res = await h(
      new Request('http://x/jobs', { method: 'POST', body: JSON.stringify({ type: 'a' }) }),
    );
    expect(res.status).toBe(403);
  });

  it('400 VALIDATION_ERROR naming the field, and nothing is written', async () => {
    const h = tenantHandler();
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/jobs', { payload: 1 }, 'type'],
      ['POST', '/jobs', { type: 'x', options: { delayMs: -5 } }, 'delayMs'],
      ['POST', '/jobs', { type: 'x', options: { db: {} } }, 'db'],
      ['POST', '/jobs', { type: 'x', options: { maxAttempts: 2, maxRetries: 3 } }, 'maxAttempts'],
      ['POST', '/jobs', { type: 'x', extra: true }, 'extra'],
      ['POST', '/jobs/bulk', { action: 'explode', filter: {} }, 'action'],
      ['POST', '/dead-letters/redrive', { ids: [''] }, 'ids'],
      ['POST', '/dead-letters/purge', { olderThanMs: -1 }, 'olderThanMs'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await call(h, method, path, { tenant: 't', body });
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
      expect(res.body.error.message).toContain(field);
    }
    const badQuery = await call(h, 'GET', '/jobs?stauts=failed', { tenant: 't' });
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.message).toContain('stauts');
    expect((await call(h, 'GET', '/jobs?limit=abc', { tenant: 't' })).status).toBe(400);
    expect((await call(h, 'GET', '/jobs?status=bogus', { tenant: 't' })).status).toBe(400);
    const notJson = await call(h, 'POST', '/jobs', { tenant: 't', rawBody: '{nope' });
    expect(notJson.status).toBe(400);
    expect((await queue.listJobs()).jobs).toHaveLength(0);
  });

  it('413 PAYLOAD_TOO_LARGE over the body limit (default 1 MB), declared or streamed', async () => {
    const h = tenantHandler();
    const big = JSON.stringify({ type: 'x', payload: 'a'.repeat(1024 * 1024) });
    const res = await call(h, 'POST', '/jobs', { tenant: 't', rawBody: big });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const small = tenantHandler({ maxBodyBytes: 100 });
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode('x'.repeat(50)));
        c.close();
      },
    });
    const streamed = await small(
      new Request(`${BASE}/jobs`, {
        method: 'POST',
        headers: { 'x-tenant': 't', 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    );
    expect(streamed.status).toBe(413);
    expect((await queue.listJobs()).jobs).toHaveLength(0);
  });

  it('404 for unknown routes and outside basePath, 405 for a wrong method', async () => {
    const h = tenantHandler();
    expect((await call(h, 'GET', '/nope', { tenant: 't' })).status).toBe(404);
    const outside = await h(new Request('http://localhost/other/jobs', { headers: { 'x-tenant': 't' } }));
    expect(outside.status).toBe(404);
    expect((await call(h, 'PUT' as never, '/jobs', { tenant: 't' })).status).toBe(405);
  });

  it('rejects bad handler options with a typed error', () => {
    expect(() => createHttpHandler(queue, { basePath: 'no-slash' })).toThrow(/basePath/);
    expect(() => createHttpHandler(queue, { maxBodyBytes: -1 })).toThrow(/maxBodyBytes/);
    expect(() => createHttpHandler(queue, { authorize: 'yes' as never })).toThrow(/authorize/);
  });
});

describe('HTTP API: dead letters, stats, health, audit', () => {
  it('lists, reads, redrives, deletes and purges dead letters; audits every change', async () => {
    const events: HttpAuditEvent[] = [];
    const h = tenantHandler({ onAction: (e) => void events.push(e) });
    const a = (await call(h, 'POST', '/jobs', { tenant: 't', body: { type: 'charge', payload: 1 } })).body;
    const b = (await call(h, 'POST', '/jobs', { tenant: 't', body: { type: 'charge', payload: 2 } })).body;
    const other = (await call(h, 'POST', '/jobs', { tenant: 'u', body: { type: 'charge', payload: 3 } }))
      .body;
    await runOnce({
      charge: () => {
        throw new NonRetryableError('card declined: insufficient funds');
      },
    });

    const list = await call(h, 'GET', '/dead-letters?errorCategory=permanent_validation', { tenant: 't' });
    expect(list.status).toBe(200);
    expect(list.body.deadLetters.map((d: { id: string }) => d.id).sort()).toEqual([a.id, b.id].sort());
    const one = await call(h, 'GET', `/dead-letters/${a.id}`, { tenant: 't' });
    expect(one.body).toMatchObject({
      id: a.id,
      requiresUserAction: true,
      errorCategory: 'permanent_validation',
    });
    expect(one.body.history).toHaveLength(1);
    expect((await call(h, 'GET', `/dead-letters/${other.id}`, { tenant: 't' })).status).toBe(404);

    const redrive = await call(h, 'POST', '/dead-letters/redrive', { tenant: 't', body: { ids: [a.id] } });
    expect(redrive.body.succeeded).toEqual([a.id]);
    expect((await queue.getJob(a.id)).status).toBe('queued');
    const foreign = await call(h, 'POST', '/dead-letters/redrive', {
      tenant: 't',
      body: { ids: [other.id] },
    });
    expect(foreign.status).toBe(200);
    expect(foreign.body).toMatchObject({ succeeded: [], failed: [{ id: other.id, code: 'NOT_FOUND' }] });
    expect((await queue.getJob(other.id)).status).toBe('failed'); // the other tenant's job is untouched

    expect((await call(h, 'DELETE', `/dead-letters/${b.id}`, { tenant: 't' })).status).toBe(200);
    expect((await call(h, 'DELETE', `/dead-letters/${other.id}`, { tenant: 't' })).status).toBe(404);
    await clock.advance(8 * 24 * 3600_000);
    const purge = await call(h, 'POST', '/dead-letters/purge', { tenant: 'u', body: {} });
    expect(purge.body).toEqual({ deleted: 1 });
    expect(events.map((e) => e.action)).toEqual([
      'job.create',
      'job.create',
      'job.create',
      'deadLetters.redrive',
      'deadLetters.redrive', // the refused foreign id: audited, touching nothing
      'deadLetters.delete',
      'deadLetters.purge',
    ]);
    expect(events[3]).toMatchObject({ jobIds: [a.id], caller: { tenantId: 't' } });
    expect(events[4]).toMatchObject({ jobIds: [], caller: { tenantId: 't' } });
  });

  it('an empty id list is a no-op: 200 with empty results, nothing changed', async () => {
    const h = tenantHandler();
    const job = (await call(h, 'POST', '/jobs', { tenant: 't', body: { type: 'charge', payload: 1 } })).body;
    const res = await call(h, 'POST', '/dead-letters/redrive', { tenant: 't', body: { ids: [] } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ succeeded: [], failed: [] });
    const bulk = await call(h, 'POST', '/jobs/bulk', {
      tenant: 't',
      body: { action: 'cancel', filter: { ids: [] } },
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body).toEqual({ succeeded: [], failed: [] });
    expect((await queue.getJob(job.id)).status).toBe('queued');
  });

  it('serves stats and health', async () => {
    const h = createHttpHandler(queue);
    await queue.enqueue('a', 1);
    const stats = await h(new Request('http://x/stats'));
    expect(stats.status).toBe(200);
    expect(await stats.json()).toMatchObject({ counts: { queued: 1 }, deadLetters: 0 });
    const health = await h(new Request('http://x/health'));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, adapter: { ok: true } });
  });

  it('answers 500 INTERNAL_ERROR without leaking internals when the store throws', async () => {
    const errors: unknown[] = [];
    const adapter = memoryAdapter();
    adapter.getJob = () => Promise.reject(new Error('password=hunter2'));
    const broken = createQueue({ adapter, clock });
    const h = createHttpHandler(broken, { onError: (e) => errors.push(e) });
    const res = await h(new Request('http://x/jobs/abc'));
    const body = await res.json();
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(body.error.code).toBe('ADAPTER_ERROR');
    expect(errors).toHaveLength(1);
  });

  it('serializeJob hides fields from dead letters as well as from jobs', async () => {
    const h = createHttpHandler(queue, {
      serializeJob: (job) => {
        const { payload: _hidden, ...rest } = job;
        return rest;
      },
    });
    const job = await queue.enqueue('charge', { card: '4242-secret' });
    await runOnce({
      charge: () => {
        throw new NonRetryableError('declined');
      },
    });
    for (const path of ['/jobs', `/jobs/${job.id}`, '/dead-letters', `/dead-letters/${job.id}`]) {
      const res = await h(new Request(`http://x${path}`));
      expect(res.status).toBe(200);
      expect(await res.text(), path).not.toContain('4242-secret');
    }
    const letter = await (await h(new Request(`http://x/dead-letters/${job.id}`))).json();
    expect(letter).toMatchObject({
      id: job.id,
      error: 'declined',
      attempts: 1,
      errorCategory: 'permanent_validation',
    });
  });

  it('a malformed authorize() result is a 500 for the app, not a 400 for the client', async () => {
    const errors: unknown[] = [];
    const h = createHttpHandler(queue, {
      authorize: () => ({ tenantId: '' }),
      onError: (e) => errors.push(e),
    });
    const res = await h(new Request('http://x/jobs'));
    expect(res.status).toBe(500);
    expect(errors).toHaveLength(1);
  });

  it('health hides the store error text', async () => {
    const adapter = memoryAdapter();
    adapter.getJob = () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2'));
    adapter.ping = () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2'));
    const h = createHttpHandler(createQueue({ adapter, clock }));
    const res = await h(new Request('http://x/health'));
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('10.0.0.7');
    expect(JSON.parse(text)).toMatchObject({ ok: false, adapter: { ok: false } });
  });

  it('accepts runAt as an ISO date in a JSON body', async () => {
    const h = createHttpHandler(queue);
    const post = (runAt: unknown) =>
      h(
        new Request('http://x/jobs', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'a', options: { runAt } }),
        }),
      );
    const ok = await post('2030-01-01T00:00:00Z');
    expect(ok.status).toBe(201);
    expect((await ok.json()).runAt).toBe(Date.UTC(2030, 0, 1));
    const bad = await post('next tuesday');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain('runAt');
  });
});

describe('HTTP API: idempotency keys are per tenant', () => {
  it("POST /jobs with another tenant's idempotency key creates that tenant's own job (no leak)", async () => {
    const h = tenantHandler();
    const acme = await call(h, 'POST', '/jobs', {
      tenant: 'acme',
      body: { type: 'email', payload: { secret: 'acme-only' }, options: { idempotencyKey: 'order-1' } },
    });
    expect(acme.status).toBe(201);
    const globex = await call(h, 'POST', '/jobs', {
      tenant: 'globex',
      body: { type: 'email', payload: { mine: true }, options: { idempotencyKey: 'order-1' } },
    });
    expect(globex.status).toBe(201);
    expect(globex.body.id).not.toBe(acme.body.id);
    expect(globex.body).toMatchObject({ tenantId: 'globex', payload: { mine: true } });
    expect(JSON.stringify(globex.body)).not.toContain('acme-only');
    // The same tenant with the same key still gets its own live job back.
    const again = await call(h, 'POST', '/jobs', {
      tenant: 'acme',
      body: { type: 'email', payload: { secret: 'other' }, options: { idempotencyKey: 'order-1' } },
    });
    expect(again.body.id).toBe(acme.body.id);
  });

  it('filters dead letters by failure time (ISO or epoch ms) and status', async () => {
    const h = createHttpHandler(queue);
    await queue.enqueue('charge', 1);
    await runOnce({
      charge: () => {
        throw new NonRetryableError('declined');
      },
    });
    const failedAt = clock.now();
    const list = async (query: string) => {
      const res = await h(new Request(`http://x/dead-letters${query}`));
      return { status: res.status, body: await res.json() };
    };
    expect((await list(`?failedFrom=${failedAt}`)).body.deadLetters).toHaveLength(1);
    expect((await list(`?failedFrom=${new Date(failedAt + 1).toISOString()}`)).body.deadLetters).toHaveLength(
      0,
    );
    expect((await list(`?failedTo=${failedAt}`)).body.deadLetters).toHaveLength(0);
    // The same filter keys as every route: a status filter is accepted (a dead letter is failed).
    expect((await list('?status=failed')).body.deadLetters).toHaveLength(1);
    expect((await list('?status=queued')).body.deadLetters).toHaveLength(0);
  });
});
