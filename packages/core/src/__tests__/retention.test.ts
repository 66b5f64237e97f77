// Retention: queue.purge deletes completed and cancelled jobs by age, on every adapter of the
// matrix, and nothing else; POST /jobs/purge is the same over HTTP.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/redrive-error.js';
import { createHttpHandler } from '../http/create-http-handler.js';
import { DEFAULT_RETENTION_MS } from '../queue/retention.js';
import { describeEachAdapter, setup } from './e2e-harness.js';

const DAY = 24 * 3600_000;
type Ctx = ReturnType<typeof setup>;

/** One job per status, of `tenantId`, all changed now. Returns their ids by status. */
async function onePerStatus(ctx: Ctx, tenantId: string | null = null) {
  const { queue, runner } = ctx;
  const completed = await queue.enqueue('ok', {}, { tenantId });
  const failed = await queue.enqueue('bad', {}, { tenantId });
  // A completed job with a failed attempt before it: its history goes with it.
  const retried = await queue.enqueue('flaky', {}, { tenantId });
  let flakyCalls = 0;
  const r = runner({
    handlers: {
      ok: () => 'done',
      bad: () => {
        throw new ValidationError('bad input');
      },
      flaky: () => {
        if (++flakyCalls === 1) throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
        return 'second time';
      },
    },
  });
  await r.drain();
  await ctx.clock.advance(60_000);
  await r.drain();
  const cancelled = await queue.cancelJob((await queue.enqueue('later', {}, { tenantId })).id);
  const queued = await queue.enqueue('later', {}, { tenantId });
  const paused = await queue.pauseJob((await queue.enqueue('later', {}, { tenantId })).id);
  const ids = {
    completed: completed.id,
    retried: retried.id,
    failed: failed.id,
    cancelled: cancelled.id,
    queued: queued.id,
    paused: paused.id,
  };
  expect((await queue.getJob(ids.completed)).status).toBe('completed');
  expect((await queue.getJob(ids.retried)).status).toBe('completed');
  expect((await queue.getRetryHistory(ids.retried)).length).toBe(1);
  expect((await queue.getJob(ids.failed)).status).toBe('failed');
  return ids;
}

async function remaining(ctx: Ctx): Promise<string[]> {
  return (await ctx.queue.listJobs({ limit: 1000 })).jobs.map((j) => j.id).sort();
}

describeEachAdapter('queue.purge (retention)', () => {
  it('deletes completed and cancelled jobs older than 7 days by default, with their history, and nothing else', async () => {
    const ctx = setup();
    const old = await onePerStatus(ctx);
    await ctx.clock.advance(DEFAULT_RETENTION_MS - DAY);
    const young = await onePerStatus(ctx);
    // Old jobs are now 7 days and a bit old; the young ones a minute.
    expect(await ctx.queue.purge()).toEqual({ deleted: 0 });
    await ctx.clock.advance(DAY + 1);
    expect(await ctx.queue.purge()).toEqual({ deleted: 3 });
    const left = await remaining(ctx);
    for (const id of [old.completed, old.retried, old.cancelled]) expect(left).not.toContain(id);
    for (const id of [old.failed, old.queued, old.paused, ...Object.values(young)])
      expect(left).toContain(id);
    expect(await ctx.adapter.getRetryHistory(old.retried)).toEqual([]);
    await expect(ctx.queue.getJob(old.completed)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('narrows by status and by age (olderThan or olderThanMs)', async () => {
    const ctx = setup();
    const ids = await onePerStatus(ctx);
    await ctx.clock.advance(2 * DAY);
    expect(await ctx.queue.purge({ status: 'cancelled', olderThanMs: DAY })).toEqual({ deleted: 1 });
    expect(await remaining(ctx)).not.toContain(ids.cancelled);
    expect(await ctx.queue.purge({ status: ['completed'], olderThanMs: 3 * DAY })).toEqual({ deleted: 0 });
    expect(await ctx.queue.purge({ olderThan: new Date(ctx.clock.now() - DAY) })).toEqual({ deleted: 2 });
    expect(await remaining(ctx)).toEqual([ids.failed, ids.queued, ids.paused].sort());
  });

  it('keeps a job that was restarted (queued again) and another tenant’s jobs', async () => {
    const ctx = setup();
    const mine = await onePerStatus(ctx, 'a');
    const theirs = await onePerStatus(ctx, 'b');
    await ctx.queue.restartJob(mine.completed);
    await ctx.clock.advance(8 * DAY);
    expect(await ctx.queue.purge({}, { tenantId: 'a' })).toEqual({ deleted: 2 });
    const left = await remaining(ctx);
    expect(left).toContain(mine.completed);
    for (const id of [theirs.completed, theirs.retried, theirs.cancelled]) expect(left).toContain(id);
  });

  it('refuses bad input with a ValidationError naming the field, deleting nothing', async () => {
    const ctx = setup();
    await onePerStatus(ctx);
    await ctx.clock.advance(8 * DAY);
    const before = await remaining(ctx);
    const cases: Array<[unknown, string]> = [
      [{ status: 'failed' }, 'status'],
      [{ status: ['completed', 'queued'] }, 'status'],
      [{ status: [] }, 'status'],
      [{ olderThanMs: -1 }, 'olderThanMs'],
      [{ olderThanMs: 1.5 }, 'olderThanMs'],
      [{ olderThan: 'yesterday' }, 'olderThan'],
      [{ olderThan: 1, olderThanMs: 1 }, 'olderThanMs'],
      [{ olderThenMs: 1 }, 'olderThenMs'],
    ];
    for (const [options, field] of cases) {
      const error = await ctx.queue.purge(options as never).catch((e: unknown) => e);
      expect(error, JSON.stringify(options)).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).message).toMatch(/^\[redrive\] \[purge\] /);
      expect((error as ValidationError).issues.map((i) => i.path).join(' ')).toContain(field);
    }
    const failed = await ctx.queue
      .purge({ status: 'failed' } as never)
      .catch((e: ValidationError) => e.message);
    expect(failed).toContain('deadLetters.purge');
    await expect(ctx.queue.purge({}, { tenantId: 5 } as never)).rejects.toBeInstanceOf(ValidationError);
    expect(await remaining(ctx)).toEqual(before);
  });
});

describe('POST /jobs/purge', () => {
  it('purges the caller tenant’s finished jobs and names a bad field with 400', async () => {
    const ctx = setup();
    const mine = await onePerStatus(ctx, 'a');
    const theirs = await onePerStatus(ctx, 'b');
    await ctx.clock.advance(2 * DAY);
    const handler = createHttpHandler(ctx.queue, {
      authorize: (req) => ({ tenantId: req.headers.get('x-tenant') ?? 'none' }),
    });
    const post = (body: unknown) =>
      handler(
        new Request('http://localhost/jobs/purge', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-tenant': 'a' },
          body: JSON.stringify(body),
        }),
      );
    const bad = await post({ status: 'failed' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringContaining('status'),
    });
    const res = await post({ olderThanMs: DAY, status: 'completed' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ deleted: 2 });
    const left = await remaining(ctx);
    expect(left).not.toContain(mine.completed);
    expect(left).toContain(mine.cancelled);
    expect(left).toContain(theirs.completed);
  });
});
