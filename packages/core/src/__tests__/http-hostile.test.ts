/*
 * The HTTP API against hostile requests: cross-site form posts, unauthenticated route probing,
 * prototype-named query parameters, error text that must not leave the process, and job types
 * named after Object.prototype members. On every adapter of the matrix (ADAPTERS).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { NonRetryableError } from '../errors/job-errors.js';
import { createHttpHandler } from '../http/create-http-handler.js';
import type { HttpHandlerOptions } from '../http/http-options.js';
import type { Queue } from '../queue/types.js';
import { JobRunner } from '../runner/job-runner.js';
import { describeEachAdapter, setup } from './e2e-harness.js';

let queue: Queue;

/** A cookie-session style API: the caller is whoever the cookie says. */
function cookieApi(extra: HttpHandlerOptions = {}) {
  return createHttpHandler(queue, {
    authorize: (req) => (req.headers.get('cookie') === 'session=t' ? { tenantId: 't' } : null),
    ...extra,
  });
}

async function send(handler: (r: Request) => Promise<Response>, path: string, init: RequestInit = {}) {
  const res = await handler(new Request(`http://x${path}`, init));
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : null };
}

describeEachAdapter('the HTTP API against hostile requests', () => {
  beforeEach(() => {
    ({ queue } = setup());
  });

  describe('HTTP: cross-site requests (CSRF)', () => {
    it('answers 415 to a POST that is not declared JSON, and changes nothing', async () => {
      const api = cookieApi();
      const job = await queue.enqueue('a', null, undefined, { tenantId: 't' });
      const bulkDelete = JSON.stringify({ action: 'delete', filter: {} });
      const form = new FormData();
      form.set('action', 'delete');
      const attempts: RequestInit[] = [
        { body: bulkDelete }, // text/plain;charset=UTF-8, what a cross-site form with enctype=text/plain sends
        { body: bulkDelete, headers: { 'content-type': 'text/plain' } },
        { body: new URLSearchParams({ [bulkDelete]: '' }) },
        { body: form },
        { body: bulkDelete, headers: { 'content-type': 'application/jsonx' } },
      ];
      for (const init of attempts) {
        const res = await send(api, '/jobs/bulk', {
          ...init,
          method: 'POST',
          headers: { cookie: 'session=t', ...(init.headers as Record<string, string>) },
        });
        expect(res.status).toBe(415);
        expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      }
      // A bodyless action too: a form can post to /jobs/:id/cancel with nothing in it.
      const cancel = await send(api, `/jobs/${job.id}/cancel`, {
        method: 'POST',
        headers: { cookie: 'session=t', 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(cancel.status).toBe(415);
      expect((await queue.getJob(job.id)).status).toBe('queued');

      const ok = await send(api, '/jobs/bulk', {
        method: 'POST',
        headers: { cookie: 'session=t', 'content-type': 'application/json; charset=utf-8' },
        body: bulkDelete,
      });
      expect(ok.status).toBe(200);
      expect(ok.body.succeeded).toEqual([job.id]);
    });
  });

  describe('HTTP: route mapping and query parameters', () => {
    it('authorises before answering 404 or 405', async () => {
      const api = cookieApi();
      for (const [method, path] of [
        ['PUT', '/jobs'],
        ['PATCH', '/jobs/abc'],
        ['GET', '/jobs/bulk/nothing'],
        ['OPTIONS', '/stats'],
      ] as const) {
        const res = await send(api, path, { method });
        expect(res.status, `${method} ${path}`).toBe(401);
      }
      const known = await send(api, '/jobs', { method: 'PUT', headers: { cookie: 'session=t' } });
      expect(known.status).toBe(405);
    });

    it('refuses prototype-named query parameters as unknown', async () => {
      const api = cookieApi();
      for (const query of ['__proto__=1', 'toString=1', 'constructor=x', 'hasOwnProperty=1']) {
        for (const path of ['/jobs', '/dead-letters', '/stats']) {
          const res = await send(api, `${path}?${query}`, { headers: { cookie: 'session=t' } });
          expect(res.status, `${path}?${query}`).toBe(400);
          expect(res.body.error.issues[0].path).toBe(`query.${query.split('=')[0]}`);
        }
      }
    });

    it('refuses a __proto__ key in options and filters as unknown, instead of dropping it', async () => {
      const api = cookieApi();
      const post = (path: string, body: string) =>
        send(api, path, {
          method: 'POST',
          headers: { cookie: 'session=t', 'content-type': 'application/json' },
          body,
        });
      const created = await post('/jobs', '{"type":"a","options":{"__proto__":{"priority":5}}}');
      expect(created.status).toBe(400);
      expect(created.body.error.issues[0].path).toMatch(/__proto__/);
      const bulk = await post('/jobs/bulk', '{"action":"cancel","filter":{"__proto__":{"tenantId":"b"}}}');
      expect(bulk.status).toBe(400);
      expect((await queue.listJobs()).jobs).toHaveLength(0);
    });

    it('serves every tenant after a job type named __proto__ was counted', async () => {
      const api = cookieApi();
      for (const type of ['__proto__', 'constructor', 'toString']) {
        const created = await send(api, '/jobs', {
          method: 'POST',
          headers: { cookie: 'session=t', 'content-type': 'application/json' },
          body: JSON.stringify({ type }),
        });
        expect(created.status).toBe(201);
      }
      const stats = await send(api, '/stats', { headers: { cookie: 'session=t' } });
      expect(stats.status).toBe(200);
      expect(stats.body.counts.queued).toBe(3);
      expect(Object.hasOwn(Object.prototype, 'queued')).toBe(false);
      const list = await send(api, '/jobs?status=queued', { headers: { cookie: 'session=t' } });
      expect(list.status).toBe(200);
      expect(list.body.jobs).toHaveLength(3);
    });
  });

  describe('HTTP: error text leaving the process', () => {
    it('runs every error message and stack through redactError: jobs, retry history, dead letters', async () => {
      const SECRET = 'sk_live_0123456789';
      const PATH = '/srv/app/secret-module.js';
      const { queue: q, clock } = setup({ policies: { pay: { maxAttempts: 2, jitter: 'none' } } });
      queue = q;
      const job = await q.enqueue('pay', null);
      const runWith = (thrown: Error) =>
        new JobRunner({
          queue: q,
          handlers: {
            pay: async () => {
              throw thrown;
            },
          },
        }).drain();
      const error = new Error(`card declined for ${SECRET}`);
      error.stack = `Error: card declined\n    at charge (${PATH}:10:5)`;
      await runWith(error);
      await clock.advance(60_000);
      const failing = new NonRetryableError(`still declined for ${SECRET}`);
      failing.stack = `NonRetryableError\n    at charge (${PATH}:11:5)`;
      await runWith(failing);
      expect((await q.getJob(job.id)).status).toBe('failed');

      const seen: string[] = [];
      const api = createHttpHandler(q, {
        redactError: (text, { field, source, jobId }) => {
          seen.push(`${source}.${field}.${jobId === job.id}`);
          return field === 'stack' ? null : text.replaceAll(SECRET, '[secret]');
        },
      });
      const bodies = [
        await send(api, `/jobs/${job.id}`),
        await send(api, `/jobs/${job.id}/retries`),
        await send(api, '/jobs?status=failed'),
        await send(api, `/dead-letters/${job.id}`),
        await send(api, '/dead-letters'),
      ];
      for (const res of bodies) {
        expect(res.status).toBe(200);
        expect(res.text).not.toContain(SECRET);
        expect(res.text).not.toContain(PATH);
      }
      expect(bodies[1]!.body.retries).toHaveLength(2);
      expect(bodies[1]!.body.retries[0].error).toBe('card declined for [secret]');
      expect(bodies[3]!.body.history).toHaveLength(2);
      expect(new Set(seen)).toEqual(
        new Set(['job.message.true', 'job.stack.true', 'history.message.true', 'history.stack.true']),
      );
    });
  });
});
