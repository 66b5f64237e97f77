/*
 * The example Worker: Redrive on D1 behind three entry points.
 * - fetch: the HTTP API under /api (enqueue, list, retry, dead letters — a dashboard can point
 *   at it), and POST /drain, which drains due jobs (the response waits for the drain).
 * - scheduled: the cron trigger drains due jobs in the background (ctx.waitUntil). A drain
 *   first recovers expired leases, so a job whose Worker died mid-run is not left `running`.
 * - queue: a Cloudflare Queues consumer with the same job types and policies.
 * Overlapping drains (cron plus a fetch) are safe: a claim is one atomic statement.
 */
import { createQueueConsumer, d1Adapter, type SqlExecutor } from '@redrive/adapter-d1';
import { createQueue, type DrainSummary, JobRunner } from '@redrive/core';
import { createHttpHandler } from '@redrive/core/http';
import { type EmailPayload, type Env, EXECUTIONS_DDL, policies, sendEmail } from './handlers.js';

interface Ctx {
  waitUntil(promise: Promise<unknown>): void;
}

let ready: Promise<unknown> | undefined;
/** The example's own table, created once per isolate. */
const setUp = (env: Env) => (ready ??= env.DB.prepare(EXECUTIONS_DDL).run());

function queueFor(env: Env) {
  return createQueue({ adapter: d1Adapter(env.DB as unknown as SqlExecutor), policies });
}

/**
 * One drain: at most 500 jobs, claiming stops after 25 s (a cron Worker may run 15 minutes of
 * wall time, but CPU time is 30 s by default).
 */
async function drain(env: Env): Promise<DrainSummary> {
  await setUp(env);
  const runner = new JobRunner({
    queue: queueFor(env),
    concurrency: 25,
    handlers: { 'email.send': (job) => sendEmail(env, job.id, job.payload as EmailPayload) },
  });
  return runner.drain({ maxJobs: 500, deadlineMs: 25_000 });
}

const consumer = createQueueConsumer<Env>({
  handlers: { 'email.send': (payload, { id, env }) => sendEmail(env, id, payload) },
  policies,
  deadLetter: { d1: (env) => env.DB as unknown as SqlExecutor },
  maxRetries: 4,
});

export default {
  async fetch(request: Request, env: Env, _ctx: Ctx): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/drain' && request.method === 'POST') return Response.json(await drain(env));
    if (url.pathname.startsWith('/api/')) {
      await setUp(env);
      return createHttpHandler(queueFor(env), { basePath: '/api' })(request);
    }
    return new Response('Redrive on D1: /api/jobs, /api/dead-letters, POST /drain', { status: 404 });
  },

  async scheduled(_event: unknown, env: Env, ctx: Ctx): Promise<void> {
    ctx.waitUntil(drain(env));
  },

  queue: consumer.queue,
};
